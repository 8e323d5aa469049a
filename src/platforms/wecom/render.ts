import { Buffer } from 'node:buffer';
import type { SignedLinks } from '../../http/signed-links.js';
import type { ActionValue, Card, CardButton, Tone } from '../../model/card.js';
import { encodeActionKey } from './action-key.js';

/**
 * Neutral Card / text → WeCom payloads (pure). One renderer serves the three channels:
 * - AI bot and self-built app: `template_card` of type `button_interaction` when the card has callback buttons
 *   (button keys carry the ActionValue as JSON, see action-key.ts), else `text_notice` when there is a link for its
 *   required `card_action`, else markdown.
 * - group robot: `text_notice` only (no callbacks): buttons with a value become signed links minted for the intended
 *   actor, or a text hint when the card is for a whole group.
 *
 * Limits (Doc path/101032, SDK typings; "建议" = WeCom's display advice, enforced here as soft caps):
 * button_list ≤ 6, key ≤ 1024 B; jump_list ≤ 3; horizontal_content_list ≤ 6; task_id ≤ 128 B [0-9a-zA-Z_-@];
 * main_title.title 建议 ≤ 26 字; button text 建议 ≤ 10 字; sub_title_text 建议 ≤ 112 字 (we allow 300 before cutting).
 * Markdown: app 2048 B, robot 4096 B, AI bot stream 20480 B.
 */

export interface TemplateCardButton {
  text: string;
  style: 1 | 2 | 3 | 4;
  key: string;
}

export interface TemplateCardJump {
  type: 1;
  title: string;
  url: string;
}

export interface TemplateCard {
  card_type: 'button_interaction' | 'text_notice';
  source?: { desc: string; desc_color: 0 | 1 | 2 | 3 };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  quote_area?: { type: 0; quote_text: string };
  horizontal_content_list?: { keyname: string; value: string }[];
  jump_list?: TemplateCardJump[];
  /** type 0 = the card opens nothing (AI bot only: the SDK typings allow it; app text_notice requires 1 or 2). */
  card_action?: { type: 0 } | { type: 1; url: string };
  button_list?: TemplateCardButton[];
  task_id?: string;
}

export interface RenderContext {
  links: SignedLinks;
  tenant: string;
  /** Group the message lands in; '' for a 1:1 chat (action links treat an empty chat id as direct). */
  chatId: string;
  /** The one user this message is for, when there is one: degraded controls become links signed for them. */
  actorUserId?: string;
  now: Date;
  /** How long degraded action links stay valid. */
  linkTtlMs?: number;
}

export const MARKDOWN_MAX_BYTES = { app: 2048, robot: 4096, aibot: 20480 } as const;
export const TEXT_MAX_BYTES = 2048;

export const WECOM_LINK_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_BUTTONS = 6;
const MAX_JUMPS = 3;
const MAX_FIELDS = 6;
const TITLE_MAX = 26;
const BUTTON_TEXT_MAX = 10;
const SUBTITLE_MAX = 300;
const FIELD_VALUE_MAX = 26;

const TONE_SOURCE: Record<Tone, { desc: string; desc_color: 0 | 1 | 2 | 3 }> = {
  info: { desc: '校安', desc_color: 0 },
  warning: { desc: '校安 · 提醒', desc_color: 1 },
  danger: { desc: '校安 · 紧急', desc_color: 2 },
  success: { desc: '校安 · 已完成', desc_color: 3 },
};

const TONE_PREFIX: Record<Tone, string> = { info: '', warning: '【提醒】', danger: '【紧急】', success: '【完成】' };

const BUTTON_STYLE: Record<CardButton['style'], 1 | 2 | 3> = { primary: 1, default: 2, danger: 3 };

const TRUNCATED = '…（内容过长，已截断）';

export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Cuts UTF-8 text to at most maxBytes on a character boundary, saying so at the end. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(TRUNCATED, 'utf8');
  let used = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > budget) break;
    used += size;
    out += char;
  }
  return out + TRUNCATED;
}

/** Markdown → readable plain text for template-card text fields, which do not render markdown. */
export function markdownToPlain(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

interface Controls {
  callbacks: TemplateCardButton[];
  /** In card order; `action` marks signed links that replay a button rather than open a page. */
  links: { title: string; url: string; action: boolean }[];
  /** Labels of controls that could not be offered here at all. */
  hints: string[];
}

function actionLink(ctx: RenderContext, userId: string, label: string, value: ActionValue): string {
  return ctx.links.actionUrl({
    platform: 'wecom',
    tenant: ctx.tenant,
    chatId: ctx.chatId,
    userId,
    label,
    value,
    expiresAt: new Date(ctx.now.getTime() + (ctx.linkTtlMs ?? WECOM_LINK_TTL_MS)),
  });
}

function planControls(card: Card, ctx: RenderContext, allowCallbacks: boolean): Controls {
  const controls: Controls = { callbacks: [], links: [], hints: [] };
  const usedKeys = new Set<string>();
  const degrade = (label: string, value: ActionValue) => {
    if (ctx.actorUserId) {
      controls.links.push({ title: label, url: actionLink(ctx, ctx.actorUserId, label, value), action: true });
    } else {
      controls.hints.push(label);
    }
  };
  for (const button of card.buttons) {
    if (button.url) {
      controls.links.push({ title: button.label, url: button.url, action: false });
      continue;
    }
    if (!button.value) continue;
    let key = allowCallbacks ? encodeActionKey(button.value) : null;
    // WeCom rejects repeated keys on one card; two buttons with one value still need two keys.
    if (key && usedKeys.has(key)) key = encodeActionKey({ ...button.value, _b: button.id });
    if (key && !usedKeys.has(key) && controls.callbacks.length < MAX_BUTTONS) {
      usedKeys.add(key);
      controls.callbacks.push({
        text: truncateChars(button.label, BUTTON_TEXT_MAX),
        style: BUTTON_STYLE[button.style],
        key,
      });
    } else {
      degrade(button.label, button.value);
    }
  }
  // Template cards have no text inputs: a form is always filled in on the signed H5 page.
  if (card.form) degrade(`填写：${card.form.submit.label}`, card.form.submit.value);
  return controls;
}

function hintLine(hints: string[]): string | undefined {
  return hints.length ? `「${hints.join('」「')}」请私聊校安机器人办理` : undefined;
}

function cardBodyText(card: Card): { paragraphs: string[]; fields: { label: string; value: string }[] } {
  const paragraphs: string[] = [];
  const fields: { label: string; value: string }[] = [];
  for (const block of card.blocks) {
    if (block.type === 'markdown') paragraphs.push(markdownToPlain(block.text));
    else fields.push(...block.fields);
  }
  return { paragraphs: paragraphs.filter(Boolean), fields };
}

/**
 * The card as a template_card, or null when WeCom has no fitting card type (no callback button and no link for
 * text_notice's required card_action) — the caller then sends markdown.
 * allowCallbacks=false (group robot) renders text_notice only. linklessNotice=true (AI-bot card updates, which must
 * be a template_card) renders a card without buttons or links as text_notice with card_action type 0 (UNCONFIRMED).
 */
export function cardToTemplateCard(
  card: Card,
  ctx: RenderContext,
  options: { allowCallbacks: boolean; taskId?: string; linklessNotice?: boolean },
): TemplateCard | null {
  const controls = planControls(card, ctx, options.allowCallbacks);
  const interactive = options.allowCallbacks && controls.callbacks.length > 0;
  if (interactive && !options.taskId) throw new Error('an interactive template_card needs a task_id');
  // A tap on the card body should open a page, so a plain link is preferred over a signed action link.
  const firstLink = controls.links.find((l) => !l.action) ?? controls.links[0];
  if (!interactive && !firstLink && !options.linklessNotice) return null;

  const { paragraphs, fields } = cardBodyText(card);
  const shownFields = fields.slice(0, MAX_FIELDS);
  const overflowFields = fields.slice(MAX_FIELDS).map((f) => `${f.label}：${f.value}`);
  const overflowLinks = controls.links.slice(MAX_JUMPS).map((l) => `${l.title}：${l.url}`);
  const subtitle = [...paragraphs, ...overflowFields, ...overflowLinks, hintLine(controls.hints)]
    .filter((part): part is string => Boolean(part))
    .join('\n');

  const template: TemplateCard = {
    card_type: interactive ? 'button_interaction' : 'text_notice',
    source: TONE_SOURCE[card.tone],
    main_title: { title: truncateChars(card.title, TITLE_MAX) },
  };
  if (subtitle) template.sub_title_text = truncateChars(subtitle, SUBTITLE_MAX);
  if (shownFields.length) {
    template.horizontal_content_list = shownFields.map((f) => ({
      keyname: f.label,
      value: truncateChars(f.value, FIELD_VALUE_MAX),
    }));
  }
  if (card.footer) template.quote_area = { type: 0, quote_text: card.footer };
  if (controls.links.length) {
    template.jump_list = controls.links.slice(0, MAX_JUMPS).map((l) => ({ type: 1, title: l.title, url: l.url }));
  }
  if (interactive) {
    template.button_list = controls.callbacks;
    template.task_id = options.taskId;
  } else {
    template.card_action = firstLink ? { type: 1, url: firstLink.url } : { type: 0 };
    if (options.taskId) template.task_id = options.taskId;
  }
  return template;
}

/**
 * The card as markdown in the subset every WeCom markdown renders (bold, links, quotes): the fallback when no
 * template_card fits. Callback buttons cannot exist in markdown, so they become signed links or a hint.
 */
export function cardToMarkdown(card: Card, ctx: RenderContext, maxBytes: number): string {
  const controls = planControls(card, ctx, false);
  const lines: string[] = [`**${TONE_PREFIX[card.tone]}${card.title}**`];
  for (const block of card.blocks) {
    if (block.type === 'markdown') lines.push(block.text);
    else lines.push(block.fields.map((f) => `**${f.label}**：${f.value}`).join('\n'));
  }
  if (controls.links.length) lines.push(controls.links.map((l) => `[${l.title}](${l.url})`).join('　'));
  const hint = hintLine(controls.hints);
  if (hint) lines.push(hint);
  if (card.footer) lines.push(`> ${card.footer}`);
  return truncateBytes(lines.join('\n\n'), maxBytes);
}

/** Text with `<@userid>` mentions, the markdown mention syntax of the group robot and app markdown. */
export function textToMentionMarkdown(text: string, mentionUserIds: string[] | undefined, maxBytes: number): string {
  const mentions = (mentionUserIds ?? []).map((id) => `<@${id}>`).join(' ');
  return truncateBytes(mentions ? `${mentions} ${text}` : text, maxBytes);
}
