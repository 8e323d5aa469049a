import type { OutboundDelivery, PlatformSender, RateBucket, SendResult } from '../../delivery/sender.js';
import type { SignedLinks } from '../../http/signed-links.js';
import type { Card, MessageBody } from '../../model/card.js';
import type { OutboundTarget } from '../../model/outbound.js';
import type { Log } from '../types.js';
import type { DingtalkClient, RobotMessagePayload } from './client.js';
import type { DingtalkConfig } from './config.js';
import type { ApiResult } from './errors.js';
import { senderOfReplyHandle, userOfDirectChat } from './parse.js';
import {
  ACTION_LINK_TTL_MS,
  type DingMessage,
  type LinkContext,
  linkChatId,
  renderBody,
  renderCardTemplateParams,
  summaryOf,
  toRobotApiMessage,
  toSessionWebhookBody,
  withMentions,
} from './render.js';

/**
 * Published limits (dingtalk.md §9, README.md): 40 calls/s and 1500/min per app per API, but another
 * source gives 20 QPS per API for the standard edition — so the whole app stays at 20/s (also under
 * 1500/min = 25/s). No per-group figure is published for app robots; 20/min per chat is the custom
 * robot's limit and a readable pace for a group. 1:1 sends get the same per-user pace.
 */
const APP_RATE_PER_SECOND = 20;
const CHAT_RATE_PER_MINUTE = 20;
const CHAT_BURST = 5;
/** A sessionWebhook this close to its expiry is not worth trying. */
const SESSION_MARGIN_MS = 60_000;
/** oToMessages/batchSend and DING in-app take at most 20 / 200 receivers; nags stay within the smaller. */
const MAX_NAG_RECIPIENTS = 20;

/** Encrypted ids (`$:LWCP_v1:$…`) belong to senders outside the organisation: no 1:1, DING or @ for them. */
const isOrgUserId = (userId: string) => userId.length > 0 && !userId.startsWith('$:');

export interface DingtalkSenderOptions {
  config: DingtalkConfig;
  client: DingtalkClient;
  links: SignedLinks;
  log: Log;
  now?: () => Date;
}

interface Destination {
  /** openConversationId of a group, or null for a 1:1 send. */
  groupId: string | null;
  /** Receiver of a 1:1 send. */
  userId: string | null;
}

function destinationOf(target: OutboundTarget): Destination | string {
  const directUser = target.chatId ? userOfDirectChat(target.chatId) : null;
  if (target.chatId && !directUser) return { groupId: target.chatId, userId: null };
  const userId = directUser ?? target.userId;
  if (!userId) return 'target has neither chatId nor userId';
  if (!isOrgUserId(userId)) return 'the user is outside the organisation and cannot receive 1:1 messages';
  return { groupId: null, userId };
}

const failure = (result: Exclude<ApiResult<unknown>, { ok: true }>): SendResult => ({
  ok: false,
  kind: result.kind,
  error: result.error,
  ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
});

export function createDingtalkSender(options: DingtalkSenderOptions): PlatformSender {
  const { config, client, links, log } = options;
  const now = options.now ?? (() => new Date());
  const app = `dingtalk:${config.robotCode}`;

  function bucketsFor(target: OutboundTarget): RateBucket[] {
    const buckets: RateBucket[] = [
      { key: `${app}:api`, ratePerSecond: APP_RATE_PER_SECOND, burst: APP_RATE_PER_SECOND, shared: true },
    ];
    const destination = destinationOf(target);
    if (typeof destination !== 'string') {
      const key = destination.groupId ? `chat:${destination.groupId}` : `user:${destination.userId}`;
      buckets.push({ key: `${app}:${key}`, ratePerSecond: CHAT_RATE_PER_MINUTE / 60, burst: CHAT_BURST });
    }
    return buckets;
  }

  function linkContext(delivery: OutboundDelivery, chatId: string, actorId: string): LinkContext {
    return {
      links,
      tenant: delivery.target.tenant,
      chatId,
      actorId,
      expiresAt: new Date(now().getTime() + ACTION_LINK_TTL_MS),
    };
  }

  async function sendRobotMessage(destination: Destination, payload: RobotMessagePayload): Promise<SendResult> {
    if (destination.groupId) {
      const result = await client.sendGroupMessage(destination.groupId, payload);
      if (!result.ok) return failure(result);
      return { ok: true, ...(result.data.processQueryKey ? { platformMessageId: result.data.processQueryKey } : {}) };
    }
    const userId = destination.userId!;
    const result = await client.sendToUsers([userId], payload);
    if (!result.ok) return failure(result);
    if (result.data.flowControlledStaffIdList?.includes(userId)) {
      return {
        ok: false,
        kind: 'rate_limited',
        error: 'batchSend: receiver is flow-controlled',
        retryAfterMs: 60_000,
        limitScope: 'recipient',
      };
    }
    if (result.data.invalidStaffIdList?.includes(userId)) {
      return { ok: false, kind: 'permanent', error: `batchSend: ${userId} is not a valid staff id` };
    }
    return { ok: true, ...(result.data.processQueryKey ? { platformMessageId: result.data.processQueryKey } : {}) };
  }

  /** sessionWebhook while it is valid (it can @-mention), else the robot OpenAPI. */
  async function sendMessage(
    delivery: OutboundDelivery,
    destination: Destination,
    message: DingMessage,
    mentions: string[],
  ): Promise<SendResult> {
    const session = delivery.replyChannel;
    if (session && Date.parse(session.expiresAt) - now().getTime() > SESSION_MARGIN_MS) {
      const result = await client.sendBySession(session.url, toSessionWebhookBody(withMentions(message, mentions)));
      if (result.ok) return { ok: true };
      // A refused webhook sent nothing, so the OpenAPI can take over; a throttled or failing one is retried later.
      if (result.kind !== 'permanent') return failure(result);
      log.info(
        { outboxId: delivery.outboxId, error: result.error },
        'dingtalk sessionWebhook refused; using the robot API',
      );
    }
    return sendRobotMessage(destination, toRobotApiMessage(message));
  }

  async function sendTemplateCard(
    delivery: OutboundDelivery,
    destination: Destination,
    card: Card,
    ctx: LinkContext,
    mentions: string[],
  ): Promise<SendResult> {
    const template = config.card!;
    const preview = { ZH_CN: card.title };
    const space = destination.groupId
      ? {
          openSpaceId: `dtv1.card//IM_GROUP.${destination.groupId}`,
          imGroupOpenSpaceModel: { supportForward: false, lastMessageI18n: preview },
          imGroupOpenDeliverModel: {
            robotCode: config.robotCode,
            ...(mentions.length > 0 ? { atUserIds: Object.fromEntries(mentions.map((id) => [id, id])) } : {}),
          },
        }
      : {
          openSpaceId: `dtv1.card//IM_ROBOT.${destination.userId}`,
          imRobotOpenSpaceModel: { supportForward: false, lastMessageI18n: preview },
          imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: config.robotCode },
        };
    const result = await client.createAndDeliverCard({
      cardTemplateId: template.templateId,
      // Creation is idempotent by outTrackId, so a retried outbox row cannot post the card twice.
      outTrackId: delivery.idempotencyKey,
      cardData: { cardParamMap: renderCardTemplateParams(card, ctx) },
      callbackType: config.transport === 'stream' ? 'STREAM' : 'HTTP',
      ...(config.transport === 'stream' ? {} : { callbackRouteKey: template.callbackRouteKey }),
      userIdType: 1,
      ...space,
    });
    if (!result.ok) {
      if (/cardAlreadyExist/i.test(result.error)) return { ok: true, platformMessageId: delivery.idempotencyKey };
      return failure(result);
    }
    const delivered = deliverResultsOf(result.data.result);
    const refused = delivered.find((entry) => entry.success === false);
    if (refused) return { ok: false, kind: 'permanent', error: `card not delivered: ${refused.errorMsg ?? 'unknown'}` };
    return { ok: true, platformMessageId: delivery.idempotencyKey };
  }

  /**
   * The urgent extra, after the message itself went out: DING when the organisation has it, otherwise a
   * private copy (the group message already @-mentioned them where DingTalk allows it). Best effort: the
   * message was sent, so a failure here must not make the dispatcher send it again.
   */
  async function nag(delivery: OutboundDelivery, destination: Destination, recipients: string[]): Promise<void> {
    if (recipients.length === 0) return;
    if (config.ding) {
      const result = await client.sendDing(recipients, summaryOf(delivery.body));
      if (!result.ok) log.warn({ outboxId: delivery.outboxId, error: result.error }, 'dingtalk DING failed');
      else if (result.data.failedList && Object.keys(result.data.failedList).length > 0) {
        log.warn(
          { outboxId: delivery.outboxId, failed: result.data.failedList },
          'dingtalk DING not delivered to some',
        );
      }
      return;
    }
    if (!destination.groupId) return;
    for (const userId of recipients) {
      const ctx = linkContext(delivery, linkChatId(null), userId);
      const result = await sendRobotMessage(
        { groupId: null, userId },
        toRobotApiMessage(renderBody(delivery.body, ctx)),
      );
      if (!result.ok)
        log.warn({ outboxId: delivery.outboxId, userId, error: result.error }, 'dingtalk private nag failed');
    }
  }

  function urgentRecipients(delivery: OutboundDelivery, destination: Destination): string[] {
    if (delivery.urgency !== 'urgent') return [];
    const body: MessageBody = delivery.body;
    const ids = [
      ...(destination.userId ? [destination.userId] : []),
      ...(delivery.target.userId ? [delivery.target.userId] : []),
      ...(body.type === 'text' ? (body.mentionUserIds ?? []) : []),
    ];
    return [...new Set(ids)].filter(isOrgUserId).slice(0, MAX_NAG_RECIPIENTS);
  }

  async function send(delivery: OutboundDelivery): Promise<SendResult> {
    const destination = destinationOf(delivery.target);
    if (typeof destination === 'string') return { ok: false, kind: 'permanent', error: destination };
    const recipients = urgentRecipients(delivery, destination);
    const mentions = destination.groupId && !config.ding ? recipients : [];
    // Who a signed link acts as: the addressed user, else the person a group reply answers, else anyone in
    // the chat (pages such as the receipt page identify them).
    const actor = delivery.target.userId ?? destination.userId ?? senderOfReplyHandle(delivery.replyTo) ?? '';
    const ctx = linkContext(delivery, linkChatId(destination.groupId), actor);
    const body = delivery.body;
    const result =
      body.type === 'card' && config.card
        ? await sendTemplateCard(delivery, destination, body.card, ctx, mentions)
        : await sendMessage(delivery, destination, renderBody(body, ctx), mentions);
    if (result.ok) await nag(delivery, destination, recipients);
    return result;
  }

  return { platform: 'dingtalk', bucketsFor, send };
}

function deliverResultsOf(result: unknown): { success?: boolean; errorMsg?: string }[] {
  if (!result || typeof result !== 'object') return [];
  const list = (result as { deliverResults?: unknown }).deliverResults;
  return Array.isArray(list) ? (list as { success?: boolean; errorMsg?: string }[]) : [];
}
