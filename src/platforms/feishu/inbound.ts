import type { ActionAnswer } from '../../model/card.js';
import type { InboundEvent } from '../../model/inbound.js';
import type { InboundPipeline, Log } from '../types.js';
import type { FeishuConfig } from './config.js';
import { type FeishuDeliveryKind, parseFeishuPayload } from './parse.js';
import { renderFeishuCallbackAnswer, renderLegacyCallbackAnswer } from './render.js';
import { isObject } from './verify.js';

/**
 * Verified payload → parse → pipeline → answer; shared by the HTTP webhook and the long connection.
 * Feishu wants every answer within 3 s (feishu.md §1.6, §2.2). Events wait for the pipeline so a crash
 * before commit is redelivered, but are acknowledged at the deadline if it is still working; card callbacks
 * must answer from the committed state, so they wait too and fall back to a "processing" toast.
 */

export const FEISHU_ANSWER_DEADLINE_MS = 2500;
/** Resolving the bot's open_id must not eat the answer deadline when Feishu is slow. */
const BOT_ID_WAIT_MS = 1000;

export interface FeishuInboundOptions {
  config: Pick<FeishuConfig, 'appId'>;
  log: Log;
  now: () => Date;
  botOpenId: () => Promise<string | undefined>;
  deadlineMs?: number;
}

export interface FeishuInboundExtras {
  /** X-Lark-Request-Timestamp, part of a legacy card callback's dedupe id. */
  requestTimestamp?: string;
  /** Keeps work running after the answer (Workers: executionCtx.waitUntil). */
  keepAlive?: (work: Promise<unknown>) => void;
}

export interface FeishuInboundAnswer {
  status: 200 | 400 | 500;
  body: Record<string, unknown>;
}

export type FeishuInboundHandler = (
  payload: Record<string, unknown>,
  pipeline: InboundPipeline,
  extras?: FeishuInboundExtras,
) => Promise<FeishuInboundAnswer>;

const STALE_BUTTON: ActionAnswer = { toast: { type: 'warning', text: '该按钮已失效，请刷新后重试' } };
const STILL_WORKING: ActionAnswer = { toast: { type: 'info', text: '已收到，正在处理…' } };
const FAILED: ActionAnswer = { toast: { type: 'error', text: '操作失败，请稍后重试' } };

export function createFeishuInbound(options: FeishuInboundOptions): FeishuInboundHandler {
  const { log } = options;
  const deadlineMs = options.deadlineMs ?? FEISHU_ANSWER_DEADLINE_MS;

  return async (payload, pipeline, extras = {}) => {
    const botOpenId = isMessageEvent(payload) ? await resolveBotOpenId() : undefined;
    const parsed = parseFeishuPayload(payload, {
      appId: options.config.appId,
      botOpenId,
      receivedAt: options.now(),
      requestTimestamp: extras.requestTimestamp,
    });
    if (!parsed.ok) {
      log.warn({ reason: parsed.error }, 'feishu delivery rejected: malformed payload');
      return { status: 400, body: {} };
    }
    if (parsed.kind === 'event') return acknowledgeEvents(parsed.events, pipeline, extras);
    return answerCard(parsed.kind, parsed.events[0], pipeline, extras);
  };

  async function resolveBotOpenId(): Promise<string | undefined> {
    const outcome = await settleWithin(options.botOpenId(), BOT_ID_WAIT_MS);
    const id = outcome.state === 'done' ? outcome.value : undefined;
    if (!id) log.warn('feishu bot open_id unknown: mentions of the bot cannot be recognised');
    return id;
  }

  async function acknowledgeEvents(
    events: InboundEvent[],
    pipeline: InboundPipeline,
    extras: FeishuInboundExtras,
  ): Promise<FeishuInboundAnswer> {
    if (events.length === 0) return { status: 200, body: {} };
    const work = (async () => {
      for (const event of events) await pipeline.handle(event);
    })();
    const outcome = await settleWithin(work, deadlineMs);
    if (outcome.state === 'late') {
      // Logged on every runtime; the keep-alive only exists on Workers.
      const late = work.catch((error: unknown) => logFailure(events, error));
      extras.keepAlive?.(late);
      log.warn({ eventIds: events.map((event) => event.id) }, 'feishu event still processing at the deadline; acked');
      return { status: 200, body: {} };
    }
    if (outcome.state === 'failed') {
      logFailure(events, outcome.error);
      // Not acknowledged: Feishu redelivers (15 s, 5 min, 1 h, 6 h) and the dedupe key keeps it single.
      return { status: 500, body: {} };
    }
    return { status: 200, body: {} };
  }

  async function answerCard(
    kind: Exclude<FeishuDeliveryKind, 'event'>,
    event: InboundEvent | undefined,
    pipeline: InboundPipeline,
    extras: FeishuInboundExtras,
  ): Promise<FeishuInboundAnswer> {
    const render = kind === 'legacy_card' ? renderLegacyCallbackAnswer : renderFeishuCallbackAnswer;
    if (!event) return { status: 200, body: render(STALE_BUTTON) };
    const work = pipeline.handle(event);
    const outcome = await settleWithin(work, deadlineMs);
    if (outcome.state === 'late') {
      const late = work.catch((error: unknown) => logFailure([event], error));
      extras.keepAlive?.(late);
      return { status: 200, body: render(STILL_WORKING) };
    }
    if (outcome.state === 'failed') {
      logFailure([event], outcome.error);
      return { status: 200, body: render(FAILED) };
    }
    return { status: 200, body: render(outcome.value.answer) };
  }

  function logFailure(events: InboundEvent[], error: unknown) {
    log.error(
      { eventIds: events.map((event) => event.id), error: error instanceof Error ? error.message : String(error) },
      'feishu event handling failed',
    );
  }
}

type Settled<T> = { state: 'done'; value: T } | { state: 'failed'; error: unknown } | { state: 'late' };

async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'late' }), ms);
  });
  try {
    return await Promise.race([
      work.then(
        (value): Settled<T> => ({ state: 'done', value }),
        (error: unknown): Settled<T> => ({ state: 'failed', error }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function isMessageEvent(payload: Record<string, unknown>): boolean {
  return isObject(payload.header) && payload.header.event_type === 'im.message.receive_v1';
}
