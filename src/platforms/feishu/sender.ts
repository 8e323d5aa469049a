import type { OutboundDelivery, PlatformSender, RateBucket, SendResult } from '../../delivery/sender.js';
import type { OutboundTarget } from '../../model/outbound.js';
import type { Log } from '../types.js';
import type { FeishuClient, FeishuResult, FeishuSentMessage } from './client.js';
import type { FeishuConfig } from './config.js';
import { renderFeishuMessage } from './render.js';

/**
 * Published limits (feishu.md §3.2, §3.6): send/reply 50/s and 1000/min per app; 5 QPS per chat (shared by
 * every bot in it) and per user. A token bucket admits `burst + rate·t` in t seconds, so each bucket keeps
 * burst + rate under the per-second cap and 60·rate + burst under the per-minute cap.
 */
export const FEISHU_BUCKETS = {
  /** ≤ 45 in any second, ≤ 930 in any minute. */
  app: { ratePerSecond: 15, burst: 30 },
  /** ≤ 4 in any second: the chat's 5 QPS is shared with other bots. */
  chat: { ratePerSecond: 3, burst: 1 },
  user: { ratePerSecond: 3, burst: 1 },
} as const;

/**
 * Urgent (加急) delivery: send, then urgent_<kind> on the returned message for the people it is meant for —
 * the addressed user of a direct message, or in a group the `userId` of the target when given, else the
 * users the text mentions. A card to a group with nobody named is sent without a nag.
 * If the urgent call fails transiently the delivery is retried: the resend reuses the same `uuid`, so Feishu
 * hands back the same message (within 1 h) and only the urgent is repeated.
 */
export function createFeishuSender(config: FeishuConfig, client: FeishuClient, log: Log): PlatformSender {
  return {
    platform: 'feishu',
    bucketsFor(target: OutboundTarget): RateBucket[] {
      const buckets: RateBucket[] = [{ key: `feishu:${config.appId}:app`, ...FEISHU_BUCKETS.app, shared: true }];
      if (target.chatId) buckets.push({ key: `feishu:chat:${target.chatId}`, ...FEISHU_BUCKETS.chat });
      else if (target.userId)
        buckets.push({ key: `feishu:${config.appId}:user:${target.userId}`, ...FEISHU_BUCKETS.user });
      return buckets;
    },
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const { target } = delivery;
      if (target.tenant !== config.appId && target.tenant !== '') {
        return { ok: false, kind: 'permanent', error: `feishu target tenant ${target.tenant} is not ${config.appId}` };
      }
      if (!target.chatId && !target.userId)
        return { ok: false, kind: 'permanent', error: 'feishu target has no chat or user' };

      const message = { ...renderFeishuMessage(delivery.body), idempotencyKey: delivery.idempotencyKey };
      let sent: FeishuResult<FeishuSentMessage> | undefined;
      if (delivery.replyTo) {
        sent = await client.replyMessage(delivery.replyTo, message);
        // The message replied to may be recalled or gone; the answer still belongs in the chat.
        if (!sent.ok && sent.kind === 'permanent' && target.chatId) {
          log.warn({ replyTo: delivery.replyTo, error: sent.error }, 'feishu reply failed, sending to the chat');
          sent = undefined;
        }
      }
      sent ??= target.chatId
        ? await client.sendMessage('chat_id', target.chatId, message)
        : await client.sendMessage('open_id', target.userId as string, message);
      if (!sent.ok) return failure(sent);

      const messageId = sent.data.message_id;
      if (delivery.urgency === 'urgent') {
        const urgentResult = await nag(delivery, messageId);
        if (urgentResult) return urgentResult;
      }
      return { ok: true, platformMessageId: messageId };
    },
  };

  async function nag(delivery: OutboundDelivery, messageId: string): Promise<SendResult | undefined> {
    const recipients = urgentRecipients(delivery);
    if (recipients.length === 0) {
      log.info({ outboxId: delivery.outboxId }, 'feishu urgent delivery names nobody to nag; sent without urgent');
      return undefined;
    }
    const result = await client.urgent(config.urgent, messageId, recipients);
    if (result.ok) {
      if (result.data.invalid_user_id_list.length > 0) {
        log.warn(
          { outboxId: delivery.outboxId, invalid: result.data.invalid_user_id_list },
          'feishu urgent: unknown users',
        );
      }
      return undefined;
    }
    if (result.kind === 'permanent') {
      // The message itself is delivered; dead-lettering it would hide that. The failed nag is logged loudly.
      log.error({ outboxId: delivery.outboxId, messageId, error: result.error }, 'feishu urgent failed permanently');
      return undefined;
    }
    return failure(result);
  }
}

export function urgentRecipients(delivery: Pick<OutboundDelivery, 'target' | 'body'>): string[] {
  const { target, body } = delivery;
  if (target.userId) return [target.userId];
  return body.type === 'text' ? [...new Set(body.mentionUserIds ?? [])] : [];
}

/** 230020: the 5 QPS of one chat or user (or of one message, for PATCH), not the app's limit (feishu.md). */
const CONVERSATION_LIMIT_CODE = 230020;

function failure(result: Extract<FeishuResult<unknown>, { ok: false }>): SendResult {
  return {
    ok: false,
    kind: result.kind,
    error: result.error,
    ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
    ...(result.code === CONVERSATION_LIMIT_CODE ? { limitScope: 'conversation' as const } : {}),
  };
}
