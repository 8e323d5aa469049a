import { type Context, Hono } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import type { BurstPool, Db } from '../../db/types.js';
import { RECEIPT_PAGE_PATH, receiptPageClaims } from '../../flows/receipts/links.js';
import { createPageConfirmer } from '../../flows/receipts/page-confirm.js';
import { loadTarget, type ReceiptTarget } from '../../flows/receipts/target.js';
import { type ClientAddressHeader, clientAddress } from '../client-address.js';
import { formFields } from '../h5/form-body.js';
import { escapeHtml, h5Page } from '../h5/layout.js';
import { setResponseHeader } from '../response-headers.js';
import type { SignedLinks } from '../signed-links.js';
import { renderLetterMarkdown } from './h5-receipt-markdown.js';

/**
 * The parent's receipt page, for platforms without card callbacks and parents outside the org: the full
 * letter, the binding form (child's name + last four digits of the phone on file) and the confirmation —
 * no login. The signed token names the campaign and class and expires at the deadline.
 *
 * Wrong answers are limited twice over, both per class: per device (a random cookie, 5 tries then 30
 * minutes locked) and per client address (20 tries), so clearing cookies does not reset the count while a
 * carrier NAT shared by many parents is not locked by one of them. Every failure reads the same: the page
 * never reveals who is in the class or which numbers are on file.
 */

export interface H5ReceiptDeps {
  db: Db;
  burstPool?: BurstPool;
  links: SignedLinks;
  now: () => Date;
  letters?: readonly LetterTemplate[];
  clientAddressHeader?: ClientAddressHeader;
}

const DEVICE_COOKIE = 'xa_dev';
const MAX_FIELD_CHARS = 40;

const TOKEN_REFUSALS = {
  malformed: { status: 400, text: '链接不完整，请回到班级群重新打开。' },
  forged: { status: 403, text: '链接校验失败，请回到班级群重新打开。' },
  expired: { status: 410, text: '链接已过期：这条回执已经截止。如有需要请联系班主任。' },
} as const;

const STYLE = `<style>
.head h1{margin:4px 0 6px}.letter h2,.letter h3{font-size:17px;margin:18px 0 6px}.letter p{margin:8px 0}
.letter ol,.letter ul{padding-left:22px;margin:6px 0}.letter li{margin:3px 0}
.statement{background:#f0f4ff;border-left:3px solid #3370ff;padding:10px 12px;border-radius:6px}
label{display:block;font-size:15px;margin-top:6px}
.done{text-align:center;padding:28px 16px}.mark{font-size:48px;line-height:1;color:#2ea121}
</style>`;

function messagePage(title: string, text: string, tone: 'ok' | 'warn'): string {
  return h5Page(
    title,
    `${STYLE}<div class="panel done"><h1 class="${tone}">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p class="muted">可以关闭此页面。</p></div>`,
  );
}

function letterPage(target: ReceiptTarget, options: { error?: string; studentName?: string } = {}): string {
  const { letter, campaign } = target;
  const alert = options.error ? `<p class="alert" role="alert">${escapeHtml(options.error)}</p>` : '';
  const body = `${STYLE}
<div class="panel head"><p class="muted">${escapeHtml(campaign.schoolName)} · ${escapeHtml(target.className)}</p>
<h1>${escapeHtml(letter.title)}</h1><p class="muted">请在 ${escapeHtml(target.deadlineLabel)} 前阅读并确认</p></div>
<article class="panel letter">${renderLetterMarkdown(letter.fullText)}</article>
<div class="panel" id="confirm"><h2>家长确认</h2>${alert}
<p class="statement">${escapeHtml(letter.confirmation)}</p>
<form method="post" action="#confirm">
<label for="studentName">孩子姓名</label>
<input id="studentName" name="studentName" required maxlength="${MAX_FIELD_CHARS}" autocomplete="off" placeholder="例如：张小明" value="${escapeHtml(options.studentName ?? '')}">
<label for="phoneDigits">在学校登记的手机号后 4 位</label>
<input id="phoneDigits" name="phoneDigits" required maxlength="${MAX_FIELD_CHARS}" inputmode="numeric" autocomplete="off" placeholder="例如：1234">
<button type="submit">${escapeHtml(letter.confirmLabel)}</button>
</form>
<p class="muted">每个孩子只需一位家长确认。填写的信息只用于核对身份，不会显示给其他人。</p></div>`;
  return h5Page(letter.title, body);
}

function confirmedPage(target: ReceiptTarget, text: string): string {
  return h5Page(
    '已确认',
    `${STYLE}<div class="panel done"><div class="mark">✓</div><h1 class="ok">已确认</h1>
<p>${escapeHtml(text)}</p><p class="muted">《${escapeHtml(target.letter.title)}》· ${escapeHtml(target.className)}</p>
<p class="muted">可以关闭此页面。</p></div>`,
  );
}

/** 122 random bits from randomUUID, which Node draws from a buffered pool rather than one system call each. */
function newDeviceId(): string {
  return `dev:${crypto.randomUUID().replaceAll('-', '')}`;
}

function deviceId(c: Context): string {
  const known = getCookie(c, DEVICE_COOKIE);
  if (known && /^dev:[0-9a-f]{32}$/.test(known)) return known;
  const id = newDeviceId();
  setResponseHeader(
    c,
    'set-cookie',
    generateCookie(DEVICE_COOKIE, id, {
      path: RECEIPT_PAGE_PATH,
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.req.url.startsWith('https:'),
      maxAge: 365 * 24 * 3600,
    }),
  );
  return id;
}

export function h5ReceiptRoutes(deps: H5ReceiptDeps): Hono {
  const app = new Hono();

  // Set before the handler runs: set afterwards, Hono copies the finished response (on Node, a full WHATWG
  // Response per page).
  app.use('*', async (c, next) => {
    setResponseHeader(c, 'cache-control', 'no-store');
    setResponseHeader(c, 'referrer-policy', 'no-referrer');
    setResponseHeader(c, 'x-robots-tag', 'noindex');
    await next();
  });

  const confirm = createPageConfirmer(deps);

  /** The campaign and class the token names, or the page that says why not (nothing is counted then). */
  function verifiedClaims(c: Context): { campaignId: string; classId: string } | { response: Response } {
    const verified = deps.links.verify(c.req.param('token') ?? '', deps.now());
    if (!verified.ok) {
      const refusal = TOKEN_REFUSALS[verified.reason];
      return { response: c.html(messagePage('无法打开', refusal.text, 'warn'), refusal.status) };
    }
    const claims = receiptPageClaims(verified.claims);
    if (!claims) return { response: c.html(messagePage('无法打开', TOKEN_REFUSALS.malformed.text, 'warn'), 400) };
    return claims;
  }

  function unavailablePage(c: Context, reason: string, closed: boolean): Response {
    return c.html(messagePage(closed ? '回执已截止' : '无法打开', reason, 'warn'), closed ? 410 : 404);
  }

  app.get('/:token', async (c) => {
    const claims = verifiedClaims(c);
    if ('response' in claims) return claims.response;
    const loaded = await loadTarget(deps.db, claims.campaignId, claims.classId, deps.now(), deps.letters);
    if (!loaded.ok) return unavailablePage(c, loaded.reason, Boolean(loaded.closed));
    deviceId(c);
    return c.html(letterPage(loaded.target));
  });

  app.post('/:token', async (c) => {
    const claims = verifiedClaims(c);
    if ('response' in claims) return claims.response;
    const body = await formFields(c);
    const field = (name: string) =>
      typeof body[name] === 'string' ? (body[name] as string).slice(0, MAX_FIELD_CHARS) : '';
    const answer = { studentName: field('studentName'), phoneDigits: field('phoneDigits') };
    const outcome = await confirm({
      ...claims,
      answer,
      deviceId: deviceId(c),
      address: clientAddress(c, deps.clientAddressHeader),
    });
    if (outcome.kind === 'unavailable') return unavailablePage(c, outcome.reason, outcome.closed);
    if (outcome.kind === 'refused') {
      return c.html(letterPage(outcome.target, { error: outcome.reason, studentName: answer.studentName }), 422);
    }
    return c.html(confirmedPage(outcome.target, outcome.text));
  });

  return app;
}
