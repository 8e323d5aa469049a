import * as lark from '@larksuiteoapi/node-sdk';
import type { InboundPipeline, LongConnection, Log, PlatformDeps } from '../types.js';
import type { FeishuClient } from './client.js';
import type { FeishuConfig } from './config.js';
import { createFeishuInbound, type FeishuInboundHandler } from './inbound.js';
import { createFeishuClientFor } from './index.js';
import { decryptFeishuBody, isObject } from './verify.js';

/**
 * Long connection (FEISHU_TRANSPORT=ws, Node only): the SDK's WSClient fetches a socket URL from
 * `${FEISHU_BASE_URL}/callback/ws/endpoint`, reassembles protobuf event frames and passes each payload to
 * `eventDispatcher.invoke(payload, { needCheck: false })`, sending the returned value back in the ACK frame —
 * which is how card callbacks answer {toast, card} over WS (SDK 1.74.0, es/index.js WSClient.handleEventData;
 * card.action.trigger arrives in "event" frames too). The stock EventDispatcher would flatten header and event
 * into one object (event.token, the card-update token, overwrites header.token), so the dispatcher here
 * receives the envelope as delivered and feeds the same parse → pipeline as the HTTP webhook.
 *
 * Feishu pushes each event to ONE random live connection of the app: never run two environments on one app.
 */

/** Seconds without any frame after a ping before the socket counts as dead (the SDK has no watchdog by default). */
const PING_TIMEOUT_SECONDS = 30;
/** How long start() waits for the first connection before leaving the SDK's reconnect loop to it. */
const START_WAIT_MS = 15_000;

export function createFeishuWsTransport(
  config: FeishuConfig,
  deps: PlatformDeps,
  client: FeishuClient = createFeishuClientFor(config, deps),
): LongConnection {
  const log = deps.log;
  let socket: lark.WSClient | undefined;

  return {
    name: 'feishu-ws',
    async start(pipeline: InboundPipeline) {
      const inbound = createFeishuInbound({
        config,
        log,
        now: deps.now ?? (() => new Date()),
        botOpenId: () => client.botOpenId(),
      });
      const dispatcher = new EnvelopeDispatcher((payload) => answer(inbound, pipeline, payload, config, log));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          log.warn('feishu long connection not up yet; the SDK keeps reconnecting');
          resolve();
        }, START_WAIT_MS);
        socket = new lark.WSClient({
          appId: config.appId,
          appSecret: config.appSecret,
          domain: config.baseUrl,
          loggerLevel: lark.LoggerLevel.warn,
          logger: sdkLogger(log),
          wsConfig: { pingTimeout: PING_TIMEOUT_SECONDS },
          onReady: () => {
            clearTimeout(timer);
            log.info('feishu long connection ready');
            resolve();
          },
          onError: (error) => {
            clearTimeout(timer);
            log.error({ error: error.message }, 'feishu long connection failed');
            reject(error);
          },
          onReconnected: () => log.info('feishu long connection re-established'),
        });
        void socket.start({ eventDispatcher: dispatcher });
      });
    },
    async stop() {
      socket?.close({ force: true });
      socket = undefined;
    },
  };
}

/** The object WSClient calls; it only ever uses invoke(). */
class EnvelopeDispatcher extends lark.EventDispatcher {
  constructor(private readonly onPayload: (payload: Record<string, unknown>) => Promise<unknown>) {
    super({ loggerLevel: lark.LoggerLevel.error });
  }

  override async invoke(data: unknown): Promise<unknown> {
    return isObject(data) ? this.onPayload(data) : undefined;
  }
}

/**
 * The ACK carries the returned value; a thrown error makes the SDK ACK with code 500 so Feishu pushes again.
 * WS deliveries are authenticated by the connection itself; they carry no signature.
 */
export async function answer(
  inbound: FeishuInboundHandler,
  pipeline: InboundPipeline,
  delivered: Record<string, unknown>,
  config: Pick<FeishuConfig, 'encryptKey'>,
  log: Log,
): Promise<unknown> {
  let payload = delivered;
  if (typeof delivered.encrypt === 'string' && config.encryptKey) {
    const plain: unknown = JSON.parse(decryptFeishuBody(delivered.encrypt, config.encryptKey));
    if (!isObject(plain)) throw new Error('encrypted long-connection payload is not an object');
    payload = plain;
  }
  const result = await inbound(payload, pipeline);
  if (result.status === 500) throw new Error('feishu event handling failed; asking for redelivery');
  if (result.status === 400) {
    log.warn('feishu long-connection payload dropped as malformed');
    return undefined;
  }
  return Object.keys(result.body).length > 0 ? result.body : undefined;
}

function sdkLogger(log: Log) {
  const line = (args: unknown[]) =>
    args
      .map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? arg.message : JSON.stringify(arg)))
      .join(' ');
  return {
    error: (...args: unknown[]) => log.error({ sdk: line(args) }, 'feishu sdk'),
    warn: (...args: unknown[]) => log.warn({ sdk: line(args) }, 'feishu sdk'),
    info: (...args: unknown[]) => log.debug({ sdk: line(args) }, 'feishu sdk'),
    debug: (...args: unknown[]) => log.debug({ sdk: line(args) }, 'feishu sdk'),
    trace: () => undefined,
  };
}
