import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActionValue } from '../../model/card.js';
import type { Attachment, InboundEvent } from '../../model/inbound.js';
import { isLegacyCardCallback, isObject } from './verify.js';

/**
 * Verified payload → InboundEvent[] (feishu.md §1.1, §2.1, §2.3). Payload kinds we do not act on parse to an
 * empty list, so the delivery is still acknowledged and Feishu does not retry it for 7 hours.
 */

export interface FeishuParseContext {
  /** InboundEvent.tenant: open_ids are per app, so the app id scopes every user and chat id. */
  appId: string;
  /** The bot's own open_id (GET /open-apis/bot/v3/info); without it no mention counts as the bot's. */
  botOpenId?: string;
  receivedAt: Date;
  /** X-Lark-Request-Timestamp of a legacy card callback, which carries no event id of its own. */
  requestTimestamp?: string;
}

export type FeishuDeliveryKind = 'event' | 'card' | 'legacy_card';

export type FeishuParseResult =
  | { ok: true; kind: FeishuDeliveryKind; events: InboundEvent[] }
  | { ok: false; error: string };

const userIdsSchema = z.object({ open_id: z.string().optional(), user_id: z.string().optional() });

const mentionSchema = z.object({ key: z.string(), id: userIdsSchema.optional(), name: z.string().optional() });
type Mention = z.infer<typeof mentionSchema>;

const v2Header = <T extends string>(eventType: T) =>
  z.object({ event_id: z.string().min(1), event_type: z.literal(eventType), app_id: z.string().optional() });

const messageReceiveSchema = z.object({
  header: v2Header('im.message.receive_v1'),
  event: z.object({
    sender: z.object({ sender_id: userIdsSchema, sender_type: z.string() }),
    message: z.object({
      message_id: z.string().min(1),
      chat_id: z.string().min(1),
      chat_type: z.string(),
      message_type: z.string(),
      content: z.string(),
      mentions: z.array(mentionSchema).optional(),
    }),
  }),
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const actionValueSchema = z
  .object({ flow: z.string().min(1), op: z.string().min(1) })
  .catchall(scalar) satisfies z.ZodType<ActionValue>;

const cardActionSchema = z.object({
  value: z.unknown(),
  form_value: z.record(z.string(), z.unknown()).nullish(),
});

const cardTriggerSchema = z.object({
  header: v2Header('card.action.trigger'),
  event: z.object({
    operator: z.object({ open_id: z.string().min(1) }),
    action: cardActionSchema,
    context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
  }),
});

const legacyCardSchema = z.object({
  open_id: z.string().min(1),
  open_message_id: z.string().min(1),
  open_chat_id: z.string().optional(),
  action: cardActionSchema,
});

const botMembershipSchema = z.object({
  header: z.object({ event_id: z.string().min(1), event_type: z.string() }),
  event: z.object({ chat_id: z.string().min(1), operator_id: userIdsSchema.optional() }),
});

const legacyEventSchema = z.object({
  uuid: z.string().min(1),
  event: z.object({ type: z.string(), open_chat_id: z.string().optional(), operator_open_id: z.string().optional() }),
});

const BOT_MEMBERSHIP: Record<string, 'join' | 'leave'> = {
  'im.chat.member.bot.added_v1': 'join',
  'im.chat.member.bot.deleted_v1': 'leave',
};
const LEGACY_BOT_MEMBERSHIP: Record<string, 'join' | 'leave'> = { add_bot: 'join', remove_bot: 'leave' };

export function parseFeishuPayload(payload: Record<string, unknown>, ctx: FeishuParseContext): FeishuParseResult {
  if ('schema' in payload) {
    const eventType = isObject(payload.header) ? payload.header.event_type : undefined;
    if (eventType === 'im.message.receive_v1') return parseMessage(payload, ctx);
    if (eventType === 'card.action.trigger') return parseCardTrigger(payload, ctx);
    if (typeof eventType === 'string' && BOT_MEMBERSHIP[eventType]) return parseBotMembership(payload, ctx);
    return typeof eventType === 'string'
      ? { ok: true, kind: 'event', events: [] }
      : { ok: false, error: 'schema 2.0 payload without header.event_type' };
  }
  if (isLegacyCardCallback(payload)) return parseLegacyCard(payload, ctx);
  if ('uuid' in payload && isObject(payload.event)) return parseLegacyEvent(payload, ctx);
  return { ok: false, error: 'unrecognised payload' };
}

function parseMessage(payload: Record<string, unknown>, ctx: FeishuParseContext): FeishuParseResult {
  const parsed = messageReceiveSchema.safeParse(payload);
  if (!parsed.success) return invalid('im.message.receive_v1', parsed.error);
  const { header, event } = parsed.data;
  const { message, sender } = event;
  const senderOpenId = sender.sender_id.open_id;
  if (sender.sender_type !== 'user' || !senderOpenId) return { ok: true, kind: 'event', events: [] };

  let content: unknown;
  try {
    content = JSON.parse(message.content);
  } catch {
    return { ok: false, error: 'im.message.receive_v1: message.content is not JSON' };
  }
  const mentions = new Mentions(message.mentions ?? [], ctx.botOpenId);
  const body = messageBody(message.message_type, content, mentions);
  if (!body) return { ok: true, kind: 'event', events: [] };

  return {
    ok: true,
    kind: 'event',
    events: [
      {
        id: header.event_id,
        extraDedupeKeys: [`msg:${message.message_id}`],
        platform: 'feishu',
        tenant: ctx.appId,
        kind: 'message',
        chat: { id: message.chat_id, type: message.chat_type === 'p2p' ? 'direct' : 'group' },
        actor: { platformUserId: senderOpenId },
        text: tidy(body.text),
        mentionsBot: mentions.botMentioned,
        attachments: body.attachments,
        receivedAt: ctx.receivedAt,
        messageId: message.message_id,
        raw: payload,
      },
    ],
  };
}

function parseCardTrigger(payload: Record<string, unknown>, ctx: FeishuParseContext): FeishuParseResult {
  const parsed = cardTriggerSchema.safeParse(payload);
  if (!parsed.success) return invalid('card.action.trigger', parsed.error);
  const { header, event } = parsed.data;
  const messageId = event.context?.open_message_id;
  const events = actionEvent(header.event_id, event.action, {
    ctx,
    chatId: event.context?.open_chat_id ?? '',
    openId: event.operator.open_id,
    messageId,
    raw: payload,
  });
  return { ok: true, kind: 'card', events };
}

function parseLegacyCard(payload: Record<string, unknown>, ctx: FeishuParseContext): FeishuParseResult {
  const parsed = legacyCardSchema.safeParse(payload);
  if (!parsed.success) return invalid('legacy card callback', parsed.error);
  const card = parsed.data;
  // No event id: a replay of the same request (same timestamp) must dedupe, a later identical click must not.
  const id = `card1:${createHash('sha256')
    .update([card.open_message_id, card.open_id, JSON.stringify(card.action), ctx.requestTimestamp ?? ''].join('\n'))
    .digest('hex')
    .slice(0, 40)}`;
  const events = actionEvent(id, card.action, {
    ctx,
    chatId: card.open_chat_id ?? '',
    openId: card.open_id,
    messageId: card.open_message_id,
    raw: payload,
  });
  return { ok: true, kind: 'legacy_card', events };
}

function actionEvent(
  id: string,
  action: z.infer<typeof cardActionSchema>,
  where: { ctx: FeishuParseContext; chatId: string; openId: string; messageId?: string; raw: unknown },
): InboundEvent[] {
  const value = actionValueSchema.safeParse(action.value);
  // A button this service did not render (or an outdated one): nothing to route.
  if (!value.success) return [];
  const form = action.form_value ? formValues(action.form_value) : undefined;
  return [
    {
      id,
      platform: 'feishu',
      tenant: where.ctx.appId,
      kind: 'action',
      // Card callbacks do not say whether the chat is a group; groups are where cards are tapped.
      chat: { id: where.chatId, type: 'group' },
      actor: { platformUserId: where.openId },
      text: '',
      mentionsBot: false,
      attachments: [],
      action: {
        value: value.data,
        ...(form ? { form } : {}),
        ...(where.messageId ? { messageId: where.messageId } : {}),
        // JSON 2.0 cards can only be shared (update_multi): a card in the callback answer is redrawn for all.
        answerRedrawsForAll: true,
      },
      receivedAt: where.ctx.receivedAt,
      ...(where.messageId ? { messageId: where.messageId } : {}),
      raw: where.raw,
    },
  ];
}

function parseBotMembership(payload: Record<string, unknown>, ctx: FeishuParseContext): FeishuParseResult {
  const parsed = botMembershipSchema.safeParse(payload);
  if (!parsed.success) return invalid('bot membership event', parsed.error);
  const { header, event } = parsed.data;
  const kind = BOT_MEMBERSHIP[header.event_type] ?? 'join';
  return {
    ok: true,
    kind: 'event',
    events: [membershipEvent(header.event_id, kind, event.chat_id, event.operator_id?.open_id ?? '', ctx, payload)],
  };
}

function parseLegacyEvent(payload: Record<string, unknown>, ctx: FeishuParseContext): FeishuParseResult {
  const parsed = legacyEventSchema.safeParse(payload);
  if (!parsed.success) return invalid('v1 event', parsed.error);
  const { uuid, event } = parsed.data;
  const kind = LEGACY_BOT_MEMBERSHIP[event.type];
  if (!kind || !event.open_chat_id) return { ok: true, kind: 'event', events: [] };
  return {
    ok: true,
    kind: 'event',
    events: [membershipEvent(uuid, kind, event.open_chat_id, event.operator_open_id ?? '', ctx, payload)],
  };
}

function membershipEvent(
  id: string,
  kind: 'join' | 'leave',
  chatId: string,
  operatorOpenId: string,
  ctx: FeishuParseContext,
  raw: unknown,
): InboundEvent {
  return {
    id,
    platform: 'feishu',
    tenant: ctx.appId,
    kind,
    chat: { id: chatId, type: 'group' },
    actor: { platformUserId: operatorOpenId },
    text: '',
    mentionsBot: false,
    attachments: [],
    receivedAt: ctx.receivedAt,
    raw,
  };
}

/** Resolves @_user_N placeholders: the bot's own mention disappears, others read as "@name". */
class Mentions {
  botMentioned = false;
  private readonly byKey = new Map<string, Mention>();

  constructor(
    mentions: Mention[],
    private readonly botOpenId: string | undefined,
  ) {
    for (const mention of mentions) this.byKey.set(mention.key, mention);
  }

  resolveText(text: string): string {
    return text.replace(/@_user_\d+|@_all/g, (key) => {
      const mention = this.byKey.get(key);
      if (!mention) return key === '@_all' ? '@所有人' : key;
      return this.render(mention.id?.open_id, mention.name);
    });
  }

  /** Post "at" elements carry either the placeholder key or an open_id in user_id. */
  resolveAt(userId: string | undefined, userName: string | undefined): string {
    const mention = userId ? this.byKey.get(userId) : undefined;
    if (mention) return this.render(mention.id?.open_id, mention.name ?? userName);
    if (userId === 'all') return '@所有人';
    return this.render(userId, userName);
  }

  private render(openId: string | undefined, name: string | undefined): string {
    if (this.botOpenId && openId === this.botOpenId) {
      this.botMentioned = true;
      return '';
    }
    return name ? `@${name}` : '';
  }
}

interface MessageBody {
  text: string;
  attachments: Attachment[];
}

function messageBody(type: string, content: unknown, mentions: Mentions): MessageBody | undefined {
  if (!isObject(content)) return undefined;
  switch (type) {
    case 'text':
      return { text: mentions.resolveText(stringOf(content.text)), attachments: [] };
    case 'image':
      return typeof content.image_key === 'string'
        ? { text: '', attachments: [{ kind: 'image', key: content.image_key }] }
        : undefined;
    case 'file':
      return typeof content.file_key === 'string'
        ? { text: '', attachments: [{ kind: 'file', key: content.file_key, name: stringOf(content.file_name) }] }
        : undefined;
    case 'post':
      return postBody(content, mentions);
    default:
      return undefined;
  }
}

/** Rich-text posts arrive either bare ({title, content}) or wrapped in a locale key (zh_cn, en_us…). */
function postBody(content: Record<string, unknown>, mentions: Mentions): MessageBody {
  const post = Array.isArray(content.content)
    ? content
    : (Object.values(content).find((value) => isObject(value) && Array.isArray(value.content)) as
        | Record<string, unknown>
        | undefined);
  const attachments: Attachment[] = [];
  const lines: string[] = [];
  const title = stringOf(post?.title);
  if (title) lines.push(title);
  for (const paragraph of Array.isArray(post?.content) ? post.content : []) {
    if (!Array.isArray(paragraph)) continue;
    const parts: string[] = [];
    for (const element of paragraph) {
      if (!isObject(element)) continue;
      if (element.tag === 'at') parts.push(mentions.resolveAt(stringOf(element.user_id), stringOf(element.user_name)));
      else if (element.tag === 'img' && typeof element.image_key === 'string') {
        attachments.push({ kind: 'image', key: element.image_key });
      } else if (typeof element.text === 'string') parts.push(mentions.resolveText(element.text));
    }
    lines.push(parts.join(''));
  }
  return { text: lines.join('\n'), attachments };
}

/** Form values as strings: multi-selects joined by commas, date pickers' " +0800" zone suffix dropped. */
function formValues(values: Record<string, unknown>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    const text = Array.isArray(value) ? value.map(String).join(',') : String(value);
    form[name] = text.replace(/^(\d{4}-\d{2}-\d{2}) [+-]\d{4}$/, '$1');
  }
  return form;
}

const stringOf = (value: unknown) => (typeof value === 'string' ? value : '');

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]{2,}/g, ' ').trim())
    .join('\n')
    .trim();
}

function invalid(what: string, error: z.ZodError): FeishuParseResult {
  const issue = error.issues[0];
  return { ok: false, error: `${what}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}` };
}
