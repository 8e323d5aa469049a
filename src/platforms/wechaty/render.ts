import type { SignedLinks } from '../../http/signed-links.js';
import type { ActionValue, Card, MessageBody, Tone } from '../../model/card.js';
import { RECEIPT_KEYWORDS } from './keywords.js';

/**
 * WeChat text has no cards, buttons or markdown: a card becomes plain text, each control a signed H5 link.
 * The character cap is our own conservative choice (WeChat's text limit is not documented for puppets);
 * links and the keyword hint are never cut, only the body above them.
 */
export const MAX_TEXT_CHARS = 3000;
const MIN_BODY_CHARS = 200;
const TRUNCATED = '…（内容过长，已截断）';

export interface WechatyRenderContext {
  links: SignedLinks;
  tenant: string;
  /** The room the text goes to; '' for a direct chat (the action-link page then replays a direct action). */
  chatId: string;
  /**
   * Who the card's links act for. '' when a card goes to a whole room: the link cannot prove who opened it,
   * so the H5 page must identify the person (roster binding) before acting.
   */
  intendedUserId: string;
  linkExpiresAt: Date;
}

export interface WechatyText {
  text: string;
  /** Contacts to @-mention; only meaningful in rooms. */
  mentionUserIds: string[];
}

const TONE_MARK: Record<Tone, string> = { info: '', warning: '⚠️', danger: '🚨', success: '✅' };

export function renderWechatyMessage(body: MessageBody, ctx: WechatyRenderContext): WechatyText {
  if (body.type === 'text') {
    return { text: truncate(body.text.trim(), MAX_TEXT_CHARS), mentionUserIds: body.mentionUserIds ?? [] };
  }
  return { text: renderCardAsText(body.card, ctx), mentionUserIds: [] };
}

export function renderCardAsText(card: Card, ctx: WechatyRenderContext): string {
  const content = [
    `${TONE_MARK[card.tone]}【${card.title}】`,
    ...card.blocks.map((block) =>
      block.type === 'markdown'
        ? markdownToPlainText(block.text)
        : block.fields.map((field) => `${field.label}：${markdownToPlainText(field.value)}`).join('\n'),
    ),
  ]
    .filter((part) => part.trim() !== '')
    .join('\n');

  const actions = actionLines(card, ctx);
  const tail = [...actions, ...(card.footer ? [markdownToPlainText(card.footer)] : [])].join('\n');
  const bodyBudget = Math.max(MIN_BODY_CHARS, MAX_TEXT_CHARS - tail.length - 1);
  return [truncate(content, bodyBudget), tail].filter((part) => part !== '').join('\n');
}

function actionLines(card: Card, ctx: WechatyRenderContext): string[] {
  const link = (value: ActionValue, label: string) =>
    ctx.links.actionUrl({
      platform: 'wechaty',
      tenant: ctx.tenant,
      chatId: ctx.chatId,
      userId: ctx.intendedUserId,
      label,
      value,
      expiresAt: ctx.linkExpiresAt,
    });

  const lines: string[] = [];
  for (const button of card.buttons) {
    if (button.url) lines.push(`${button.label}：${button.url}`);
    else if (button.value) lines.push(`${button.label}：${link(button.value, button.label)}`);
  }
  if (card.form) {
    const fields = card.form.inputs.map((input) => input.label).join('、');
    lines.push(`${card.form.submit.label}（需填写${fields}）：${link(card.form.submit.value, card.form.submit.label)}`);
  }
  const values = [...card.buttons.map((button) => button.value), card.form?.submit.value];
  if (values.some((value) => value?.flow === 'receipt')) {
    lines.push(`也可直接回复「${RECEIPT_KEYWORDS[0]}」完成回执`);
  }
  return lines;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return (
    chars
      .slice(0, Math.max(0, max - TRUNCATED.length))
      .join('')
      .trimEnd() + TRUNCATED
  );
}

const URL_PATTERN = /https?:\/\/[^\s<>()（）]+/g;

/** Markdown (and the HTML-ish tags other platforms accept) flattened to text WeChat shows as written. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<(https?:\/\/[^>\s]+)>/gi, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .split('\n')
    .filter((line) => !/^\s*```/.test(line))
    .map((line) =>
      line
        .replace(/^\s{0,3}#{1,6}\s+/, '')
        .replace(/^\s{0,3}>\s?/, '')
        .replace(/^\s*([-*_])(\s*\1){2,}\s*$/, '——————')
        .replace(/^(\s*)[-*+]\s+/, '$1• ')
        .replace(/!\[([^\]]*)\]\([^)\s]+\)/g, (_match, alt: string) => (alt ? `[图片：${alt}]` : '[图片]'))
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_match, label: string, url: string) =>
          label === url ? url : `${label} ${url}`,
        ),
    )
    .map(stripInlineMarks)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Backslash-escaped ASCII marks are parked in the private-use area while emphasis is stripped. */
const ESCAPE_BASE = 0xe000;
const hideEscaped = (char: string) => String.fromCharCode(ESCAPE_BASE + char.charCodeAt(0));

/** Emphasis and code marks removed outside URLs (signed tokens contain "_" and must stay intact). */
function stripInlineMarks(line: string): string {
  const urls = line.match(URL_PATTERN) ?? [];
  const texts = line.split(URL_PATTERN).map((text) =>
    text
      .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, (_match, char: string) => hideEscaped(char))
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/~~(.+?)~~/g, '$1')
      .replace(/(^|[^*\w])\*(\S(?:.*?\S)?)\*(?!\*)/g, '$1$2')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/[\uE000-\uE07F]/g, (hidden) => String.fromCharCode(hidden.charCodeAt(0) - ESCAPE_BASE)),
  );
  return texts.map((text, index) => text + (urls[index] ?? '')).join('');
}
