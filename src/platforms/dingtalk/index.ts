/**
 * DingTalk (钉钉) enterprise-internal app robot.
 *
 * Identities:
 * - InboundEvent.tenant / OutboundTarget.tenant = the robot code (DINGTALK_ROBOT_CODE, by default the
 *   AppKey). It is known from configuration for every inbound path (HTTP, Stream, card callbacks), unlike
 *   the card callback's `corpId`, which is the clicking user's organisation.
 * - actor.platformUserId = senderStaffId (the userId every send API takes); for senders outside the
 *   organisation it is empty and the encrypted senderId (`$:LWCP_v1:$…`) stands in — such users cannot
 *   receive 1:1 messages, DING or @-mentions, so links and group messages are their only channel.
 * - Group chats: chat.id = conversationId (= openConversationId of the send APIs).
 *   1:1 chats: chat.id = `dm:<userId>`. The 1:1 conversationId is useless for sending (1:1 sends take
 *   userIds), so replying to event.chat.id works uniformly, as in the sandbox.
 * - InboundEvent.messageId = the reply handle `<msgId>|<sender userId>` (parse.ts): DingTalk has no threaded
 *   replies, and a group reply's signed links must act as the person it answers.
 *
 * Workers-safe: nothing here imports Node-only modules; Stream mode lives in transport-stream.ts.
 */
import type { PlatformDeps, PlatformModule } from '../types.js';
import { DingtalkClient } from './client.js';
import type { DingtalkConfig } from './config.js';
import { createDingtalkSender } from './sender.js';
import { createDingtalkWebhook } from './webhook.js';

export { type DingtalkConfig, dingtalkConfigFrom, dingtalkEnvSchema } from './config.js';
export { DingtalkClient } from './client.js';

export interface DingtalkPlatform extends PlatformModule {
  client: DingtalkClient;
}

export function createDingtalkPlatform(config: DingtalkConfig, deps: PlatformDeps): DingtalkPlatform {
  const now = deps.now ?? (() => new Date());
  const client = new DingtalkClient({ config, log: deps.log, now, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  return {
    platform: 'dingtalk',
    client,
    sender: createDingtalkSender({ config, client, links: deps.links, log: deps.log, now }),
    webhook: createDingtalkWebhook({ config, links: deps.links, log: deps.log, now }),
  };
}

/**
 * Points the card template's HTTP callbacks at `<publicUrl>/webhooks/dingtalk` (card templates with
 * DINGTALK_TRANSPORT=http). Idempotent (forceUpdate); run it at start-up or from the CLI.
 */
export async function registerDingtalkCardCallback(
  platform: DingtalkPlatform,
  config: DingtalkConfig,
  publicUrl: string,
) {
  if (!config.card?.callbackSecret || config.transport !== 'http') return { ok: true as const, data: null };
  return platform.client.registerCardCallback({
    callbackRouteKey: config.card.callbackRouteKey,
    callbackUrl: `${publicUrl.replace(/\/+$/, '')}/webhooks/dingtalk`,
    apiSecret: config.card.callbackSecret,
  });
}
