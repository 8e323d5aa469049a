/** Outbound messages for a person's accounts or a group chat, keyed from the occurrence key. */
import type { Account, ChatTarget } from '../db/repos/schedule.js';
import type { MessageBody } from '../model/card.js';
import type { OutboundMessage, Urgency } from '../model/outbound.js';
import { isPlatform } from '../model/platform.js';

export interface Delivery {
  body: MessageBody;
  urgency: Urgency;
  /** Quiet hours: the earliest send time, when the message is held. */
  notBefore?: Date;
}

function hold(delivery: Delivery): Pick<OutboundMessage, 'notBefore'> {
  return delivery.notBefore ? { notBefore: delivery.notBefore } : {};
}

/** One private message per platform account (a person on Feishu and WeCom gets it on both). */
export function toAccounts(key: string, accounts: readonly Account[], delivery: Delivery): OutboundMessage[] {
  const messages: OutboundMessage[] = [];
  for (const account of accounts) {
    if (!isPlatform(account.platform)) continue;
    messages.push({
      target: { platform: account.platform, tenant: account.tenant, userId: account.userId },
      body: delivery.body,
      urgency: delivery.urgency,
      idempotencyKey: `${key}>${account.platform}:${account.tenant}:user:${account.userId}`,
      ...hold(delivery),
    });
  }
  return messages;
}

export function toChats(key: string, chats: readonly ChatTarget[], delivery: Delivery): OutboundMessage[] {
  const messages: OutboundMessage[] = [];
  for (const chat of chats) {
    if (!isPlatform(chat.platform)) continue;
    messages.push({
      target: { platform: chat.platform, tenant: chat.tenant, chatId: chat.chatId },
      body: delivery.body,
      urgency: delivery.urgency,
      idempotencyKey: `${key}>${chat.platform}:${chat.tenant}:chat:${chat.chatId}`,
      ...hold(delivery),
    });
  }
  return messages;
}
