/**
 * DingTalk Stream mode (Node only): an outbound WebSocket, no public URL needed.
 *
 * This speaks the Stream protocol itself with `ws` instead of wrapping `DWClient` from `dingtalk-stream`
 * (2.1.5, read in node_modules/dingtalk-stream/dist/client.mjs), because the wrapper cannot be made sound:
 * - its reconnect storms: on a failed handshake both the socket's `close` handler and `connect()`'s catch
 *   schedule a reconnect (1 s, fixed), doubling the attempts each round; with `autoReconnect: false`
 *   `connect()` swallows the error and the socket's close is never surfaced, so an outer loop cannot
 *   know when to reconnect;
 * - SYSTEM `disconnect` only flips flags — the socket is left to die ~10 s later, losing messages;
 * - the gateway URL is a hard-coded constant and it logs to the console on every connect and error.
 * The protocol is small (dingtalk.md §3): POST /v1.0/gateway/connections/open → {endpoint, ticket};
 * WebSocket to `endpoint?ticket=`; frames {type SYSTEM|EVENT|CALLBACK, headers, data: JSON string};
 * every frame is acked with {code:200, headers:{contentType, messageId}, message:'OK', data}.
 * The topic names come from the SDK's constants.
 *
 * Here: one reconnect in flight at a time, exponential backoff with jitter, a fresh ticket per connect,
 * a warm reconnect on SYSTEM `disconnect` and on an idle socket, robot messages acked at once (late acks
 * make DingTalk push the message again 16–60 s later; the pipeline's msgId key absorbs any that slip
 * through), card clicks acked with their answer within the 2 s deadline.
 */
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream/constants';
import WebSocket from 'ws';
import { z } from 'zod';
import type { InboundEvent } from '../../model/inbound.js';
import type { InboundPipeline, LongConnection, PlatformDeps } from '../types.js';
import type { DingtalkConfig } from './config.js';
import { parseCardCallback, parseRobotMessage } from './parse.js';
import { type CardCallbackResponse, cardAnswerLinkContext, renderCardCallbackResponse } from './render.js';
import { CARD_ANSWER_DEADLINE_MS } from './webhook.js';

export interface StreamTransportOptions {
  /** First reconnect delay and the cap; each failure doubles the delay, jittered to 50–100 %. */
  backoff?: { initialMs: number; maxMs: number };
  /** WebSocket ping interval; a ping unanswered by the next one ends the socket. */
  pingIntervalMs?: number;
  /** No frame at all for this long → a warm reconnect (zombie sockets: ping OK but nothing delivered). */
  idleTimeoutMs?: number;
  /** A socket that lived this long (or received a frame) resets the backoff. */
  stableMs?: number;
  /** How long a card click may wait for the pipeline before it is acked with the card unchanged. */
  cardAnswerDeadlineMs?: number;
  random?: () => number;
  /** Observes every scheduled reconnect (logs, tests). */
  onReconnectScheduled?: (attempt: number, delayMs: number) => void;
}

const frameSchema = z.looseObject({
  type: z.enum(['SYSTEM', 'EVENT', 'CALLBACK']),
  headers: z.looseObject({ topic: z.string().optional(), messageId: z.string().optional() }),
  data: z.string().optional(),
});
type Frame = z.infer<typeof frameSchema>;

const endpointSchema = z.object({ endpoint: z.string().min(1), ticket: z.string().min(1) });

export function createDingtalkStreamTransport(
  config: DingtalkConfig,
  deps: PlatformDeps,
  options: StreamTransportOptions = {},
): LongConnection {
  const log = deps.log;
  const fetchImpl = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = deps.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
  const pingIntervalMs = options.pingIntervalMs ?? 20_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 90_000;
  const stableMs = options.stableMs ?? 30_000;
  const cardDeadline = options.cardAnswerDeadlineMs ?? CARD_ANSWER_DEADLINE_MS;
  const tenant = config.robotCode;

  let pipeline: InboundPipeline | null = null;
  let stopped = true;
  let current: WebSocket | null = null;
  let connecting = false;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  async function openEndpoint(): Promise<string> {
    const response = await fetchImpl(config.streamGatewayUrl, {
      method: 'POST',
      // Without Accept the gateway answers XML (comment in the official SDK).
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        ua: 'xiaoan',
        subscriptions: [
          { type: 'EVENT', topic: '*' },
          { type: 'CALLBACK', topic: TOPIC_ROBOT },
          ...(config.card ? [{ type: 'CALLBACK', topic: TOPIC_CARD }] : []),
        ],
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`gateway answered HTTP ${response.status}`);
    const parsed = endpointSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error('gateway answered without endpoint or ticket');
    const url = new URL(parsed.data.endpoint);
    url.searchParams.set('ticket', parsed.data.ticket);
    return url.toString();
  }

  function send(ws: WebSocket, frame: object): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function ack(ws: WebSocket, messageId: string, data: unknown): void {
    send(ws, {
      code: 200,
      headers: { contentType: 'application/json', messageId },
      message: 'OK',
      data: JSON.stringify(data),
    });
  }

  function handleInBackground(event: InboundEvent): void {
    pipeline?.handle(event).catch((error: unknown) => {
      log.error({ err: error, eventId: event.id }, 'dingtalk stream message failed in the pipeline');
    });
  }

  function onRobotMessage(ws: WebSocket, frame: Frame, messageId: string): void {
    ack(ws, messageId, { response: null });
    let events: InboundEvent[];
    try {
      events = parseRobotMessage(JSON.parse(frame.data ?? ''), { tenant, now: now(), fallbackId: messageId });
    } catch (error) {
      log.warn(
        { messageId, error: error instanceof Error ? error.message : String(error) },
        'dingtalk stream message malformed',
      );
      return;
    }
    for (const event of events) handleInBackground(event);
  }

  async function onCardCallback(ws: WebSocket, frame: Frame, messageId: string): Promise<void> {
    let event: InboundEvent;
    try {
      event = parseCardCallback(JSON.parse(frame.data ?? ''), { tenant, now: now(), eventId: messageId });
    } catch (error) {
      log.warn(
        { messageId, error: error instanceof Error ? error.message : String(error) },
        'dingtalk card callback malformed',
      );
      ack(ws, messageId, { response: {} });
      return;
    }
    const work = pipeline ? pipeline.handle(event) : Promise.reject(new Error('transport not started'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), cardDeadline);
    });
    let response: CardCallbackResponse = {};
    try {
      const result = await Promise.race([work, late]);
      if (result) {
        response = renderCardCallbackResponse(result.answer, cardAnswerLinkContext(event, deps.links, now()));
      } else {
        log.warn({ eventId: event.id }, 'dingtalk card callback answered empty: pipeline missed the 2 s deadline');
        work.catch((error: unknown) =>
          log.error({ err: error, eventId: event.id }, 'dingtalk card callback failed late'),
        );
      }
    } catch (error) {
      log.error({ err: error, eventId: event.id }, 'dingtalk card callback failed');
    } finally {
      clearTimeout(timer);
    }
    ack(ws, messageId, { response });
  }

  function onFrame(ws: WebSocket, raw: WebSocket.RawData): void {
    let frame: Frame;
    try {
      frame = frameSchema.parse(JSON.parse(raw.toString()));
    } catch {
      log.warn('dingtalk stream frame malformed; ignored');
      return;
    }
    const topic = frame.headers.topic;
    const messageId = frame.headers.messageId;
    if (frame.type === 'SYSTEM') {
      if (topic === 'ping') send(ws, { code: 200, headers: frame.headers, message: 'OK', data: frame.data });
      else if (topic === 'disconnect') {
        // The server stops delivering now and closes in ~10 s: connect anew before it does.
        log.info('dingtalk stream: server asked to disconnect; reconnecting');
        void connect();
      }
      return;
    }
    if (!messageId) return;
    if (frame.type === 'EVENT') {
      ack(ws, messageId, { status: 'SUCCESS', message: 'success' });
      return;
    }
    if (topic === TOPIC_ROBOT) onRobotMessage(ws, frame, messageId);
    else if (topic === TOPIC_CARD) void onCardCallback(ws, frame, messageId);
    else ack(ws, messageId, { response: null });
  }

  function watch(ws: WebSocket): void {
    const openedAt = Date.now();
    let lastFrameAt = openedAt;
    let gotFrame = false;
    let awaitingPong = false;
    const timer = setInterval(() => {
      if (ws !== current) return;
      if (Date.now() - lastFrameAt > idleTimeoutMs) {
        log.warn('dingtalk stream: no frame within the idle timeout; reconnecting');
        lastFrameAt = Date.now();
        void connect();
        return;
      }
      if (awaitingPong) {
        log.warn('dingtalk stream: ping unanswered; dropping the socket');
        ws.terminate();
        return;
      }
      awaitingPong = true;
      ws.ping();
    }, pingIntervalMs);
    ws.on('pong', () => {
      awaitingPong = false;
    });
    ws.on('message', (data) => {
      lastFrameAt = Date.now();
      gotFrame = true;
      onFrame(ws, data);
    });
    ws.on('error', (error) => {
      log.warn({ error: error.message }, 'dingtalk stream socket error');
      ws.terminate();
    });
    ws.on('close', () => {
      clearInterval(timer);
      if (ws !== current) return;
      current = null;
      if (gotFrame || Date.now() - openedAt >= stableMs) attempt = 0;
      scheduleReconnect();
    });
  }

  /** Opens a connection; the previous one, if any, is closed once the new one is up (warm reconnect). */
  async function connect(): Promise<void> {
    if (stopped || connecting) return;
    connecting = true;
    let opened: boolean;
    try {
      opened = await openSocket();
    } finally {
      connecting = false;
    }
    if (!opened) scheduleReconnect();
  }

  async function openSocket(): Promise<boolean> {
    let ws: WebSocket | undefined;
    try {
      ws = new WebSocket(await openEndpoint());
      const opening = ws;
      await new Promise<void>((resolve, reject) => {
        opening.once('open', () => resolve());
        opening.once('error', reject);
        opening.once('close', () => reject(new Error('closed during the handshake')));
      });
      opening.removeAllListeners();
      if (stopped) {
        opening.close();
        return true;
      }
      const previous = current;
      current = opening;
      watch(opening);
      previous?.close(1000, 'replaced');
      log.info('dingtalk stream connected');
      return true;
    } catch (error) {
      log.warn({ error: error instanceof Error ? error.message : String(error) }, 'dingtalk stream connect failed');
      if (ws) {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
      }
      return false;
    }
  }

  /** At most one reconnect is pending or running at any time: no storm however many sockets fail. */
  function scheduleReconnect(): void {
    if (stopped || connecting || reconnectTimer || current) return;
    const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
    const delay = Math.round(ceiling * (0.5 + random() * 0.5));
    attempt += 1;
    options.onReconnectScheduled?.(attempt, delay);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
  }

  return {
    name: 'dingtalk-stream',
    async start(target) {
      pipeline = target;
      stopped = false;
      await connect();
    },
    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const ws = current;
      current = null;
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        await new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000, 'stopping');
          setTimeout(() => {
            ws.terminate();
            resolve();
          }, 2000).unref();
        });
      }
    },
  };
}
