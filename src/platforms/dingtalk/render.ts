import type { ActionAnswer, ActionValue, Card, CardButton, MessageBody, Tone } from '../../model/card.js';
import type { SignedLinks } from '../../http/signed-links.js';
import type { InboundEvent } from '../../model/inbound.js';

/** OpenAPI robot sends: msgParam is at most 15,000 bytes (dingtalk.md §5). Used for sessionWebhook too. */
export const MSG_PARAM_MAX_BYTES = 15_000;
/** Card-platform cardParamMap values are at most 1 KB each (dingtalk.md §8.1). */
export const CARD_PARAM_MAX_BYTES = 1_000;
/** actionCard button titles ≤ 20 characters and URLs ≤ 500 characters (sampleActionCard2..5). */
const BUTTON_TITLE_MAX = 20;
const BUTTON_URL_MAX = 500;
/** sampleActionCard2..5 carry at most five buttons; more go into the text as links. */
const MAX_CARD_BUTTONS = 5;
/** Signed action links stay valid this long: long enough for a letter campaign, short enough to go stale. */
export const ACTION_LINK_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** Template slots (see README: the card template contract). */
export const TEMPLATE_ACTION_SLOTS = 3;
export const TEMPLATE_LINK_SLOTS = 2;

const TRUNCATED = '\n\n…（内容过长，已截断）';
const TONE_MARK: Record<Tone, string> = { info: '🔵', warning: '🟠', danger: '🔴', success: '🟢' };

/**
 * The chat id a signed link carries: the group's, or '' for a 1:1 chat — the action page then replays
 * the button as a direct-chat event of the link's user, as a click in that chat would be.
 */
export const linkChatId = (groupId: string | null) => groupId ?? '';

/**
 * Links in the answer to a card click. A group card is shared, so its links act as whoever opens them
 * (pages such as the receipt page identify them); a 1:1 card is the clicker's alone, so they act as them.
 */
export function cardAnswerLinkContext(
  event: Pick<InboundEvent, 'chat' | 'actor' | 'tenant'>,
  links: SignedLinks,
  now: Date,
): LinkContext {
  const group = event.chat.type === 'group';
  return {
    links,
    tenant: event.tenant,
    chatId: linkChatId(group ? event.chat.id : null),
    actorId: group ? '' : event.actor.platformUserId,
    expiresAt: new Date(now.getTime() + ACTION_LINK_TTL_MS),
  };
}

export interface LinkContext {
  links: SignedLinks;
  tenant: string;
  /** The chat the message goes to: linkChatId(). */
  chatId: string;
  /** The user a signed link acts as; '' when anyone in the chat may open it (the H5 page identifies them). */
  actorId: string;
  expiresAt: Date;
  messageId?: string;
}

export interface DingButton {
  title: string;
  url: string;
}

/** A rendered message, before it is encoded for the sessionWebhook or for the robot OpenAPI. */
export type DingMessage =
  | { kind: 'text'; content: string; atUserIds: string[] }
  | { kind: 'markdown'; title: string; text: string; atUserIds: string[] }
  | { kind: 'actionCard'; title: string; text: string; buttons: DingButton[] };

const encoder = new TextEncoder();
export const utf8Length = (text: string) => encoder.encode(text).length;

/** Cuts text to at most maxBytes of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number, suffix = TRUNCATED): string {
  if (utf8Length(text) <= maxBytes) return text;
  const budget = Math.max(0, maxBytes - utf8Length(suffix));
  let used = 0;
  let cut = '';
  for (const char of text) {
    const size = utf8Length(char);
    if (used + size > budget) break;
    used += size;
    cut += char;
  }
  return cut + suffix;
}

/**
 * Links open inside DingTalk on mobile; on PC `pc_slide=false` opens them in the browser (official
 * "message link description": true = PC sidebar, false = browser), where the H5 forms have room.
 */
export function dingtalkLink(url: string): string {
  const wrapped = `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(url)}&pc_slide=false`;
  return wrapped.length <= BUTTON_URL_MAX ? wrapped : url;
}

const shortTitle = (title: string) =>
  Array.from(title).length > BUTTON_TITLE_MAX
    ? `${Array.from(title)
        .slice(0, BUTTON_TITLE_MAX - 1)
        .join('')}…`
    : title;

/** The label is shown on the H5 confirmation page, so the person knows what the link will do. */
function actionLink(value: ActionValue, label: string, ctx: LinkContext): string {
  return ctx.links.actionUrl({
    platform: 'dingtalk',
    tenant: ctx.tenant,
    chatId: ctx.chatId,
    userId: ctx.actorId,
    ...(ctx.messageId ? { messageId: ctx.messageId } : {}),
    label,
    value,
    expiresAt: ctx.expiresAt,
  });
}

/** A button as a link: `url` buttons open directly, callback buttons become signed action links. */
function buttonLink(button: CardButton, ctx: LinkContext): DingButton | null {
  if (button.url) return { title: button.label, url: button.url };
  if (button.value) return { title: button.label, url: actionLink(button.value, button.label, ctx) };
  return null;
}

/** The card's form cannot be shown in DingTalk: its submit becomes a link to the H5 action page. */
function formLink(card: Card, ctx: LinkContext): DingButton | null {
  if (!card.form) return null;
  const { label, value } = card.form.submit;
  return { title: label, url: actionLink(value, label, ctx) };
}

function markdownBody(card: Card): string {
  const parts: string[] = [];
  for (const block of card.blocks) {
    if (block.type === 'markdown') parts.push(block.text);
    else parts.push(block.fields.map((field) => `**${field.label}**：${field.value}`).join('\n\n'));
  }
  if (card.form) {
    const labels = card.form.inputs.map((input) => input.label).join('、');
    parts.push(`请点击「${card.form.submit.label}」在页面中填写：${labels}`);
  }
  return parts.join('\n\n');
}

const markdownLink = (button: DingButton) => `[${button.title}](${dingtalkLink(button.url)})`;

/** Neutral card → DingTalk actionCard (or markdown when it has no buttons). */
export function renderCard(card: Card, ctx: LinkContext): DingMessage {
  const title = `${TONE_MARK[card.tone]} ${card.title}`;
  const buttons = [...card.buttons.map((button) => buttonLink(button, ctx)), formLink(card, ctx)].filter(
    (button): button is DingButton => button !== null,
  );
  const shown: DingButton[] = [];
  const inText: DingButton[] = [];
  for (const button of buttons) {
    const url = dingtalkLink(button.url);
    if (shown.length < MAX_CARD_BUTTONS && url.length <= BUTTON_URL_MAX)
      shown.push({ title: shortTitle(button.title), url });
    else inText.push(button);
  }
  const body = markdownBody(card);
  const extra = inText.length > 0 ? `\n\n${inText.map(markdownLink).join('　')}` : '';
  const footer = card.footer ? `\n\n> ${card.footer}` : '';
  const text = `### ${title}\n\n${body}${extra}${footer}`;
  if (shown.length === 0) return { kind: 'markdown', title: card.title, text, atUserIds: [] };
  return { kind: 'actionCard', title: card.title, text, buttons: shown };
}

export function renderBody(body: MessageBody, ctx: LinkContext): DingMessage {
  if (body.type === 'card') return renderCard(body.card, ctx);
  return { kind: 'text', content: body.text, atUserIds: body.mentionUserIds ?? [] };
}

/** Adds @-mentions to a text or markdown message (sessionWebhook only: the robot OpenAPI cannot @). */
export function withMentions(message: DingMessage, userIds: string[]): DingMessage {
  if (message.kind === 'actionCard' || userIds.length === 0) return message;
  return { ...message, atUserIds: [...new Set([...message.atUserIds, ...userIds])] };
}

/** A one-line summary (DING content, notification previews). */
export function summaryOf(body: MessageBody, maxChars = 200): string {
  const text = body.type === 'text' ? body.text : body.card.title;
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('')}…` : chars.join('');
}

/** The text visible to the client, with "@userId" for each mention (DingTalk only highlights ids present in the text). */
function mentionText(text: string, atUserIds: string[]): string {
  const missing = atUserIds.filter((id) => !text.includes(`@${id}`));
  return missing.length === 0 ? text : `${text} ${missing.map((id) => `@${id}`).join(' ')}`;
}

/** Shrinks the message's long text until `encode(message)` fits in maxBytes. */
function fitWithin<T>(
  message: DingMessage,
  encode: (m: DingMessage) => T,
  size: (encoded: T) => number,
  maxBytes: number,
): T {
  let current = message;
  let encoded = encode(current);
  for (let round = 0; round < 4 && size(encoded) > maxBytes; round++) {
    const overflow = size(encoded) - maxBytes;
    const text = current.kind === 'text' ? current.content : current.text;
    const shorter = truncateUtf8(text, Math.max(0, utf8Length(text) - overflow - 64));
    current = current.kind === 'text' ? { ...current, content: shorter } : { ...current, text: shorter };
    encoded = encode(current);
  }
  return encoded;
}

/** Body for POST {sessionWebhook}: the custom-robot message format (dingtalk.md §2.5, §7). */
export function toSessionWebhookBody(message: DingMessage): Record<string, unknown> {
  const encode = (m: DingMessage): Record<string, unknown> => {
    switch (m.kind) {
      case 'text':
        return {
          msgtype: 'text',
          text: { content: mentionText(m.content, m.atUserIds) },
          ...(m.atUserIds.length > 0 ? { at: { atUserIds: m.atUserIds, isAtAll: false } } : {}),
        };
      case 'markdown':
        return {
          msgtype: 'markdown',
          markdown: { title: m.title, text: mentionText(m.text, m.atUserIds) },
          ...(m.atUserIds.length > 0 ? { at: { atUserIds: m.atUserIds, isAtAll: false } } : {}),
        };
      case 'actionCard':
        return {
          msgtype: 'actionCard',
          actionCard:
            m.buttons.length === 1
              ? { title: m.title, text: m.text, singleTitle: m.buttons[0]!.title, singleURL: m.buttons[0]!.url }
              : {
                  title: m.title,
                  text: m.text,
                  btnOrientation: horizontal(m.buttons) ? '1' : '0',
                  btns: m.buttons.map((b) => ({ title: b.title, actionURL: b.url })),
                },
        };
    }
  };
  return fitWithin(message, encode, (body) => utf8Length(JSON.stringify(body)), MSG_PARAM_MAX_BYTES);
}

/** Two short buttons sit side by side; anything else stacks. */
const horizontal = (buttons: DingButton[]) =>
  buttons.length === 2 && buttons.every((b) => Array.from(b.title).length <= 6);

/** msgKey + msgParam for /v1.0/robot/groupMessages/send and /oToMessages/batchSend (dingtalk.md §5.1). */
export function toRobotApiMessage(message: DingMessage): { msgKey: string; msgParam: string } {
  const encode = (m: DingMessage): { msgKey: string; msgParam: string } => {
    switch (m.kind) {
      case 'text':
        return { msgKey: 'sampleText', msgParam: JSON.stringify({ content: m.content }) };
      case 'markdown':
        return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: m.title, text: m.text }) };
      case 'actionCard': {
        const [first] = m.buttons;
        if (m.buttons.length === 1 && first) {
          return {
            msgKey: 'sampleActionCard',
            msgParam: JSON.stringify({ title: m.title, text: m.text, singleTitle: first.title, singleURL: first.url }),
          };
        }
        const param: Record<string, string> = { title: m.title, text: m.text };
        m.buttons.forEach((button, index) => {
          param[`actionTitle${index + 1}`] = button.title;
          param[`actionURL${index + 1}`] = button.url;
        });
        const msgKey = horizontal(m.buttons) ? 'sampleActionCard6' : `sampleActionCard${m.buttons.length}`;
        return { msgKey, msgParam: JSON.stringify(param) };
      }
    }
  };
  return fitWithin(message, encode, (encoded) => utf8Length(encoded.msgParam), MSG_PARAM_MAX_BYTES);
}

const paramValue = (text: string) => truncateUtf8(text, CARD_PARAM_MAX_BYTES, '…');

/**
 * cardParamMap for our card template (all values strings, each ≤ 1 KB). Callback buttons fill the
 * `btnN_*` slots and call back with `btnN_value`; url buttons, forms and overflow fill the `linkN_*`
 * slots as links; what still does not fit is appended to the markdown as links — never dropped.
 */
export function renderCardTemplateParams(card: Card, ctx: LinkContext): Record<string, string> {
  const params: Record<string, string> = {
    title: paramValue(card.title),
    tone: card.tone,
    footer: paramValue(card.footer ?? ''),
  };
  const actions = card.buttons.filter((button) => button.value && !button.url);
  const links: DingButton[] = [];
  actions.forEach((button, index) => {
    if (index >= TEMPLATE_ACTION_SLOTS) {
      links.push({ title: button.label, url: actionLink(button.value!, button.label, ctx) });
    }
  });
  for (const button of card.buttons) if (button.url) links.push({ title: button.label, url: button.url });
  const form = formLink(card, ctx);
  if (form) links.unshift(form);
  for (let slot = 1; slot <= TEMPLATE_ACTION_SLOTS; slot++) {
    const button = actions[slot - 1];
    params[`btn${slot}_text`] = button ? shortTitle(button.label) : '';
    params[`btn${slot}_value`] = button ? JSON.stringify(button.value) : '';
    params[`btn${slot}_style`] = button?.style ?? 'default';
    params[`btn${slot}_visible`] = button ? 'true' : 'false';
  }
  for (let slot = 1; slot <= TEMPLATE_LINK_SLOTS; slot++) {
    const link = links[slot - 1];
    params[`link${slot}_text`] = link ? shortTitle(link.title) : '';
    params[`link${slot}_url`] = link ? dingtalkLink(link.url) : '';
    params[`link${slot}_visible`] = link ? 'true' : 'false';
  }
  const overflow = links.slice(TEMPLATE_LINK_SLOTS);
  const extra = overflow.length > 0 ? `\n\n${overflow.map(markdownLink).join('　')}` : '';
  // The links are what make overflow usable, so the body gives way to them when the 1 KB value is tight.
  params.markdown = truncateUtf8(markdownBody(card), CARD_PARAM_MAX_BYTES - utf8Length(extra), '…') + extra;
  return params;
}

export interface CardCallbackResponse {
  cardData?: { cardParamMap: Record<string, string> };
  userPrivateData?: { cardParamMap: Record<string, string> };
  cardUpdateOptions?: { updateCardDataByKey: boolean; updatePrivateDataByKey: boolean };
}

/** The clicker's private template variables (see README: the card template contract). */
function privateNotice(text: string, link: DingButton | null): Record<string, string> {
  return {
    notice: paramValue(text),
    notice_link_text: link ? shortTitle(link.title) : '',
    notice_link_url: link ? dingtalkLink(link.url) : '',
    notice_link_visible: link ? 'true' : 'false',
  };
}

/**
 * The synchronous answer to a card click (dingtalk.md §8.2). The card is shared by everyone in the chat,
 * so a redrawn card is public data, while the toast is the clicker's private `notice`. A card that asks
 * for input (a form) is the clicker's own next step, not the card's new state: it must not replace the
 * card others still use (a parent's binding form would take the confirm button away from the whole
 * group), so it becomes a private notice with a link to the form's page. The private variables are
 * rewritten on every answer, so an earlier step never lingers. An empty object leaves the card as it is.
 */
export function renderCardCallbackResponse(answer: ActionAnswer | undefined, ctx: LinkContext): CardCallbackResponse {
  if (!answer?.card && !answer?.toast) return {};
  const card = answer.card;
  const toast = answer.toast?.text ?? '';
  const personal = card?.form ? privateNotice(toast || card.title, formLink(card, ctx)) : privateNotice(toast, null);
  return {
    ...(card && !card.form ? { cardData: { cardParamMap: renderCardTemplateParams(card, ctx) } } : {}),
    userPrivateData: { cardParamMap: personal },
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
}
