import type { PlatformDeps } from '../../types.js';
import { taskIdFor } from '../action-key.js';
import { wecomBuckets } from '../buckets.js';
import type { ChannelSender } from '../channel.js';
import type { WecomAppConfig } from '../config.js';
import { MARKDOWN_MAX_BYTES, TEXT_MAX_BYTES, cardToMarkdown, cardToTemplateCard, truncateBytes } from '../render.js';
import { appTenant } from '../tenant.js';
import type { AppMessageContent, WecomAppClient } from './client.js';

/**
 * Self-built app sends: message/send to one member (the app has no group channel of its own). Cards with callback
 * buttons go out as button_interaction with a task_id derived from the idempotency key; `enable_duplicate_check`
 * makes a retry of the same delivery a no-op at WeCom. No urgent mechanism exists here: urgent sends go out as normal.
 */
export function createAppChannel(app: WecomAppConfig, client: WecomAppClient, deps: PlatformDeps): ChannelSender {
  const now = deps.now ?? (() => new Date());
  const tenant = appTenant(app.corpId, app.agentId);

  return {
    bucketsFor(target) {
      const member = target.userId || target.chatId || '';
      return [
        ...wecomBuckets.appMember(app.corpId, app.agentId, member),
        wecomBuckets.appApi(app.corpId, 'message_send'),
      ];
    },

    async send(delivery) {
      const member = delivery.target.userId || delivery.target.chatId;
      if (!member) return { ok: false, kind: 'permanent', error: 'app messages need a member userid' };
      let content: AppMessageContent;
      if (delivery.body.type === 'text') {
        content = { msgtype: 'text', text: { content: truncateBytes(delivery.body.text, TEXT_MAX_BYTES) } };
      } else {
        const ctx = { links: deps.links, tenant, chatId: '', actorUserId: member, now: now() };
        const card = cardToTemplateCard(delivery.body.card, ctx, {
          allowCallbacks: true,
          taskId: taskIdFor(delivery.idempotencyKey),
        });
        content = card
          ? { msgtype: 'template_card', template_card: card }
          : {
              msgtype: 'markdown',
              markdown: { content: cardToMarkdown(delivery.body.card, ctx, MARKDOWN_MAX_BYTES.app) },
            };
      }
      const result = await client.sendMessage(member, content);
      if (!result.ok) return result;
      return { ok: true, ...(result.msgid ? { platformMessageId: result.msgid } : {}) };
    },
  };
}
