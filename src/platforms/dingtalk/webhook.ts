import type { Context } from 'hono';
import type { SignedLinks } from '../../http/signed-links.js';
import type { InboundPipeline, Log } from '../types.js';
import type { DingtalkConfig } from './config.js';
import { ParseError, parseCardCallback, parseRobotMessage } from './parse.js';
import { cardAnswerLinkContext, renderCardCallbackResponse } from './render.js';
import { verifyCardCallbackSignature, verifyRobotSignature } from './verify.js';

/** DingTalk waits 2 s for a card-callback answer; leave room for the network. */
export const CARD_ANSWER_DEADLINE_MS = 1500;
/**
 * The "no reply" answer to a robot message. Community bots return it; the official page that shows the
 * format was not captured (dingtalk.md §2.5), and replies always go out through the outbox anyway.
 */
export const ROBOT_ACK = { msgtype: 'empty' } as const;

export interface DingtalkWebhookOptions {
  config: DingtalkConfig;
  links: SignedLinks;
  log: Log;
  now?: () => Date;
  /** How long a card click may wait for the pipeline before the card is answered unchanged. */
  cardAnswerDeadlineMs?: number;
}

type Outcome<T> = { done: true; value: T } | { done: false };

/** Waits for the pipeline at most `ms`; a late result is still awaited in the background and errors logged. */
async function within<T>(work: Promise<T>, ms: number, onLateError: (error: unknown) => void): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    const outcome = await Promise.race([work.then((value): Outcome<T> => ({ done: true, value })), timeout]);
    if (!outcome.done) work.catch(onLateError);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POST /webhooks/dingtalk: robot messages (signed with the app secret: `timestamp` + `sign`) and, when a
 * card template is configured, card-platform callbacks (signed with the registered apiSecret:
 * `x-ddpaas-signature-timestamp` + `x-ddpaas-signature`). Both are verified over the raw request before
 * the body is parsed. Requests without either signature are refused (some community reports say the
 * robot may post unsigned; we do not accept that).
 */
export function createDingtalkWebhook(options: DingtalkWebhookOptions) {
  const { config, links, log } = options;
  const now = options.now ?? (() => new Date());
  const tenant = config.robotCode;
  const cardDeadline = options.cardAnswerDeadlineMs ?? CARD_ANSWER_DEADLINE_MS;

  function readJson(raw: string): unknown {
    try {
      return JSON.parse(raw);
    } catch {
      throw new ParseError('body is not JSON');
    }
  }

  async function robotMessage(c: Context, pipeline: InboundPipeline, raw: string): Promise<Response> {
    const at = now();
    const verdict = verifyRobotSignature(
      { timestamp: c.req.header('timestamp'), sign: c.req.header('sign') },
      config.clientSecret,
      at,
    );
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, 'dingtalk robot callback refused: bad signature');
      return c.json({ error: 'invalid signature' }, 401);
    }
    const events = parseRobotMessage(readJson(raw), { tenant, now: at });
    if (events.length === 0) log.debug('dingtalk robot message of an unsupported type ignored');
    for (const event of events) await pipeline.handle(event);
    return c.json(ROBOT_ACK);
  }

  async function cardCallback(c: Context, pipeline: InboundPipeline, raw: string): Promise<Response> {
    const at = now();
    const secret = config.card?.callbackSecret;
    if (!secret) {
      log.warn('dingtalk card callback refused: DINGTALK_CARD_CALLBACK_SECRET is not configured');
      return c.json({ error: 'card callbacks are not configured' }, 401);
    }
    const timestamp = c.req.header('x-ddpaas-signature-timestamp');
    const verdict = verifyCardCallbackSignature(
      { timestamp, signature: c.req.header('x-ddpaas-signature') },
      secret,
      at,
    );
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, 'dingtalk card callback refused: bad signature');
      return c.json({ error: 'invalid signature' }, 401);
    }
    const body = readJson(raw);
    const probe = body as { outTrackId?: unknown; userId?: unknown };
    // HTTP card callbacks carry no delivery id; a click is identified by card, user and signing time.
    const event = parseCardCallback(body, {
      tenant,
      now: at,
      eventId: `card:${String(probe.outTrackId)}:${String(probe.userId)}:${timestamp}`,
    });
    const outcome = await within(pipeline.handle(event), cardDeadline, (error) =>
      log.error({ err: error, eventId: event.id }, 'dingtalk card callback failed after its answer deadline'),
    );
    if (!outcome.done) {
      log.warn({ eventId: event.id }, 'dingtalk card callback answered empty: pipeline missed the 2 s deadline');
      return c.json({});
    }
    return c.json(renderCardCallbackResponse(outcome.value.answer, cardAnswerLinkContext(event, links, now())));
  }

  return async function dingtalkWebhook(c: Context, pipeline: InboundPipeline): Promise<Response> {
    const raw = await c.req.text();
    const isCard =
      c.req.header('x-ddpaas-signature') !== undefined || c.req.header('x-ddpaas-signature-timestamp') !== undefined;
    try {
      return await (isCard ? cardCallback(c, pipeline, raw) : robotMessage(c, pipeline, raw));
    } catch (error) {
      if (error instanceof ParseError) {
        log.warn({ error: error.message }, 'dingtalk callback refused: malformed body');
        return c.json({ error: 'malformed body' }, 400);
      }
      log.error({ err: error }, 'dingtalk callback failed');
      return c.json({ error: 'internal error' }, 500);
    }
  };
}

export type DingtalkWebhook = ReturnType<typeof createDingtalkWebhook>;
