import type { Context } from 'hono';
import type { PlatformSender } from '../delivery/sender.js';
import type { ActionAnswer } from '../model/card.js';
import type { InboundEvent } from '../model/inbound.js';
import type { Platform } from '../model/platform.js';
import type { SignedLinks } from '../http/signed-links.js';

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

export interface Log {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** What every platform factory receives. */
export interface PlatformDeps {
  links: SignedLinks;
  log: Log;
  /** Defaults to globalThis.fetch; tests may pass one bound to a fake. */
  fetch?: typeof fetch;
  now?: () => Date;
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
