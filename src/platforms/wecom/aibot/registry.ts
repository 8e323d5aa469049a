import type { TemplateCard } from '../render.js';

/**
 * The AI bot's frames can only travel over the one live WebSocket, held by whichever instance holds the bot's lease.
 * The transport registers its connection here; the sender looks it up. No entry on this instance → the sender
 * answers `transient` and the outbox retries, eventually on the instance that holds the connection.
 * Pure in-process state: safe to import from Workers code (where nothing ever registers).
 */

export type AibotPayload = { type: 'markdown'; content: string } | { type: 'template_card'; card: TemplateCard };

export type AibotAck =
  | { ok: true }
  | {
      ok: false;
      /** errcode from the server's ack, when it answered at all. */
      errcode?: number;
      error: string;
      /** 'no': the frame certainly did not take effect; 'unknown': it may have (ack timeout, socket closed). */
      delivered: 'no' | 'unknown';
    };

export interface AibotLiveConnection {
  /**
   * Answers a recent inbound message in place (aibot_respond_msg with that callback's req_id). Null when this
   * connection holds no fresh, unused callback for `msgid` — the caller then pushes instead.
   */
  reply(msgid: string, payload: AibotPayload, streamId: string): Promise<AibotAck> | null;
  /** aibot_send_msg: a proactive push to a group chatid, or to a member's userid for a 1:1 chat. */
  push(chatId: string, payload: AibotPayload): Promise<AibotAck>;
}

export class AibotConnectionRegistry {
  private readonly live = new Map<string, AibotLiveConnection>();

  /** Returns the matching unregister, which leaves a newer registration for the same bot alone. */
  register(botId: string, connection: AibotLiveConnection): () => void {
    this.live.set(botId, connection);
    return () => {
      if (this.live.get(botId) === connection) this.live.delete(botId);
    };
  }

  get(botId: string): AibotLiveConnection | undefined {
    return this.live.get(botId);
  }
}

/** The process-wide registry the Node entry's transport and sender share by default. */
export const aibotConnections = new AibotConnectionRegistry();
