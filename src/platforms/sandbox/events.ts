import type { SandboxMessage } from '../../db/repos/sandbox.js';
import type { ActionValue } from '../../model/card.js';
import type { InboundEvent } from '../../model/inbound.js';

export const SANDBOX_BOT_NAME = '校安';

const isDirect = (chat: string) => chat.startsWith('dm:');

/** A typed sandbox message as the platforms would deliver it. */
export function messageEvent(message: SandboxMessage, userName: string | undefined, receivedAt: Date): InboundEvent {
  const text = message.text ?? '';
  const mention = `@${SANDBOX_BOT_NAME}`;
  return {
    id: `msg:${message.id}`,
    platform: 'sandbox',
    tenant: '',
    kind: 'message',
    chat: { id: message.chat, type: isDirect(message.chat) ? 'direct' : 'group' },
    actor: { platformUserId: message.user ?? '', ...(userName ? { name: userName } : {}) },
    text: text.split(mention).join(' ').trim(),
    mentionsBot: text.includes(mention),
    attachments: message.attachments,
    receivedAt,
    messageId: message.id,
    raw: message,
  };
}

export function actionEvent(input: {
  clickId: string;
  chat: string;
  user: string;
  userName: string | undefined;
  messageId: string;
  value: ActionValue;
  form: Record<string, string>;
  receivedAt: Date;
}): InboundEvent {
  return {
    id: `act:${input.clickId}`,
    platform: 'sandbox',
    tenant: '',
    kind: 'action',
    chat: { id: input.chat, type: isDirect(input.chat) ? 'direct' : 'group' },
    actor: { platformUserId: input.user, ...(input.userName ? { name: input.userName } : {}) },
    text: '',
    mentionsBot: false,
    attachments: [],
    action: { value: input.value, form: input.form, messageId: input.messageId },
    receivedAt: input.receivedAt,
    messageId: input.messageId,
    raw: input,
  };
}
