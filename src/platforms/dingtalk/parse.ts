import { z } from 'zod';
import type { ActionValue } from '../../model/card.js';
import type { Attachment, InboundEvent } from '../../model/inbound.js';

/** Direct (1:1) chats are addressed by user, never by their conversation id: see index.ts. */
export const directChatId = (userId: string) => `dm:${userId}`;
export const userOfDirectChat = (chatId: string) => (chatId.startsWith('dm:') ? chatId.slice(3) : null);

/**
 * DingTalk has no threaded replies, so an event's reply handle (InboundEvent.messageId, which comes back
 * as OutboundMessage.replyTo) carries what a reply does need: who wrote the message or clicked the card.
 * A group reply is addressed to the chat, yet its buttons are meant for that person — signed links act
 * as them. DingTalk userIds (staff ids, encrypted `$:LWCP_v1:$…` ids) never contain '|'.
 */
export const replyHandle = (id: string, userId: string) => `${id}|${userId}`;

export function senderOfReplyHandle(handle: string | undefined): string | null {
  const separator = handle?.lastIndexOf('|') ?? -1;
  return separator >= 0 ? handle!.slice(separator + 1) || null : null;
}

const millis = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

const downloadable = z.looseObject({
  downloadCode: z.string().optional(),
  pictureDownloadCode: z.string().optional(),
});

const richTextPart = z.looseObject({
  text: z.string().optional(),
  type: z.string().optional(),
  downloadCode: z.string().optional(),
  pictureDownloadCode: z.string().optional(),
});

/** The robot message JSON: the HTTP callback body and the Stream `data` of TOPIC_ROBOT (dingtalk.md §2.2). */
export const robotMessageSchema = z.looseObject({
  msgtype: z.string().min(1),
  msgId: z.string().min(1).optional(),
  conversationId: z.string().min(1),
  conversationType: z.enum(['1', '2']),
  conversationTitle: z.string().optional(),
  senderId: z.string().min(1),
  senderNick: z.string().optional(),
  senderStaffId: z.string().optional(),
  chatbotUserId: z.string().optional(),
  isInAtList: z.boolean().optional(),
  atUsers: z.array(z.looseObject({ dingtalkId: z.string().optional(), staffId: z.string().optional() })).optional(),
  createAt: millis.optional(),
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: millis.optional(),
  robotCode: z.string().optional(),
  text: z.looseObject({ content: z.string() }).optional(),
  content: z.unknown().optional(),
});

export type RobotMessage = z.infer<typeof robotMessageSchema>;

const actionValueSchema = z
  .object({ flow: z.string().min(1), op: z.string().min(1) })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** Card-platform click callback: the HTTP body, or the Stream `data` of TOPIC_CARD (dingtalk.md §8.2). */
export const cardCallbackSchema = z.looseObject({
  type: z.string().optional(),
  outTrackId: z.string().min(1),
  corpId: z.string().optional(),
  userId: z.string().min(1),
  spaceType: z.string().optional(),
  spaceId: z.string().optional(),
  content: z.string(),
});

const cardContentSchema = z.looseObject({
  cardPrivateData: z
    .looseObject({
      actionIds: z.array(z.string()).optional(),
      params: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export type CardCallback = z.infer<typeof cardCallbackSchema>;

export class ParseError extends Error {}

function parseWith<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ParseError(`${what}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return result.data;
}

function fileAttachment(kind: Attachment['kind'], content: unknown, name?: string): Attachment[] {
  const parsed = downloadable.safeParse(content);
  if (!parsed.success) return [];
  const key = parsed.data.downloadCode ?? parsed.data.pictureDownloadCode;
  return key ? [{ kind, key, ...(name ? { name } : {}) }] : [];
}

/** Text and attachments of one robot message; null for types the robot cannot use (unknownMsgType). */
function contentOf(message: RobotMessage): { text: string; attachments: Attachment[] } | null {
  const content = message.content;
  switch (message.msgtype) {
    case 'text':
      // In groups DingTalk strips the @robot part and leaves a leading space.
      return { text: (message.text?.content ?? '').trim(), attachments: [] };
    case 'picture':
      return { text: '', attachments: fileAttachment('image', content) };
    case 'richText': {
      const parts = z.looseObject({ richText: z.array(richTextPart) }).safeParse(content);
      if (!parts.success) return { text: '', attachments: [] };
      const texts: string[] = [];
      const attachments: Attachment[] = [];
      for (const part of parts.data.richText) {
        const key = part.downloadCode ?? part.pictureDownloadCode;
        if (key && (part.type === 'picture' || part.text === undefined)) attachments.push({ kind: 'image', key });
        else if (part.text) texts.push(part.text);
      }
      return { text: texts.join('\n').trim(), attachments };
    }
    case 'audio': {
      const audio = z.looseObject({ recognition: z.string().optional() }).safeParse(content);
      return {
        text: (audio.success ? (audio.data.recognition ?? '') : '').trim(),
        attachments: fileAttachment('file', content),
      };
    }
    case 'video':
      return { text: '', attachments: fileAttachment('file', content) };
    case 'file': {
      const file = z.looseObject({ fileName: z.string().optional() }).safeParse(content);
      return { text: '', attachments: fileAttachment('file', content, file.success ? file.data.fileName : undefined) };
    }
    default:
      return null;
  }
}

export interface ParseContext {
  /** InboundEvent.tenant: the robot code (see index.ts). */
  tenant: string;
  now: Date;
  /** Stream only: the frame's headers.messageId, the dedupe key when a message lacks msgId. */
  fallbackId?: string;
}

/** A robot message → zero or one InboundEvent (unsupported types give none). Throws ParseError when malformed. */
export function parseRobotMessage(raw: unknown, context: ParseContext): InboundEvent[] {
  const message = parseWith(robotMessageSchema, raw, 'robot message');
  const id = message.msgId ?? context.fallbackId;
  if (!id) throw new ParseError('robot message: msgId missing');
  const body = contentOf(message);
  if (!body) return [];
  const direct = message.conversationType === '1';
  // senderStaffId is empty for senders outside the robot's organisation: the encrypted senderId is all we have.
  const userId = message.senderStaffId || message.senderId;
  const mentionsBot =
    direct ||
    message.isInAtList === true ||
    (message.chatbotUserId !== undefined &&
      (message.atUsers ?? []).some((u) => u.dingtalkId === message.chatbotUserId));
  const expiresAt = message.sessionWebhookExpiredTime;
  return [
    {
      id,
      platform: 'dingtalk',
      tenant: context.tenant,
      kind: 'message',
      chat: direct ? { id: directChatId(userId), type: 'direct' } : { id: message.conversationId, type: 'group' },
      actor: { platformUserId: userId, ...(message.senderNick ? { name: message.senderNick } : {}) },
      text: body.text,
      mentionsBot,
      attachments: body.attachments,
      receivedAt: context.now,
      messageId: replyHandle(id, userId),
      ...(message.sessionWebhook && expiresAt !== undefined
        ? { replyChannel: { url: message.sessionWebhook, expiresAt: new Date(expiresAt) } }
        : {}),
      raw,
    },
  ];
}

function actionOf(params: Record<string, unknown>): { value: ActionValue; form?: Record<string, string> } | null {
  const { value, ...rest } = params;
  let candidate: unknown = rest;
  if (typeof value === 'string') {
    try {
      candidate = JSON.parse(value);
    } catch {
      return null;
    }
  } else if (value && typeof value === 'object') {
    candidate = value;
  }
  const parsed = actionValueSchema.safeParse(candidate);
  if (!parsed.success) return null;
  const form = Object.fromEntries(
    Object.entries(candidate === rest ? {} : rest).map(([key, input]) => [
      key,
      typeof input === 'string' ? input : JSON.stringify(input),
    ]),
  );
  return { value: parsed.data, ...(Object.keys(form).length > 0 ? { form } : {}) };
}

/**
 * A card-platform click → one 'action' InboundEvent. The button's ActionValue travels in the callback
 * params: `value` (the JSON our template binds from `btnN_value`), or the params themselves when a
 * template hard-codes `flow` and `op`. Other params are the card's input fields (→ form).
 */
export function parseCardCallback(raw: unknown, context: ParseContext & { eventId: string }): InboundEvent {
  const callback = parseWith(cardCallbackSchema, raw, 'card callback');
  let content: z.infer<typeof cardContentSchema>;
  try {
    content = parseWith(cardContentSchema, JSON.parse(callback.content), 'card callback content');
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError('card callback content: not JSON');
  }
  const action = actionOf(content.cardPrivateData?.params ?? {});
  if (!action) throw new ParseError('card callback content: params carry no action value');
  const group = (callback.spaceType ?? '').toUpperCase() === 'IM_GROUP' && callback.spaceId;
  return {
    id: context.eventId,
    platform: 'dingtalk',
    tenant: context.tenant,
    kind: 'action',
    chat: group ? { id: callback.spaceId!, type: 'group' } : { id: directChatId(callback.userId), type: 'direct' },
    actor: { platformUserId: callback.userId },
    text: '',
    mentionsBot: true,
    attachments: [],
    action: { ...action, messageId: callback.outTrackId },
    receivedAt: context.now,
    messageId: replyHandle(callback.outTrackId, callback.userId),
    raw,
  };
}
