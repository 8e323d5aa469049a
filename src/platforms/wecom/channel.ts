import type { OutboundDelivery, RateBucket, SendResult } from '../../delivery/sender.js';
import type { OutboundTarget } from '../../model/outbound.js';

/** One WeCom channel (aibot, app, robot) behind the platform's single PlatformSender. */
export interface ChannelSender {
  bucketsFor(target: OutboundTarget): RateBucket[];
  send(delivery: OutboundDelivery): Promise<SendResult>;
}

/** 1:1 conversations are addressed by the member's userid; groups by chatid ('' counts as no chat). */
export const conversationOf = (target: OutboundTarget): string | undefined => target.chatId || target.userId;

/** The chat id for a rendering context: the group, or '' when the conversation is 1:1 with `target.userId`. */
export const groupOf = (target: OutboundTarget): string =>
  target.chatId && target.chatId !== target.userId ? target.chatId : '';
