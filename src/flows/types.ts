import type { BoundChat } from '../db/repos/identity.js';
import type { Db } from '../db/types.js';
import type { SignedLinks } from '../http/signed-links.js';
import type { ActionAnswer, ActionValue, MessageBody } from '../model/card.js';
import type { InboundEvent } from '../model/inbound.js';
import type { OutboundMessage, Urgency } from '../model/outbound.js';
import type { HandleResult, Log } from '../platforms/types.js';
import type { Actor } from './actor.js';

export interface FlowServices {
  links: SignedLinks;
  log: Log;
  /** The service's default time zone (a school's own zone wins where known). */
  timezone: string;
  publicUrl: string;
  /** Secret for salted hashes (roster phones). */
  secret: string;
}

export interface FlowContext {
  /** The transaction: every write and outbox row of this event commits together. */
  db: Db;
  now: Date;
  event: InboundEvent;
  /** Mention-stripped, trimmed text. */
  text: string;
  chat: BoundChat | null;
  actor: Actor;
  services: FlowServices;
  /** Queues a reply into the event's chat (threaded where the platform supports it). */
  reply(body: MessageBody | string, options?: { urgency?: Urgency; key?: string }): Promise<void>;
  /** Queues any outbound message (private messages, other chats). */
  send(message: OutboundMessage): Promise<void>;
}

export interface FlowHandler {
  /** Routes action values: ActionValue.flow === name. */
  name: string;
  /** Lower runs first; the first handler that takes a message wins. */
  priority: number;
  /** Returns true when this handler took the message. */
  onMessage?(ctx: FlowContext): Promise<boolean>;
  onAction?(ctx: FlowContext, value: ActionValue, form: Record<string, string>): Promise<ActionAnswer>;
  /** The bot was added to a chat, or a member joined. */
  onJoin?(ctx: FlowContext): Promise<boolean>;
  /** The set-based path for this flow's bursty actions (see BatchActionHandler). */
  batchActions?: BatchActionHandler;
}

/**
 * Actions that arrive in bursts (a class of parents tapping one card) handled many at a time in a few
 * statements. The handler takes what it can answer exactly as onAction would and leaves every other
 * event (null) to the flow's own path, before claiming it.
 */
export interface BatchActionHandler {
  /** Cheap and without I/O: whether an event is of the kind this handler batches. */
  accepts(event: InboundEvent): boolean;
  /** A result per event, in order; it claims the dedupe keys of exactly the events it answers. */
  handleBatch(db: Db, events: readonly InboundEvent[], at: Date): Promise<(HandleResult | null)[]>;
}

/** A refusal the user should see: the handler's writes are rolled back and the text is the answer. */
export class FlowRefusal extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}
