import type { MessageBody } from '../model/card.js';
import type { OutboundTarget, RateBucket, Urgency } from '../model/outbound.js';
import type { Platform } from '../model/platform.js';

/** One outbox row as a platform sender sees it. */
export interface OutboundDelivery {
  outboxId: string;
  target: OutboundTarget;
  body: MessageBody;
  urgency: Urgency;
  idempotencyKey: string;
  replyTo?: string;
  replyChannel?: { url: string; expiresAt: string };
  attempt: number;
}

export type SendResult =
  | { ok: true; platformMessageId?: string }
  | {
      ok: false;
      /** rate_limited: slow the target down and retry; transient: back off and retry; permanent: dead-letter now. */
      kind: 'rate_limited' | 'transient' | 'permanent';
      error: string;
      retryAfterMs?: number;
      /**
       * rate_limited only: the platform held back this one recipient (DingTalk's flow-controlled staff), not
       * the app or the chat. Only this row waits; the target's buckets, which other recipients share, stay open.
       */
      recipientOnly?: boolean;
    };

export type { RateBucket } from '../model/outbound.js';

/** Platform clients plug into the dispatcher through this interface; only the dispatcher calls send. */
export interface PlatformSender {
  platform: Platform;
  /** Buckets for a target, from the platform's published limits (per chat, per app, per robot…). */
  bucketsFor(target: OutboundTarget): RateBucket[];
  send(delivery: OutboundDelivery): Promise<SendResult>;
  /**
   * False when this process cannot send to the target right now because another instance holds the live
   * connection (WeCom AI bot, Wechaty): the row waits for that instance instead of spending attempts here.
   */
  canSend?(target: OutboundTarget): boolean;
}
