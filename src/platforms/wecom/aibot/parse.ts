import { z } from 'zod';
import type { Attachment, InboundEvent } from '../../../model/inbound.js';
import { decodeActionKey } from '../action-key.js';

/**
 * AI bot WebSocket callbacks (aibot_msg_callback / aibot_event_callback bodies; `@wecom/aibot-node-sdk` 1.0.7
 * typings, wecom.md §4.2) → InboundEvent. Pure. The event id is `msgid`, WeCom's dedupe key for these callbacks.
 * Chats: a group's `chatid`, or for a 1:1 chat the member's userid — the id aibot_send_msg addresses.
 */

export interface AibotParseContext {
  tenant: string;
  now: Date;
}

export type AibotParsed =
  | { kind: 'message'; event: InboundEvent }
  | { kind: 'enter_chat'; event: InboundEvent }
  | { kind: 'click'; event: InboundEvent; taskId: string }
  | { kind: 'ignored'; reason: string };

const media = z.object({ url: z.string().min(1), aeskey: z.string().optional() });

const callbackBody = z.object({
  msgid: z.string().min(1),
  chatid: z.string().optional(),
  chattype: z.enum(['single', 'group']).optional(),
  from: z.object({ userid: z.string().min(1) }),
  create_time: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  image: media.optional(),
  voice: z.object({ content: z.string() }).optional(),
  file: media.optional(),
  video: media.optional(),
  mixed: z
    .object({
      msg_item: z.array(
        z.object({
          msgtype: z.string(),
          text: z.object({ content: z.string() }).optional(),
          image: media.optional(),
        }),
      ),
    })
    .optional(),
  event: z
    .object({
      eventtype: z.string(),
      // Flat, as the SDK typings and README read it …
      event_key: z.string().optional(),
      task_id: z.string().optional(),
      // … or nested, as WeCom's own OpenClaw plugin reads it.
      template_card_event: z.object({ event_key: z.string().optional(), task_id: z.string().optional() }).optional(),
    })
    .optional(),
});

type CallbackBody = z.infer<typeof callbackBody>;

/** Group messages reach the bot only when they @-mention it; the mention leads the text, or else ends it. */
export function stripBotMention(text: string): string {
  const leading = /^(?:@\S+[\s\u2005]*)+/;
  const trailing = /[\s\u2005]*@\S+$/;
  const trimmed = text.trim();
  return (leading.test(trimmed) ? trimmed.replace(leading, '') : trimmed.replace(trailing, '')).trim();
}

function receivedAt(createTime: number | string | undefined, now: Date): Date {
  const value = Number(createTime);
  if (!value) return now;
  return new Date(value > 1e12 ? value : value * 1000);
}

function conversation(body: CallbackBody): InboundEvent['chat'] {
  return body.chattype === 'group' && body.chatid
    ? { id: body.chatid, type: 'group' }
    : { id: body.from.userid, type: 'direct' };
}

function imageAttachment(image: z.infer<typeof media>): Attachment {
  // The URL is valid for five minutes and serves AES-encrypted bytes (the key stays in `raw`).
  return { kind: 'image', key: image.url, url: image.url };
}

function messageContent(body: CallbackBody): { text: string; attachments: Attachment[] } | null {
  switch (body.msgtype) {
    case 'text':
      return body.text ? { text: body.text.content, attachments: [] } : null;
    case 'voice':
      // WeCom delivers voice already transcribed.
      return body.voice ? { text: body.voice.content, attachments: [] } : null;
    case 'image':
      return body.image ? { text: '', attachments: [imageAttachment(body.image)] } : null;
    case 'file':
    case 'video': {
      const file = body.msgtype === 'file' ? body.file : body.video;
      return file ? { text: '', attachments: [{ kind: 'file', key: file.url, url: file.url }] } : null;
    }
    case 'mixed': {
      if (!body.mixed) return null;
      const texts: string[] = [];
      const attachments: Attachment[] = [];
      for (const item of body.mixed.msg_item) {
        if (item.msgtype === 'text' && item.text) texts.push(item.text.content);
        if (item.msgtype === 'image' && item.image) attachments.push(imageAttachment(item.image));
      }
      return { text: texts.join('\n'), attachments };
    }
    default:
      return null;
  }
}

export function parseAibotCallback(
  cmd: string | undefined,
  rawBody: unknown,
  ctx: AibotParseContext,
): AibotParsed | { kind: 'malformed'; reason: string } {
  const parsed = callbackBody.safeParse(rawBody);
  if (!parsed.success) return { kind: 'malformed', reason: 'callback body lacks msgid/from.userid/msgtype' };
  const body = parsed.data;
  const common = {
    id: body.msgid,
    platform: 'wecom' as const,
    tenant: ctx.tenant,
    chat: conversation(body),
    actor: { platformUserId: body.from.userid },
    mentionsBot: true,
    receivedAt: receivedAt(body.create_time, ctx.now),
    raw: rawBody,
  };

  if (cmd === 'aibot_msg_callback') {
    const content = messageContent(body);
    if (!content) return { kind: 'ignored', reason: `msgtype ${body.msgtype} without content` };
    const text = common.chat.type === 'group' ? stripBotMention(content.text) : content.text.trim();
    return {
      kind: 'message',
      event: { ...common, kind: 'message', text, attachments: content.attachments, messageId: body.msgid },
    };
  }

  if (cmd === 'aibot_event_callback' && body.event) {
    const { eventtype } = body.event;
    if (eventtype === 'enter_chat') {
      return { kind: 'enter_chat', event: { ...common, kind: 'join', text: '', attachments: [] } };
    }
    if (eventtype === 'template_card_event') {
      const nested = body.event.template_card_event;
      const eventKey = body.event.event_key ?? nested?.event_key;
      const taskId = body.event.task_id ?? nested?.task_id;
      if (!eventKey || !taskId) return { kind: 'malformed', reason: 'template_card_event lacks event_key/task_id' };
      const value = decodeActionKey(eventKey);
      if (!value) return { kind: 'ignored', reason: 'card key is not an action of ours' };
      return {
        kind: 'click',
        taskId,
        event: { ...common, kind: 'action', text: '', attachments: [], action: { value, messageId: taskId } },
      };
    }
    return { kind: 'ignored', reason: `event ${eventtype} is not handled` };
  }

  return { kind: 'ignored', reason: `cmd ${cmd ?? '(none)'} is not a callback` };
}
