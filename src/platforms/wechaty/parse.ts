import type { Attachment, InboundEvent } from '../../model/inbound.js';
import { matchReceiptKeyword, RECEIPT_KEYWORD_ACTION } from './keywords.js';

/**
 * What the runner reads off a Wechaty message before deciding anything (pure data, so the rules below are
 * testable without a puppet). Ids are the puppet's: room ids may contain "@" ("…@chatroom").
 */
export interface WechatyMessageSnapshot {
  id: string;
  type: 'text' | 'image' | 'other';
  /** Absent for a direct (1:1) message. */
  roomId?: string;
  talkerId: string;
  /** Room alias (群昵称) when set, else the contact name. */
  talkerName: string;
  /** Sent by the logged-in account itself (our own sends, or a person using the account's phone). */
  self: boolean;
  text: string;
  mentionsBot: boolean;
  sentAt: Date;
  raw: unknown;
}

export interface WechatyParseContext {
  /** The logged-in account's contact id. */
  tenant: string;
  /** Names the account may be @-mentioned by: configured name, profile name, room alias. */
  botNames: string[];
  loginAt: Date;
  receivedAt: Date;
}

export type WechatyIgnoreReason = 'own_message' | 'before_login' | 'unsupported_type' | 'not_addressed';

export type WechatyParseResult =
  | { kind: 'event'; event: InboundEvent }
  /** A room image cannot carry a mention: the runner keeps it for the same person's next mention (recent-images.ts). */
  | { kind: 'room_image'; attachment: Attachment }
  | { kind: 'ignored'; reason: WechatyIgnoreReason };

/**
 * Puppets replay recent history right after login. Anything sent earlier than this before login is such a
 * replay; the margin allows for clock skew between WeChat's servers and ours (repeats are deduped by id).
 */
export const LOGIN_REPLAY_MARGIN_MS = 60_000;

export function parseWechatyMessage(message: WechatyMessageSnapshot, ctx: WechatyParseContext): WechatyParseResult {
  if (message.self) return { kind: 'ignored', reason: 'own_message' };
  if (message.sentAt.getTime() < ctx.loginAt.getTime() - LOGIN_REPLAY_MARGIN_MS) {
    return { kind: 'ignored', reason: 'before_login' };
  }
  if (message.type === 'other') return { kind: 'ignored', reason: 'unsupported_type' };

  if (message.type === 'image') {
    const attachment: Attachment = { kind: 'image', key: message.id };
    if (message.roomId) return { kind: 'room_image', attachment };
    return { kind: 'event', event: toEvent(message, ctx, { kind: 'message', text: '', attachments: [attachment] }) };
  }

  const text = stripBotMention(message.text, ctx.botNames);
  const keyword = matchReceiptKeyword(text);
  if (message.roomId && !message.mentionsBot && !keyword) return { kind: 'ignored', reason: 'not_addressed' };
  if (keyword) {
    return {
      kind: 'event',
      event: toEvent(message, ctx, {
        kind: 'action',
        text: keyword,
        attachments: [],
        action: { value: { ...RECEIPT_KEYWORD_ACTION } },
      }),
    };
  }
  return {
    kind: 'event',
    event: toEvent(message, ctx, { kind: 'message', text, attachments: [] }),
  };
}

function toEvent(
  message: WechatyMessageSnapshot,
  ctx: WechatyParseContext,
  content: Pick<InboundEvent, 'kind' | 'text' | 'attachments' | 'action'>,
): InboundEvent {
  return {
    id: message.id,
    platform: 'wechaty',
    tenant: ctx.tenant,
    chat: message.roomId ? { id: message.roomId, type: 'group' } : { id: message.talkerId, type: 'direct' },
    actor: { platformUserId: message.talkerId, ...(message.talkerName ? { name: message.talkerName } : {}) },
    mentionsBot: message.mentionsBot,
    receivedAt: ctx.receivedAt,
    messageId: message.id,
    raw: message.raw,
    ...content,
  };
}

const MENTION_END = '(?:\\u2005|\\u0020|\\u00a0|$)';

/** Removes "@<name>" for each of the bot's names (WeChat ends a mention with U+2005), then trims. */
export function stripBotMention(text: string, botNames: string[]): string {
  let stripped = text;
  for (const name of new Set(botNames.map((n) => n.trim()).filter((n) => n !== ''))) {
    stripped = stripped.replace(new RegExp(`@${escapeRegExp(name)}${MENTION_END}`, 'gu'), '');
  }
  return stripped.replace(/^[\s\u2005]+|[\s\u2005]+$/gu, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
