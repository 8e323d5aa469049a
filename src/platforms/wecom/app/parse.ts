import { z } from 'zod';
import type { InboundEvent } from '../../../model/inbound.js';
import { decodeActionKey } from '../action-key.js';

/**
 * Decrypted self-built app callbacks (Doc path/90376, old doc 10514) → InboundEvent. The app only ever sees its 1:1
 * conversation, so every event is a direct chat with the member, and chat id = the member's userid (the id
 * message/send addresses).
 */

export interface AppParseContext {
  tenant: string;
  now: Date;
}

/** What a card click needs beyond the event: update_template_card takes the response code (one use, 72 h). */
export interface AppCardClick {
  userId: string;
  taskId: string;
  responseCode: string;
}

export type AppParsed =
  | { kind: 'event'; event: InboundEvent; click?: AppCardClick }
  | { kind: 'ignored'; reason: string }
  | { kind: 'malformed'; reason: string };

const text = z.string();
const base = z.object({
  FromUserName: text.min(1),
  CreateTime: text.regex(/^\d+$/),
  MsgType: text,
});

const textMessage = base.extend({ MsgType: z.literal('text'), Content: text, MsgId: text.min(1) });
const imageMessage = base.extend({
  MsgType: z.literal('image'),
  PicUrl: text.optional(),
  MediaId: text.min(1),
  MsgId: text.min(1),
});
const cardEvent = base.extend({
  MsgType: z.literal('event'),
  Event: z.literal('template_card_event'),
  EventKey: text.min(1),
  TaskId: text.min(1),
  ResponseCode: text.optional(),
  CardType: text.optional(),
});

function createdAt(createTime: string, now: Date): Date {
  const seconds = Number(createTime);
  return seconds > 0 ? new Date(seconds * 1000) : now;
}

function direct(fields: z.infer<typeof base>, ctx: AppParseContext, raw: unknown) {
  return {
    platform: 'wecom' as const,
    tenant: ctx.tenant,
    chat: { id: fields.FromUserName, type: 'direct' as const },
    actor: { platformUserId: fields.FromUserName },
    mentionsBot: true,
    receivedAt: createdAt(fields.CreateTime, ctx.now),
    raw,
  };
}

export function parseAppMessage(root: Record<string, unknown>, ctx: AppParseContext): AppParsed {
  const head = base.safeParse(root);
  if (!head.success) return { kind: 'malformed', reason: 'message lacks FromUserName/CreateTime/MsgType' };

  if (head.data.MsgType === 'text') {
    const message = textMessage.safeParse(root);
    if (!message.success) return { kind: 'malformed', reason: 'text message lacks Content/MsgId' };
    const m = message.data;
    return {
      kind: 'event',
      event: {
        ...direct(m, ctx, root),
        id: m.MsgId,
        kind: 'message',
        text: m.Content.trim(),
        attachments: [],
        messageId: m.MsgId,
      },
    };
  }

  if (head.data.MsgType === 'image') {
    const message = imageMessage.safeParse(root);
    if (!message.success) return { kind: 'malformed', reason: 'image message lacks MediaId/MsgId' };
    const m = message.data;
    return {
      kind: 'event',
      event: {
        ...direct(m, ctx, root),
        id: m.MsgId,
        kind: 'message',
        text: '',
        attachments: [{ kind: 'image', key: m.MediaId, ...(m.PicUrl ? { url: m.PicUrl } : {}) }],
        messageId: m.MsgId,
      },
    };
  }

  if (head.data.MsgType === 'event' && root.Event === 'template_card_event') {
    const click = cardEvent.safeParse(root);
    if (!click.success) return { kind: 'malformed', reason: 'template_card_event lacks EventKey/TaskId' };
    const c = click.data;
    const value = decodeActionKey(c.EventKey);
    if (!value) return { kind: 'ignored', reason: 'card key is not an action of ours' };
    return {
      kind: 'event',
      event: {
        ...direct(c, ctx, root),
        // Events have no MsgId: WeCom's dedupe advice is FromUserName + CreateTime; the task id keeps two clicks of
        // one user on two cards within the same second apart, and is identical on WeCom's retries.
        id: `${c.FromUserName}:${c.CreateTime}:${c.TaskId}`,
        kind: 'action',
        text: '',
        attachments: [],
        action: { value, messageId: c.TaskId },
      },
      ...(c.ResponseCode ? { click: { userId: c.FromUserName, taskId: c.TaskId, responseCode: c.ResponseCode } } : {}),
    };
  }

  return {
    kind: 'ignored',
    reason: `MsgType ${head.data.MsgType}${root.Event ? `/${String(root.Event)}` : ''} is not handled`,
  };
}
