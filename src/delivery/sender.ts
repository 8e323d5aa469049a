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
       * rate_limited only: what the platform held back, when it says. 'conversation': this chat or user (Feishu
       * 230020, 5 QPS per chat or user), so only the target's own buckets are held and the app's shared ones
       * stay open for other chats; 'recipient': one recipient (DingTalk's flow-controlled staff), so no bucket
       * is held and only this row waits. Absent: every bucket of the target.
       */
      limitScope?: 'conversation' | 'recipient';
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
