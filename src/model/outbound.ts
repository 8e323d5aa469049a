import type { MessageBody } from './card.js';
import type { Platform } from './platform.js';

export type Urgency = 'normal' | 'urgent';

export interface OutboundTarget {
  platform: Platform;
  tenant: string;
  chatId?: string;
  userId?: string;
}

export interface OutboundMessage {
  target: OutboundTarget;
  body: MessageBody;
  urgency: Urgency;
  /** Stable across retries and instances; reaches the platform where it dedupes (Feishu uuid). */
  idempotencyKey: string;
  /** Platform message id to reply to / thread under. */
  replyTo?: string;
  replyChannel?: { url: string; expiresAt: string };
  /** Earliest send time (quiet hours hold non-urgent messages). */
  notBefore?: Date;
}

/** A token bucket every send to a target must respect (per chat, per app, per robot …). */
export interface RateBucket {
  key: string;
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size (burst). */
  burst: number;
  /**
   * The app-wide limit, shared by every chat and user the app sends to: a limit the platform reports for one
   * conversation leaves it open for the others.
   */
  shared?: boolean;
}
