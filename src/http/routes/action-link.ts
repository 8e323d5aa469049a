import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { rememberAnswer, rememberedAnswer } from '../../db/repos/inbound-events.js';
import type { Db } from '../../db/types.js';
import { receiptPageUrl } from '../../flows/receipts/links.js';
import type { ActionAnswer, ActionValue } from '../../model/card.js';
import { isPlatform } from '../../model/platform.js';
import type { InboundPipeline, Log } from '../../platforms/types.js';
import { formFields } from '../h5/form-body.js';
import { FORM_SPEC_FIELD, formPanel, formSpecOf, parseFormSpec } from '../h5/form.js';
import { escapeHtml, h5Page } from '../h5/layout.js';
import type { ActionLinkClaims, SignedLinks } from '../signed-links.js';

const REFUSALS = {
  malformed: '链接无效，请回到群聊重新打开。',
  forged: '链接校验失败，请回到群聊重新打开。',
  expired: '链接已过期，请回到群聊重新操作。',
} as const;

const DONE_BEFORE = '这个操作已经完成过了。';

/**
 * The outcome; `next` are the answer card's buttons, so the work can go on from this page. `again`: the link
 * was posted before (a reload, a second tap), and this is what it answered then.
 */
function donePage(
  text: string,
  tone: 'ok' | 'warn',
  next: { label: string; action: string }[] = [],
  again = false,
): string {
  const buttons = next.map(
    (button) =>
      `<form method="post" action="${escapeHtml(button.action)}"><button type="submit" class="secondary">${escapeHtml(button.label)}</button></form>`,
  );
  const rest = buttons.length > 0 ? `<div class="panel next">${buttons.join('\n')}</div>` : '';
  const before = again ? `<p class="muted">${DONE_BEFORE}以上是当时的结果。</p>` : '';
  return h5Page(
    '校安',
    `<style>.next form+form{margin-top:10px}</style><div class="panel"><h1 class="${tone}">${escapeHtml(text)}</h1>${before}<p class="muted">${buttons.length > 0 ? '结果已同步到群聊；还可以继续：' : '可以关闭此页面。'}</p></div>${rest}`,
  );
}

/** The values a form page posted (its own description left out), or none when nothing was posted. */
function submittedValues(posted: Record<string, unknown>): Record<string, string> | undefined {
  const entries = Object.entries(posted).filter(
    (entry): entry is [string, string] => entry[0] !== FORM_SPEC_FIELD && typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function fingerprint(values: Record<string, string>): string {
  const sorted = Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('base64url').slice(0, 16);
}

/**
 * Card buttons on platforms without callbacks become signed links to this page. Opening it shows what will
 * happen; confirming replays the button as an action event of the user the link was minted for. One link,
 * one action: a second confirmation is deduped by the token itself, and is shown what the first one answered
 * (in-app browsers reload pages when people switch apps: a form opened by 修改 must come back, not vanish).
 * When the answer is a form (修改, 指派, 整改, 复查 …) the page shows it, and its submit is a link of its own
 * carrying the typed values.
 */
export function actionLinkRoutes(deps: {
  db: Db;
  links: SignedLinks;
  pipeline: InboundPipeline;
  log: Log;
  now: () => Date;
}): Hono {
  const app = new Hono();

  const refuse = (reason: keyof typeof REFUSALS) =>
    h5Page('链接无效', `<div class="panel"><h1 class="warn">无法打开</h1><p>${REFUSALS[reason]}</p></div>`);

  const anonymous = () =>
    h5Page(
      '请在群聊中操作',
      '<div class="panel"><h1 class="warn">无法确认你的身份</h1><p>这个链接发给了整个群，无法确认是谁在操作。请回到群聊，@校安 用命令完成操作（发送「帮助」查看命令）。</p></div>',
    );

  /** A receipt button sent to a whole group: the receipt page identifies the parent by the roster instead. */
  const receiptPage = (claims: ActionLinkClaims, exp: unknown) => {
    const { flow, campaign, class: classId } = claims.value;
    if (flow !== 'receipt' || typeof campaign !== 'string' || typeof classId !== 'string') return null;
    return receiptPageUrl(deps.links, campaign, classId, new Date(Number(exp) * 1000));
  };

  app.get('/:token', (c) => {
    const verified = deps.links.verify(c.req.param('token'), deps.now());
    if (!verified.ok) return c.html(refuse(verified.reason), verified.reason === 'expired' ? 410 : 403);
    const claims = deps.links.actionClaims(verified.claims);
    if (!claims) return c.html(refuse('malformed'), 400);
    const receipt = claims.userId ? null : receiptPage(claims, verified.claims.exp);
    if (receipt) return c.redirect(receipt, 302);
    if (!claims.userId) return c.html(anonymous(), 403);
    const label = claims.label ?? '确认操作';
    return c.html(
      h5Page(
        '校安',
        `<div class="panel"><h1>${escapeHtml(label)}</h1><p class="muted">点击下方按钮完成操作，结果会同步到群聊。</p>
         <form method="post"><button type="submit">${escapeHtml(label)}</button></form></div>`,
      ),
    );
  });

  app.post('/:token', async (c) => {
    const token = c.req.param('token');
    const verified = deps.links.verify(token, deps.now());
    if (!verified.ok) return c.html(refuse(verified.reason), verified.reason === 'expired' ? 410 : 403);
    const claims = deps.links.actionClaims(verified.claims);
    if (!claims || !isPlatform(claims.platform)) return c.html(refuse('malformed'), 400);
    const receipt = claims.userId ? null : receiptPage(claims, verified.claims.exp);
    if (receipt) return c.redirect(receipt, 303);
    if (!claims.userId) return c.html(anonymous(), 403);
    const { platform, tenant, chatId, userId, messageId, value: action } = claims;
    const posted = await formFields(c);
    const form = submittedValues(posted);
    // A form link can be submitted again after a refusal, with other values: those are another event.
    const key = {
      platform,
      eventId: form ? `link:${token.slice(-22)}:${fingerprint(form)}` : `link:${token.slice(-22)}`,
    };
    const result = await deps.pipeline.handle({
      id: key.eventId,
      platform,
      tenant,
      kind: 'action',
      chat: { id: chatId, type: chatId ? 'group' : 'direct' },
      actor: { platformUserId: userId },
      text: '',
      mentionsBot: false,
      attachments: [],
      action: { value: action, ...(messageId ? { messageId } : {}), ...(form ? { form } : {}) },
      receivedAt: deps.now(),
      raw: { via: 'action-link' },
    });
    const again = result.duplicate;
    const answer: ActionAnswer | null | undefined = again ? await rememberedAnswer(deps.db, key) : result.answer;
    if (again && !answer) return c.html(donePage(DONE_BEFORE, 'ok'));
    if (!again && answer) {
      // After the commit: if this fails the action stands, and only a repeat of the link loses its replay.
      await rememberAnswer(deps.db, key, answer).catch((error: unknown) =>
        deps.log.warn({ err: error, eventId: key.eventId }, 'action link answer not kept for replays'),
      );
    }
    const toast = answer?.toast;
    const refused = toast?.type === 'error' || toast?.type === 'warning';
    const answerCard = answer?.card;
    // Further links act as the same person in the same chat, until this link would have expired.
    const linkTo = (value: ActionValue, label: string) =>
      new URL(
        deps.links.actionUrl({
          platform,
          tenant,
          chatId,
          userId,
          ...(messageId ? { messageId } : {}),
          label,
          value,
          expiresAt: new Date(Number(verified.claims.exp) * 1000),
        }),
      ).pathname;
    if (!refused && answerCard?.form) {
      // The answer is a form the platform could not show: this page shows it, posting to its own link.
      const { submit } = answerCard.form;
      const spec = formSpecOf(answerCard.title, answerCard.form);
      return c.html(h5Page('校安', formPanel(spec, linkTo(submit.value, submit.label), { note: toast?.text })));
    }
    const spec = parseFormSpec(posted[FORM_SPEC_FIELD]);
    if (refused && form && spec) {
      const retry = formPanel(spec, c.req.path, { values: form, error: toast.text });
      return c.html(h5Page('校安', retry), 422);
    }
    const next = (refused ? [] : (answerCard?.buttons ?? [])).flatMap((button) =>
      button.value ? [{ label: button.label, action: linkTo(button.value, button.label) }] : [],
    );
    return c.html(donePage(toast?.text ?? '已完成。', refused ? 'warn' : 'ok', next, again));
  });

  return app;
}
