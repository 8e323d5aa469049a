import type { SendResult } from '../../../delivery/sender.js';
import type { PlatformDeps } from '../../types.js';
import { taskIdFor } from '../action-key.js';
import { wecomBuckets } from '../buckets.js';
import { type ChannelSender, conversationOf, groupOf } from '../channel.js';
import type { WecomAibotConfig } from '../config.js';
import { failureFromErrcode } from '../errcode.js';
import { MARKDOWN_MAX_BYTES, cardToMarkdown, cardToTemplateCard, truncateBytes } from '../render.js';
import { aibotTenant } from '../tenant.js';
import type { AibotAck, AibotConnectionRegistry, AibotPayload } from './registry.js';

/**
 * AI bot sends (tenant `aibot:<botId>`): handed to the live WebSocket through the registry. A delivery that replies
 * to a recent message answers it in place (aibot_respond_msg); everything else — and a reply WeCom refuses — is a
 * proactive aibot_send_msg to the chat. Text is markdown; `mentionUserIds` are not rendered, because the AI bot's
 * markdown mention syntax is not documented (UNCONFIRMED).
 */
export function createAibotChannel(
  aibot: WecomAibotConfig,
  registry: AibotConnectionRegistry,
  deps: PlatformDeps,
): ChannelSender {
  const now = deps.now ?? (() => new Date());
  const tenant = aibotTenant(aibot.botId);

  const resultOf = (ack: AibotAck): SendResult => {
    if (ack.ok) return { ok: true };
    if (ack.errcode !== undefined) return failureFromErrcode(ack.errcode, ack.error, { freqLimitRetryMs: 60_000 });
    return { ok: false, kind: 'transient', error: ack.error };
  };

  return {
    bucketsFor(target) {
      return wecomBuckets.aibotChat(aibot.botId, conversationOf(target) ?? '');
    },

    async send(delivery) {
      const chatId = conversationOf(delivery.target);
      if (!chatId) return { ok: false, kind: 'permanent', error: 'AI bot messages need a chatid or userid' };
      const connection = registry.get(aibot.botId);
      if (!connection) {
        return { ok: false, kind: 'transient', error: 'this instance does not hold the AI bot connection' };
      }

      const taskId = taskIdFor(delivery.idempotencyKey);
      let payload: AibotPayload;
      if (delivery.body.type === 'text') {
        payload = { type: 'markdown', content: truncateBytes(delivery.body.text, MARKDOWN_MAX_BYTES.aibot) };
      } else {
        const ctx = {
          links: deps.links,
          tenant,
          chatId: groupOf(delivery.target),
          ...(delivery.target.userId ? { actorUserId: delivery.target.userId } : {}),
          now: now(),
        };
        const card = cardToTemplateCard(delivery.body.card, ctx, { allowCallbacks: true, taskId });
        payload = card
          ? { type: 'template_card', card }
          : { type: 'markdown', content: cardToMarkdown(delivery.body.card, ctx, MARKDOWN_MAX_BYTES.aibot) };
      }

      const reply = delivery.replyTo ? connection.reply(delivery.replyTo, payload, taskId) : null;
      if (reply) {
        const ack = await reply;
        if (ack.ok || ack.delivered === 'unknown') return resultOf(ack);
        deps.log.info({ platform: 'wecom', channel: 'aibot', error: ack.error }, 'reply refused, pushing instead');
      }
      return resultOf(await connection.push(chatId, payload));
    },
  };
}
