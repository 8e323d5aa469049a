import type { ActionAnswer, Card, CardButton, FormInput, MessageBody, Tone } from '../../model/card.js';

/**
 * Neutral Card → Feishu card JSON 2.0 (feishu.md §2.5). JSON 2.0 rejects unknown properties, so every element
 * below uses only documented ones; there is no `note` or `action` module in 2.0 (footer = notation markdown,
 * buttons = a flowing column_set). Pure: Feishu shows every control we have, so nothing degrades to a link.
 */

/** Card and post request bodies are limited to 30 KB (error 230025). */
export const FEISHU_CARD_MAX_BYTES = 30 * 1024;
/** Text message bodies: 150 KB. */
export const FEISHU_TEXT_MAX_BYTES = 150 * 1024;
/** Room for receive_id, msg_type and uuid around the card in the request body. */
const REQUEST_ENVELOPE_BYTES = 1024;
const TRUNCATED = '…（内容过长，已截断）';

const TEMPLATE_BY_TONE: Record<Tone, string> = {
  info: 'blue',
  warning: 'orange',
  danger: 'red',
  success: 'green',
};

export type FeishuElement = Record<string, unknown>;

export interface FeishuCard {
  schema: '2.0';
  config: { update_multi: true };
  header: { title: { tag: 'plain_text'; content: string }; template: string };
  body: { elements: FeishuElement[] };
}

export interface FeishuMessageContent {
  msgType: 'text' | 'interactive';
  /** The JSON string Feishu expects in `content`. */
  content: string;
}

export function renderFeishuMessage(body: MessageBody): FeishuMessageContent {
  if (body.type === 'card') return { msgType: 'interactive', content: JSON.stringify(renderFeishuCard(body.card)) };
  return { msgType: 'text', content: JSON.stringify({ text: renderFeishuText(body.text, body.mentionUserIds) }) };
}

/** Mentions use the text-message syntax <at user_id="ou_…"></at> (feishu.md §3.2). */
export function renderFeishuText(text: string, mentionUserIds: string[] = []): string {
  const mentions = mentionUserIds.map((id) => `<at user_id="${escapeAttribute(id)}"></at>`).join(' ');
  const full = mentions ? `${mentions} ${text}` : text;
  const budget = FEISHU_TEXT_MAX_BYTES - REQUEST_ENVELOPE_BYTES;
  return contentBytes(JSON.stringify({ text: full })) <= budget ? full : truncateToFit(full, budget);
}

/** Renders the card, truncating the longest texts until the request body fits in 30 KB. */
export function renderFeishuCard(card: Card): FeishuCard {
  const budget = FEISHU_CARD_MAX_BYTES - REQUEST_ENVELOPE_BYTES;
  const fits = (candidate: Card) => cardBytes(buildCard(candidate)) <= budget;
  let current = card;
  const trimmed = new Set<string>();
  while (!fits(current)) {
    const longest = longestText(current, trimmed);
    if (!longest) break;
    trimmed.add(longest.path);
    current = shortenToFit(current, longest.path, fits);
  }
  return buildCard(current);
}

/** Bytes of the card as it travels: a JSON string inside the JSON request body. */
export function cardBytes(card: FeishuCard): number {
  return contentBytes(JSON.stringify(card));
}

/** The synchronous card.action.trigger answer: {toast, card:{type:'raw', data}} (feishu.md §2.2). */
export function renderFeishuCallbackAnswer(answer: ActionAnswer | undefined): Record<string, unknown> {
  const response: Record<string, unknown> = {};
  if (answer?.toast) response.toast = { type: answer.toast.type, content: answer.toast.text };
  if (answer?.card) response.card = { type: 'raw', data: renderFeishuCard(answer.card) };
  return response;
}

/** Old card-URL callbacks answer with the card JSON itself, or a toast, or nothing (feishu.md §2.3). */
export function renderLegacyCallbackAnswer(answer: ActionAnswer | undefined): Record<string, unknown> {
  if (answer?.card) return { ...renderFeishuCard(answer.card) };
  if (answer?.toast) return { toast: { type: answer.toast.type, content: answer.toast.text } };
  return {};
}

function buildCard(card: Card): FeishuCard {
  const elements: FeishuElement[] = [];
  for (const block of card.blocks) {
    if (block.type === 'markdown') elements.push({ tag: 'markdown', content: block.text });
    else elements.push(...block.fields.map((field) => fieldRow(field.label, field.value)));
  }
  if (card.buttons.length > 0) elements.push(buttonRow(card.buttons));
  if (card.form) {
    const form = card.form;
    elements.push({
      tag: 'form',
      name: form.id,
      elements: [
        ...form.inputs.flatMap(formInput),
        {
          tag: 'button',
          name: form.submit.id,
          text: plainText(form.submit.label),
          type: 'primary',
          form_action_type: 'submit',
          behaviors: [{ type: 'callback', value: form.submit.value }],
        },
      ],
    });
  }
  if (card.footer) {
    elements.push({ tag: 'hr' }, { tag: 'markdown', content: escapeMarkdown(card.footer), text_size: 'notation' });
  }
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: plainText(card.title), template: TEMPLATE_BY_TONE[card.tone] },
    body: { elements },
  };
}

function fieldRow(label: string, value: string): FeishuElement {
  return {
    tag: 'column_set',
    columns: [
      {
        tag: 'column',
        width: 'weighted',
        weight: 1,
        elements: [{ tag: 'markdown', content: `**${escapeMarkdown(label)}**` }],
      },
      { tag: 'column', width: 'weighted', weight: 3, elements: [{ tag: 'div', text: plainText(value) }] },
    ],
  };
}

function buttonRow(buttons: CardButton[]): FeishuElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    columns: buttons.map((button) => ({ tag: 'column', width: 'auto', elements: [renderButton(button)] })),
  };
}

function renderButton(button: CardButton): FeishuElement {
  const base = { tag: 'button', text: plainText(button.label), type: button.style };
  if (button.url) return { ...base, behaviors: [{ type: 'open_url', default_url: button.url }] };
  if (button.value) return { ...base, behaviors: [{ type: 'callback', value: button.value }] };
  return { ...base, disabled: true };
}

/** Only the input component has a label property in 2.0, so every control gets a markdown label instead. */
function formInput(input: FormInput): FeishuElement[] {
  const label: FeishuElement = {
    tag: 'markdown',
    content: `**${escapeMarkdown(input.label)}**${input.required ? ' <font color="red">*</font>' : ''}`,
  };
  const required = input.required ?? false;
  switch (input.type) {
    case 'text':
      return [
        label,
        {
          tag: 'input',
          name: input.name,
          required,
          placeholder: plainText(input.placeholder ?? '请输入'),
          ...(input.initial ? { default_value: input.initial } : {}),
          ...(input.multiline ? { input_type: 'multiline_text' } : {}),
        },
      ];
    case 'select':
      return [
        label,
        {
          tag: 'select_static',
          name: input.name,
          required,
          placeholder: plainText('请选择'),
          options: input.options.map((option) => ({ text: plainText(option.label), value: option.value })),
          ...(input.initial ? { initial_option: input.initial } : {}),
        },
      ];
    case 'date':
      return [
        label,
        {
          tag: 'date_picker',
          name: input.name,
          required,
          placeholder: plainText('请选择日期'),
          ...(input.initial ? { initial_date: input.initial } : {}),
        },
      ];
  }
}

const plainText = (content: string) => ({ tag: 'plain_text' as const, content });

/** Texts that may be shortened, addressed as "b<block>" (markdown) or "b<block>f<field>" (field value). */
function longestText(card: Card, skip: Set<string>): { path: string; length: number } | undefined {
  let best: { path: string; length: number } | undefined;
  card.blocks.forEach((block, b) => {
    const candidates =
      block.type === 'markdown'
        ? [{ path: `b${b}`, length: block.text.length }]
        : block.fields.map((field, f) => ({ path: `b${b}f${f}`, length: field.value.length }));
    for (const candidate of candidates) {
      if (!skip.has(candidate.path) && candidate.length > (best?.length ?? 0)) best = candidate;
    }
  });
  return best;
}

/** Binary search for the longest prefix of one text that lets the card fit (or the shortest, if none does). */
function shortenToFit(card: Card, path: string, fits: (card: Card) => boolean): Card {
  const original = Array.from(textAt(card, path));
  const withLength = (length: number) => replaceText(card, path, original.slice(0, length).join('') + TRUNCATED);
  let low = 0;
  let high = original.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(withLength(mid))) low = mid;
    else high = mid - 1;
  }
  return withLength(Math.max(low, 0));
}

function textAt(card: Card, path: string): string {
  const [, b, f] = /^b(\d+)(?:f(\d+))?$/.exec(path) ?? [];
  const block = card.blocks[Number(b)];
  if (!block) return '';
  if (block.type === 'markdown') return block.text;
  return block.fields[Number(f)]?.value ?? '';
}

function replaceText(card: Card, path: string, text: string): Card {
  const [, b, f] = /^b(\d+)(?:f(\d+))?$/.exec(path) ?? [];
  return {
    ...card,
    blocks: card.blocks.map((block, index) => {
      if (index !== Number(b)) return block;
      if (block.type === 'markdown') return { ...block, text };
      return {
        ...block,
        fields: block.fields.map((field, fi) => (fi === Number(f) ? { ...field, value: text } : field)),
      };
    }),
  };
}

function truncateToFit(text: string, budget: number): string {
  const chars = Array.from(text);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (contentBytes(JSON.stringify({ text: chars.slice(0, mid).join('') + TRUNCATED })) <= budget) low = mid;
    else high = mid - 1;
  }
  return chars.slice(0, low).join('') + TRUNCATED;
}

/** UTF-8 bytes of a JSON document once it is embedded as a string value in the request body. */
const contentBytes = (json: string) => new TextEncoder().encode(JSON.stringify(json)).length;

function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_~[\]#|])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const escapeAttribute = (text: string) => text.replace(/["<>&]/g, '');
