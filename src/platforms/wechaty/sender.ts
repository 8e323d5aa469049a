import type { OutboundDelivery, PlatformSender, RateBucket, SendResult } from '../../delivery/sender.js';
import type { SignedLinks } from '../../http/signed-links.js';
import type { OutboundTarget } from '../../model/outbound.js';
import type { Log } from '../types.js';
import type { WechatyBotHandle, WechatyBotRegistry, WechatySayResult } from './registry.js';
import { renderWechatyMessage } from './render.js';

/**
 * Send pacing. WeChat publishes no limits for puppet-driven accounts and bans accounts whose sending looks
 * automated (bursts, many groups at once; the WorkPro vendor gives no ban guarantee, puppet-supports#369).
 * We therefore pace like a careful person: at most one message every 3 s in any one conversation (no burst)
 * and 20 messages a minute for the whole account (bursts of 3). A school's daily traffic fits easily; a
 * campaign reaching many class groups is spread over minutes instead of seconds.
 */
export const WECHATY_CONVERSATION_RATE = { ratePerSecond: 1 / 3, burst: 1 } as const;
export const WECHATY_ACCOUNT_RATE = { ratePerSecond: 20 / 60, burst: 3 } as const;

/** Card links stay valid for a week: receipt campaigns usually run for a few days. */
export const WECHATY_LINK_TTL_MS = 7 * 24 * 60 * 60_000;

/** An unreachable conversation may be a puppet hiccup; only repeated misses dead-letter the message. */
const ATTEMPTS_BEFORE_UNKNOWN_IS_PERMANENT = 3;
const NOT_LOGGED_IN_RETRY_MS = 30_000;

export interface WechatySenderOptions {
  registry: WechatyBotRegistry;
  links: SignedLinks;
  log: Log;
  now?: () => Date;
  linkTtlMs?: number;
}

export function createWechatySender(options: WechatySenderOptions): PlatformSender {
  const now = options.now ?? (() => new Date());
  const linkTtlMs = options.linkTtlMs ?? WECHATY_LINK_TTL_MS;

  return {
    platform: 'wechaty',
    bucketsFor: (target) => bucketsFor(target),
    canSend: (target) => options.registry.get(target.tenant) !== undefined,
    async send(delivery) {
      const { target } = delivery;
      const bot = options.registry.get(target.tenant);
      if (!bot) {
        return {
          ok: false,
          kind: 'transient',
          error: `no Wechaty account "${target.tenant}" is logged in on this instance`,
          retryAfterMs: NOT_LOGGED_IN_RETRY_MS,
        };
      }
      const conversationId = target.chatId ?? target.userId;
      if (!conversationId) return { ok: false, kind: 'permanent', error: 'target has neither chatId nor userId' };

      const kind = target.chatId ? await bot.resolve(target.chatId) : 'contact';
      if (!kind) return unknownConversation(delivery, conversationId);

      const author = kind === 'room' && !target.userId ? await replyAuthor(bot, delivery) : undefined;
      const rendered = renderWechatyMessage(delivery.body, {
        links: options.links,
        tenant: target.tenant,
        chatId: kind === 'room' ? conversationId : '',
        intendedUserId: target.userId ?? author ?? (kind === 'contact' ? conversationId : ''),
        linkExpiresAt: new Date(now().getTime() + linkTtlMs),
      });
      const mentions = kind === 'room' ? [...rendered.mentionUserIds, ...(author ? [author] : [])] : [];
      const result = await bot.say({ kind, id: conversationId }, rendered.text, mentions);
      if (!result.ok) options.log.warn({ outboxId: delivery.outboxId, reason: result.reason }, 'wechaty send failed');
      return toSendResult(result, delivery, conversationId);
    },
  };
}

/**
 * A card answering someone's room message is theirs to act on (the confirmation card of their report): its links
 * are signed for them and they are @-mentioned, so they see whose links these are. Anyone in the room can open
 * the links; that is the price of links in a chat without cards, and why only such replies get them.
 */
async function replyAuthor(bot: WechatyBotHandle, delivery: OutboundDelivery): Promise<string | undefined> {
  if (delivery.body.type !== 'card' || !delivery.replyTo) return undefined;
  return bot.authorOf(delivery.replyTo);
}

function bucketsFor(target: OutboundTarget): RateBucket[] {
  const account = `wechaty:${target.tenant}`;
  const conversation = target.chatId ? `chat:${target.chatId}` : `user:${target.userId ?? ''}`;
  return [
    { key: `${account}:${conversation}`, ...WECHATY_CONVERSATION_RATE },
    { key: account, ...WECHATY_ACCOUNT_RATE },
  ];
}

function unknownConversation(delivery: OutboundDelivery, conversationId: string): SendResult {
  const error = `conversation ${conversationId} is neither a room nor a contact of this account`;
  const permanent = delivery.attempt >= ATTEMPTS_BEFORE_UNKNOWN_IS_PERMANENT;
  return { ok: false, kind: permanent ? 'permanent' : 'transient', error };
}

function toSendResult(result: WechatySayResult, delivery: OutboundDelivery, conversationId: string): SendResult {
  if (result.ok) return result.messageId ? { ok: true, platformMessageId: result.messageId } : { ok: true };
  if (result.reason === 'unknown_conversation') return unknownConversation(delivery, conversationId);
  return { ok: false, kind: 'transient', error: result.error };
}
