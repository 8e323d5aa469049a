import { Hono } from 'hono';
import { receiptPageUrl } from '../../flows/receipts/links.js';
import { isPlatform } from '../../model/platform.js';
import type { InboundPipeline } from '../../platforms/types.js';
import { escapeHtml, h5Page } from '../h5/layout.js';
import type { ActionLinkClaims, SignedLinks } from '../signed-links.js';

const REFUSALS = {
  malformed: '链接无效，请回到群聊重新打开。',
  forged: '链接校验失败，请回到群聊重新打开。',
  expired: '链接已过期，请回到群聊重新操作。',
} as const;

/**
 * Card buttons on platforms without callbacks become signed links to this page. Opening it shows what will
 * happen; confirming replays the button as an action event of the user the link was minted for. One link,
 * one action: a second confirmation is deduped by the token itself.
 */
export function actionLinkRoutes(deps: { links: SignedLinks; pipeline: InboundPipeline; now: () => Date }): Hono {
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
    const result = await deps.pipeline.handle({
      id: `link:${token.slice(-22)}`,
      platform,
      tenant,
      kind: 'action',
      chat: { id: chatId, type: chatId ? 'group' : 'direct' },
      actor: { platformUserId: userId },
      text: '',
      mentionsBot: false,
      attachments: [],
      action: { value: action, ...(messageId ? { messageId } : {}) },
      receivedAt: deps.now(),
      raw: { via: 'action-link' },
    });
    const text = result.duplicate ? '这个操作已经完成过了。' : (result.answer?.toast?.text ?? '已完成。');
    const tone = result.answer?.toast?.type === 'error' || result.answer?.toast?.type === 'warning' ? 'warn' : 'ok';
    return c.html(
      h5Page(
        '校安',
        `<div class="panel"><h1 class="${tone}">${escapeHtml(text)}</h1><p class="muted">可以关闭此页面。</p></div>`,
      ),
    );
  });

  return app;
}
