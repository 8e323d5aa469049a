import type { Context } from 'hono';
import { keepAliveFor } from '../../../http/background.js';
import type { ActionAnswer } from '../../../model/card.js';
import type { InboundPipeline, PlatformDeps } from '../../types.js';
import type { WecomAppConfig } from '../config.js';
import { cardToTemplateCard, truncateChars } from '../render.js';
import { appTenant } from '../tenant.js';
import type { TemplateCardUpdate, WecomAppClient } from './client.js';
import { type AppCardClick, parseAppMessage } from './parse.js';
import { decryptPayload, signatureMatches, timestampFresh } from './verify.js';
import { parseWecomXml } from './xml.js';

/**
 * GET/POST /webhooks/wecom — the self-built app callback (Doc path/90968, old doc 10514).
 * GET: URL verification, answered with the decrypted echostr exactly (no quotes, BOM or newline).
 * POST: verify msg_signature over <Encrypt>, decrypt (padding and receive id checked), parse, hand to the pipeline,
 * then answer an empty 200 — WeCom retries after 5 s or on any non-200, so nothing slow happens before the answer:
 * a card click's answer is applied afterwards with update_template_card (its response code is single use, 72 h).
 */

type WebhookHandler = (c: Context, pipeline: InboundPipeline) => Promise<Response>;

const BUTTON_REPLACE_NAME_MAX = 10;

function reject(deps: PlatformDeps, status: 400 | 401, reason: string): Response {
  deps.log.warn({ platform: 'wecom', channel: 'app', reason }, 'wecom app callback rejected');
  return new Response(status === 401 ? 'unauthorized' : 'bad request', { status });
}

const TOAST_LABEL: Record<NonNullable<ActionAnswer['toast']>['type'], string> = {
  success: '已完成',
  info: '已收到',
  warning: '未完成',
  error: '未完成',
};

/**
 * The greyed button's new name (≤ 10 characters): the toast's first clause when it is that short ("已确认：刘小雨。…"
 * → "已确认"), else a word for its outcome — a cut-off sentence on a button reads as a glitch.
 */
function buttonLabel(toast: NonNullable<ActionAnswer['toast']>): string {
  const clause = toast.text.split(/[：:，,。.！!；;？?\s]/)[0]?.trim() ?? '';
  return clause && Array.from(clause).length <= BUTTON_REPLACE_NAME_MAX ? clause : TOAST_LABEL[toast.type];
}

/** Hono decodes '+' in query strings as a space; Base64 never contains spaces. */
const base64Param = (value: string) => value.replace(/ /g, '+');

export function createWecomAppWebhook(
  app: WecomAppConfig & { callback: NonNullable<WecomAppConfig['callback']> },
  client: WecomAppClient,
  deps: PlatformDeps,
): WebhookHandler {
  const now = deps.now ?? (() => new Date());
  const tenant = appTenant(app.corpId, app.agentId);
  const { token, encodingAesKey } = app.callback;

  function authenticate(
    query: Record<string, string>,
    encrypted: string,
  ): { ok: true; plaintext: string } | { ok: false; reason: string } {
    const { msg_signature: signature, timestamp, nonce } = query;
    if (!signature || !timestamp || !nonce) return { ok: false, reason: 'missing msg_signature/timestamp/nonce' };
    if (!timestampFresh(timestamp, now())) return { ok: false, reason: 'timestamp outside the accepted window' };
    if (!signatureMatches(token, timestamp, nonce, encrypted, signature))
      return { ok: false, reason: 'bad msg_signature' };
    const opened = decryptPayload(encodingAesKey, encrypted, app.corpId);
    return opened.ok ? { ok: true, plaintext: opened.message } : opened;
  }

  function updateFor(click: AppCardClick, answer: ActionAnswer): TemplateCardUpdate | null {
    const base = { userids: [click.userId], responseCode: click.responseCode };
    if (answer.card) {
      const card = cardToTemplateCard(
        answer.card,
        { links: deps.links, tenant, chatId: '', actorUserId: click.userId, now: now() },
        { allowCallbacks: true, taskId: click.taskId },
      );
      if (card) return { ...base, card };
    }
    const label = answer.toast
      ? buttonLabel(answer.toast)
      : answer.card && truncateChars(answer.card.title, BUTTON_REPLACE_NAME_MAX);
    return label ? { ...base, replaceName: label } : null;
  }

  async function applyAnswer(click: AppCardClick, answer: ActionAnswer): Promise<void> {
    const update = updateFor(click, answer);
    if (!update) return;
    const result = await client.updateTemplateCard(update);
    if (!result.ok) {
      deps.log.warn(
        { platform: 'wecom', channel: 'app', taskId: click.taskId, error: result.error },
        'card update failed',
      );
    }
  }

  return async (c, pipeline) => {
    const query = c.req.query();

    if (c.req.method === 'GET') {
      if (!query.echostr) return reject(deps, 400, 'GET without echostr');
      const verified = authenticate(query, base64Param(query.echostr));
      if (!verified.ok) return reject(deps, 401, verified.reason);
      return new Response(verified.plaintext, {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }

    const envelope = parseWecomXml(await c.req.text());
    if (!envelope.ok) return reject(deps, 400, envelope.reason);
    const encrypted = envelope.root.Encrypt;
    if (typeof encrypted !== 'string' || !encrypted) return reject(deps, 400, 'envelope without <Encrypt>');

    const verified = authenticate(query, encrypted);
    if (!verified.ok) return reject(deps, 401, verified.reason);

    const inner = parseWecomXml(verified.plaintext);
    if (!inner.ok) return reject(deps, 400, `decrypted payload: ${inner.reason}`);
    const parsed = parseAppMessage(inner.root, { tenant, now: now() });
    if (parsed.kind === 'malformed') return reject(deps, 400, parsed.reason);
    if (parsed.kind === 'ignored') {
      deps.log.debug({ platform: 'wecom', channel: 'app', reason: parsed.reason }, 'wecom app callback ignored');
      return new Response('', { status: 200 });
    }

    let result: Awaited<ReturnType<InboundPipeline['handle']>>;
    try {
      result = await pipeline.handle(parsed.event);
    } catch (error) {
      // A non-200 makes WeCom deliver again (3 tries in all); the pipeline's key dedupes what did commit.
      deps.log.error(
        { platform: 'wecom', channel: 'app', eventId: parsed.event.id, err: String(error) },
        'pipeline failed',
      );
      return new Response('retry', { status: 500 });
    }
    if (parsed.click && result.answer && !result.duplicate) {
      // Started before it is handed over: on Node nobody keeps it, it simply runs on.
      const update = applyAnswer(parsed.click, result.answer).catch((error: unknown) =>
        deps.log.error({ platform: 'wecom', channel: 'app', err: String(error) }, 'card update crashed'),
      );
      keepAliveFor(c)?.(update);
    }
    return new Response('', { status: 200 });
  };
}
