import type { PlatformDeps } from '../../types.js';
import { wecomBuckets } from '../buckets.js';
import type { ChannelSender } from '../channel.js';
import { MARKDOWN_MAX_BYTES, cardToMarkdown, cardToTemplateCard, textToMentionMarkdown } from '../render.js';
import { parseWecomTenant, robotTenant } from '../tenant.js';
import { type RobotMessage, sendRobotMessage } from './client.js';

/**
 * Group robot webhook ("消息推送"): push-only into its one group. Text goes out as markdown, whose content carries
 * `<@userid>` mentions (`mentioned_list` exists only for msgtype text, and text has no formatting). Cards become
 * `text_notice` (the only card a robot may send besides news_notice): callback buttons turn into links signed for
 * the intended actor (target.userId), or a hint when the push is for the whole group.
 */
export function createRobotChannel(
  robots: Record<string, string>,
  apiBaseUrl: string,
  deps: PlatformDeps,
): ChannelSender {
  const now = deps.now ?? (() => new Date());
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const nameOf = (tenant: string) => {
    const parsed = parseWecomTenant(tenant);
    return parsed?.channel === 'robot' ? parsed.name : '';
  };

  return {
    bucketsFor(target) {
      return wecomBuckets.robot(nameOf(target.tenant));
    },

    async send(delivery) {
      const name = nameOf(delivery.target.tenant);
      const key = robots[name];
      if (!key) return { ok: false, kind: 'permanent', error: `no webhook key configured for robot "${name}"` };
      let message: RobotMessage;
      if (delivery.body.type === 'text') {
        const content = textToMentionMarkdown(
          delivery.body.text,
          delivery.body.mentionUserIds,
          MARKDOWN_MAX_BYTES.robot,
        );
        message = { msgtype: 'markdown', markdown: { content } };
      } else {
        const ctx = {
          links: deps.links,
          tenant: robotTenant(name),
          chatId: delivery.target.chatId || name,
          ...(delivery.target.userId ? { actorUserId: delivery.target.userId } : {}),
          now: now(),
        };
        const card = cardToTemplateCard(delivery.body.card, ctx, { allowCallbacks: false });
        message = card
          ? { msgtype: 'template_card', template_card: card }
          : {
              msgtype: 'markdown',
              markdown: { content: cardToMarkdown(delivery.body.card, ctx, MARKDOWN_MAX_BYTES.robot) },
            };
      }
      return sendRobotMessage(fetchFn, apiBaseUrl, key, message);
    },
  };
}
