import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Logger,
  type SendMsgBody,
  type StreamReplyBody,
  type TemplateCardReplyBody,
  WSAuthFailureError,
  WSClient,
  type WsFrame,
} from '@wecom/aibot-node-sdk';
import type { ActionAnswer } from '../../../model/card.js';
import type { InboundPipeline, LongConnection, Log, PlatformDeps } from '../../types.js';
import { taskIdFor } from '../action-key.js';
import type { WecomAibotConfig, WecomConfig } from '../config.js';
import { cardToTemplateCard } from '../render.js';
import { aibotTenant } from '../tenant.js';
import { clickUpdate } from './click-update.js';
import { type LeaseStore, aibotLeaseName } from './lease.js';
import { type AibotParsed, parseAibotCallback } from './parse.js';
import {
  type AibotAck,
  type AibotConnectionRegistry,
  type AibotLiveConnection,
  type AibotPayload,
  aibotConnections,
} from './registry.js';

/**
 * The AI bot's WebSocket (Node only), through `@wecom/aibot-node-sdk`'s WSClient — its `wsUrl` option takes
 * WECOM_BOT_WS_URL, so the local fake needs no protocol of our own.
 *
 * One live connection per bot: WeCom kicks the older of two connections. Instances therefore compete for a lease
 * (`wecom-aibot:<botId>`); the holder connects and renews, the others stand by and retry. The holder registers its
 * connection in the in-process registry, which is how the outbox sender reaches it.
 *
 * Card clicks and enter_chat are answered on the connection within WeCom's 5 s window from HandleResult.answer:
 * aibot_respond_update_msg (the clicked card redrawn, same task_id, for everyone or only the clicker — see
 * click-update.ts) and aibot_respond_welcome_msg.
 */

export interface AibotTransportTiming {
  leaseTtlMs: number;
  renewEveryMs: number;
  standbyRetryMs: number;
  /** After another connection took the bot over (disconnected_event), wait this long before connecting again. */
  kickedRetryMs: number;
  heartbeatMs: number;
  /** How long an inbound message can still be answered in place (WeCom expires stream replies after ~6 min). */
  replyWindowMs: number;
  /** Past this, a card update or welcome would miss WeCom's 5 s window and is not sent. */
  answerBudgetMs: number;
}

export interface AibotTransportDeps extends PlatformDeps {
  leases: LeaseStore;
  registry?: AibotConnectionRegistry;
  /** Identifies this instance in the lease table. */
  holderId?: string;
  timing?: Partial<AibotTransportTiming>;
}

const DEFAULT_TIMING: AibotTransportTiming = {
  leaseTtlMs: 30_000,
  renewEveryMs: 10_000,
  standbyRetryMs: 5_000,
  kickedRetryMs: 60_000,
  heartbeatMs: 30_000,
  replyWindowMs: 5 * 60_000,
  answerBudgetMs: 4_500,
};

interface HeldCallback {
  headers: WsFrame['headers'];
  receivedAt: number;
  used: boolean;
}

function sdkLogger(log: Log): Logger {
  const fields = { platform: 'wecom', channel: 'aibot', sdk: true };
  return {
    debug: (message) => log.debug(fields, message),
    info: (message) => log.debug(fields, message),
    warn: (message) => log.warn(fields, message),
    error: (message) => log.error(fields, message),
  };
}

async function ackOf(send: () => Promise<unknown>): Promise<AibotAck> {
  try {
    await send();
    return { ok: true };
  } catch (failure) {
    if (failure && typeof failure === 'object' && 'errcode' in failure) {
      const { errcode, errmsg } = failure as { errcode: number; errmsg?: string };
      return { ok: false, errcode, error: `aibot errcode ${errcode}: ${errmsg ?? ''}`, delivered: 'no' };
    }
    return { ok: false, error: failure instanceof Error ? failure.message : String(failure), delivered: 'unknown' };
  }
}

/** A reply to a message: a template card, or text as a finished stream (the reply has no markdown type). */
function replyBody(payload: AibotPayload, streamId: string): TemplateCardReplyBody | StreamReplyBody {
  return payload.type === 'template_card'
    ? { msgtype: 'template_card', template_card: payload.card }
    : { msgtype: 'stream', stream: { id: streamId, finish: true, content: payload.content } };
}

function pushBody(payload: AibotPayload): SendMsgBody {
  return payload.type === 'template_card'
    ? { msgtype: 'template_card', template_card: payload.card }
    : { msgtype: 'markdown', markdown: { content: payload.content } };
}

export function createWecomAibotTransport(config: WecomConfig, deps: AibotTransportDeps): LongConnection {
  if (!config.aibot) throw new Error('WECOM_BOT_ID and WECOM_BOT_SECRET are not configured');
  const aibot: WecomAibotConfig = config.aibot;
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const registry = deps.registry ?? aibotConnections;
  const holder = deps.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseName = aibotLeaseName(aibot.botId);
  const tenant = aibotTenant(aibot.botId);
  const now = deps.now ?? (() => new Date());
  const log = deps.log;
  const logFields = { platform: 'wecom', channel: 'aibot', botId: aibot.botId, holder };

  let running = false;
  let leading = false;
  let leaseValidUntil = 0;
  let kickedAt: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let client: WSClient | undefined;
  let unregister: (() => void) | undefined;
  let pipeline: InboundPipeline | undefined;
  const callbacks = new Map<string, HeldCallback>();

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (running) timer = setTimeout(() => void tick(), ms);
  }

  function holdCallback(msgid: string, frame: WsFrame): void {
    const cutoff = Date.now() - timing.replyWindowMs;
    for (const [id, held] of callbacks) {
      if (held.receivedAt >= cutoff) break;
      callbacks.delete(id);
    }
    callbacks.set(msgid, { headers: frame.headers, receivedAt: Date.now(), used: false });
  }

  function liveConnection(ws: WSClient): AibotLiveConnection {
    return {
      reply(msgid, payload, streamId) {
        const held = callbacks.get(msgid);
        if (!held || held.used || Date.now() - held.receivedAt > timing.replyWindowMs) return null;
        held.used = true;
        return ackOf(() => ws.reply({ headers: held.headers }, replyBody(payload, streamId)));
      },
      push(chatId, payload) {
        if (!ws.isConnected)
          return Promise.resolve({ ok: false, error: 'AI bot socket not connected', delivered: 'no' });
        return ackOf(() => ws.sendMessage(chatId, pushBody(payload)));
      },
    };
  }

  async function answer(ws: WSClient, frame: WsFrame, parsed: AibotParsed, result: ActionAnswer): Promise<void> {
    if (parsed.kind === 'click') {
      const update = clickUpdate(result, parsed, { links: deps.links, tenant, now: now() });
      if (update) await ws.updateTemplateCard(frame, update.card, update.userids);
    }
    if (parsed.kind === 'enter_chat') {
      const { event } = parsed;
      const card = result.card
        ? cardToTemplateCard(
            result.card,
            { links: deps.links, tenant, chatId: '', actorUserId: event.actor.platformUserId, now: now() },
            { allowCallbacks: true, taskId: taskIdFor(`welcome:${event.id}`), linklessNotice: true },
          )
        : null;
      if (card) await ws.replyWelcome(frame, { msgtype: 'template_card', template_card: card });
      else if (result.toast) await ws.replyWelcome(frame, { msgtype: 'text', text: { content: result.toast.text } });
    }
  }

  async function onFrame(ws: WSClient, frame: WsFrame): Promise<void> {
    const started = performance.now();
    const parsed = parseAibotCallback(frame.cmd, frame.body, { tenant, now: now() });
    if (parsed.kind === 'malformed')
      return log.warn({ ...logFields, reason: parsed.reason }, 'aibot callback rejected');
    if (parsed.kind === 'ignored') return log.debug({ ...logFields, reason: parsed.reason }, 'aibot callback ignored');
    if (parsed.kind === 'message') holdCallback(parsed.event.id, frame);
    if (!pipeline) return;
    const { answer: synchronous } = await pipeline.handle(parsed.event);
    if (!synchronous || parsed.kind === 'message') return;
    if (performance.now() - started > timing.answerBudgetMs) {
      return log.warn({ ...logFields, eventId: parsed.event.id }, 'answer too late for the 5 s window, not sent');
    }
    const ack = await ackOf(() => answer(ws, frame, parsed, synchronous));
    if (!ack.ok)
      log.warn({ ...logFields, eventId: parsed.event.id, error: ack.error }, 'card update / welcome refused');
  }

  function connect(): void {
    const ws = new WSClient({
      botId: aibot.botId,
      secret: aibot.secret,
      wsUrl: aibot.wsUrl,
      heartbeatInterval: timing.heartbeatMs,
      // While we hold the lease we keep trying; losing the lease is what stops us.
      maxReconnectAttempts: -1,
      logger: sdkLogger(log),
    });
    client = ws;
    ws.on('authenticated', () => {
      unregister?.();
      unregister = registry.register(aibot.botId, liveConnection(ws));
      log.info(logFields, 'AI bot connection live');
    });
    ws.on('disconnected', (reason) => {
      unregister?.();
      unregister = undefined;
      log.info({ ...logFields, reason }, 'AI bot connection down');
    });
    ws.on('event.disconnected_event', () => {
      kickedAt = Date.now();
      log.error(logFields, 'another connection took this AI bot over (run one consumer per bot)');
    });
    ws.on('error', (error) => {
      if (error instanceof WSAuthFailureError) {
        log.error(logFields, 'AI bot authentication keeps failing: check WECOM_BOT_ID / WECOM_BOT_SECRET');
        void stepDown(true).then(() => schedule(timing.kickedRetryMs));
      }
    });
    const handle = (frame: WsFrame) =>
      void onFrame(ws, frame).catch((error: unknown) =>
        log.error({ ...logFields, err: String(error) }, 'AI bot callback handling failed'),
      );
    ws.on('message', handle);
    ws.on('event', handle);
    ws.connect();
  }

  function disconnect(): void {
    unregister?.();
    unregister = undefined;
    const ws = client;
    client = undefined;
    if (ws) {
      ws.removeAllListeners();
      ws.disconnect();
    }
    callbacks.clear();
    kickedAt = undefined;
  }

  async function stepDown(release: boolean): Promise<void> {
    disconnect();
    if (leading && release) {
      await deps.leases
        .release(leaseName, holder)
        .catch((error: unknown) => log.warn({ ...logFields, err: String(error) }, 'lease release failed'));
    }
    leading = false;
  }

  /** 'unknown' (the store failed): keep going only while the lease we last confirmed is surely still ours. */
  async function renewLease(): Promise<'renewed' | 'lost' | 'unknown'> {
    const startedAt = Date.now();
    try {
      if (!(await deps.leases.renew(leaseName, holder, timing.leaseTtlMs))) return 'lost';
      leaseValidUntil = startedAt + timing.leaseTtlMs;
      return 'renewed';
    } catch (error) {
      log.warn({ ...logFields, err: String(error) }, 'lease renewal failed');
      return Date.now() + timing.renewEveryMs < leaseValidUntil ? 'unknown' : 'lost';
    }
  }

  async function tick(): Promise<void> {
    if (!running) return;
    try {
      if (!leading) {
        const askedAt = Date.now();
        const acquired = await deps.leases.tryAcquire(leaseName, holder, timing.leaseTtlMs);
        if (!running) {
          if (acquired) await deps.leases.release(leaseName, holder);
          return;
        }
        if (!acquired) return schedule(timing.standbyRetryMs);
        leading = true;
        leaseValidUntil = askedAt + timing.leaseTtlMs;
        log.info(logFields, 'AI bot lease acquired, connecting');
        connect();
        return schedule(timing.renewEveryMs);
      }
      if ((await renewLease()) === 'lost') {
        log.warn(logFields, 'AI bot lease lost, standing by');
        await stepDown(false);
        return schedule(timing.standbyRetryMs);
      }
      if (kickedAt !== undefined && Date.now() - kickedAt >= timing.kickedRetryMs && client && !client.isConnected) {
        kickedAt = undefined;
        client.connect();
      }
      schedule(timing.renewEveryMs);
    } catch (error) {
      log.error({ ...logFields, err: String(error) }, 'AI bot lease loop failed');
      schedule(timing.standbyRetryMs);
    }
  }

  return {
    name: `wecom-aibot:${aibot.botId}`,
    async start(handler) {
      if (running) return;
      pipeline = handler;
      running = true;
      await tick();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await stepDown(true);
    },
  };
}
