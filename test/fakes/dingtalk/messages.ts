/**
 * Robot messages and card callbacks shaped like DingTalk's (dingtalk.md §2.2–2.4, §8.2): the HTTP body of
 * a callback and the `data` of a Stream frame are the same JSON.
 */
import { randomUUID } from 'node:crypto';

export interface RobotMessageInput {
  text?: string;
  msgtype?: 'text' | 'picture' | 'richText';
  content?: unknown;
  conversationId?: string;
  conversationTitle?: string;
  /** Group ('2', default) or 1:1 ('1'). */
  conversationType?: '1' | '2';
  /** The sender's userId; omitted (empty) for a sender outside the organisation. */
  staffId?: string | null;
  senderNick?: string;
  msgId?: string;
  robotCode?: string;
  createAt?: number;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  isInAtList?: boolean;
}

const BOT_ID = '$:LWCP_v1:$botXiaoan';

export function robotMessage(input: RobotMessageInput = {}): Record<string, unknown> {
  const createAt = input.createAt ?? Date.now();
  const group = (input.conversationType ?? '2') === '2';
  const msgtype = input.msgtype ?? 'text';
  const senderId = `$:LWCP_v1:$${randomUUID().slice(0, 12)}`;
  return {
    conversationId: input.conversationId ?? 'cidSTAFFgroup0001==',
    ...(group ? { conversationTitle: input.conversationTitle ?? '实验小学教职工群' } : {}),
    atUsers: group ? [{ dingtalkId: BOT_ID }] : [],
    chatbotCorpId: 'dingcorp0001',
    chatbotUserId: BOT_ID,
    msgId: input.msgId ?? `msg${randomUUID().replaceAll('-', '')}==`,
    senderNick: input.senderNick ?? '王老师',
    isAdmin: false,
    ...(input.staffId === null ? {} : { senderStaffId: input.staffId ?? 'staff-wang' }),
    sessionWebhookExpiredTime: input.sessionWebhookExpiredTime ?? createAt + 5_400_000,
    createAt,
    senderCorpId: input.staffId === null ? 'dingothercorp' : 'dingcorp0001',
    conversationType: group ? '2' : '1',
    senderId,
    isInAtList: input.isInAtList ?? group,
    sessionWebhook: input.sessionWebhook ?? 'https://oapi.dingtalk.com/robot/sendBySession?session=unused',
    robotCode: input.robotCode ?? 'dingappkey',
    msgtype,
    ...(msgtype === 'text'
      ? // In groups the @robot part is stripped and leaves a leading space.
        { text: { content: group ? ` ${input.text ?? ''}` : (input.text ?? '') } }
      : { content: input.content }),
  };
}

export function pictureContent(downloadCode: string) {
  return { pictureDownloadCode: `pic-${downloadCode}`, downloadCode };
}

export function richTextContent(parts: ({ text: string } | { downloadCode: string })[]) {
  return {
    richText: parts.map((part) =>
      'text' in part
        ? { text: part.text }
        : { pictureDownloadCode: `pic-${part.downloadCode}`, downloadCode: part.downloadCode, type: 'picture' },
    ),
  };
}

export interface CardClickInput {
  outTrackId: string;
  userId: string;
  /** Params the clicked button sends back (our template: { value: '<ActionValue JSON>' }). */
  params: Record<string, unknown>;
  actionId?: string;
  spaceType?: 'IM_GROUP' | 'IM_ROBOT';
  spaceId?: string;
}

export function cardCallback(input: CardClickInput): Record<string, unknown> {
  return {
    type: 'actionCallback',
    outTrackId: input.outTrackId,
    corpId: 'dingcorp0001',
    userId: input.userId,
    userIdType: 1,
    spaceType: input.spaceType ?? 'IM_GROUP',
    spaceId: input.spaceId ?? 'cidSTAFFgroup0001==',
    extension: '{}',
    content: JSON.stringify({ cardPrivateData: { actionIds: [input.actionId ?? 'btn1'], params: input.params } }),
  };
}
