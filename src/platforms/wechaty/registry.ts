/**
 * The in-process meeting point of the Wechaty runner (which owns the logged-in account) and the outbox
 * sender (which the dispatcher calls). The runner registers a handle on login and withdraws it on logout or
 * stop; the sender looks the handle up by tenant (= the account's contact id) and reports "transient" when
 * this process has no such account logged in, so the outbox retries later (or on the instance that has it).
 * No Wechaty import here: the sender and index.ts stay Workers-safe.
 */

export type WechatySayResult =
  | { ok: true; messageId?: string }
  | {
      ok: false;
      /** unknown_conversation: neither a room nor a contact the account can see; failed: the puppet threw. */
      reason: 'unknown_conversation' | 'failed';
      error: string;
    };

export interface WechatyFile {
  name: string;
  mediaType: string;
  data: Uint8Array;
}

export type WechatyConversation = { kind: 'room' | 'contact'; id: string };

export interface WechatyBotHandle {
  /** The logged-in account's contact id: InboundEvent.tenant and OutboundTarget.tenant. */
  readonly tenant: string;
  /** Whether an id names a room or a contact this account can reach; undefined when neither (or the puppet failed). */
  resolve(conversationId: string): Promise<WechatyConversation['kind'] | undefined>;
  /** Says text; in a room the given contacts are @-mentioned (Wechaty prefixes "@name\u2005"). */
  say(conversation: WechatyConversation, text: string, mentionUserIds: string[]): Promise<WechatySayResult>;
  /** Who sent a message (their contact id); undefined when the puppet no longer knows the message. */
  authorOf(messageId: string): Promise<string | undefined>;
  /** The file behind an attachment key (a message id); undefined when the message is gone or has no file. */
  download(messageId: string): Promise<WechatyFile | undefined>;
}

export interface WechatyBotRegistry {
  /** Registers a logged-in account; returns the function that withdraws exactly this registration. */
  register(handle: WechatyBotHandle): () => void;
  get(tenant: string): WechatyBotHandle | undefined;
  tenants(): string[];
}

export function createWechatyBotRegistry(): WechatyBotRegistry {
  const handles = new Map<string, WechatyBotHandle>();
  return {
    register(handle) {
      handles.set(handle.tenant, handle);
      return () => {
        if (handles.get(handle.tenant) === handle) handles.delete(handle.tenant);
      };
    },
    get: (tenant) => handles.get(tenant),
    tenants: () => [...handles.keys()],
  };
}

/** The process-wide registry used when a caller passes none (the `xiaoan wechaty` runner and its dispatcher). */
export const wechatyBots: WechatyBotRegistry = createWechatyBotRegistry();
