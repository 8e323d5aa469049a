import type { Context } from 'hono';
import type { PlatformSender } from '../delivery/sender.js';
import type { ActionAnswer } from '../model/card.js';
import type { InboundEvent } from '../model/inbound.js';
import type { Platform } from '../model/platform.js';

export interface HandleResult {
  /** The event was seen before (inbound_events key existed): nothing was done. */
  duplicate: boolean;
  /** For card callbacks: the synchronous answer, computed from the committed state. */
  answer?: ActionAnswer;
}

/** verify → parse → this. Dedupes on the database key and commits the handler's writes with its outbox rows. */
export interface InboundPipeline {
  handle(event: InboundEvent): Promise<HandleResult>;
}

export interface SignedLinks {
  /** An HMAC-signed, expiring URL under XIAOAN_PUBLIC_URL. */
  sign(path: string, claims: Record<string, string | number>, expiresAt: Date): string;
}

/** What a platform hands to the HTTP app and the dispatcher. Pure of Node-only imports. */
export interface PlatformModule {
  platform: Platform;
  sender: PlatformSender;
  /** Handles GET/POST /webhooks/<platform>. */
  webhook?: (c: Context, pipeline: InboundPipeline) => Promise<Response>;
}

/** Node-only long connections (Feishu WSClient, DingTalk Stream, WeCom AI bot, Wechaty). */
export interface LongConnection {
  name: string;
  start(pipeline: InboundPipeline): Promise<void>;
  stop(): Promise<void>;
}
