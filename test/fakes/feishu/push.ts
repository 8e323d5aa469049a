import { randomBytes } from 'node:crypto';
import { type CardButtonView, viewCard } from './card-view.js';
import {
  buildCardActionEvent,
  buildMessageEvent,
  type MentionSpec,
  type MessageEventOptions,
  type SignedDelivery,
  type SignOptions,
  signFeishuEvent,
} from './events.js';
import type { FeishuFake } from './server.js';

/**
 * Feishu's side of event delivery (feishu.md §1, §2): POSTs events and card callbacks to the app's callback
 * URL over HTTP, encrypted and signed with the fake's helpers at the fake's clock, and checks the answers
 * the way Feishu does — 200 within 3 s, card callbacks as `{toast, card:{type:'raw', data}}` (else the
 * user sees 200340 / 200672) — redrawing the tapped card with the answer's card.
 */

export const FEISHU_CALLBACK_DEADLINE_MS = 3000;

export interface FeishuPusherOptions {
  /** The app's callback URL, e.g. http://127.0.0.1:1234/webhooks/feishu. */
  url: string;
  verificationToken: string;
  encryptKey?: string;
  /** Milliseconds since the epoch: signs X-Lark-Request-Timestamp. Defaults to the fake's clock. */
  now?: () => number;
}

export interface PushResponse {
  status: number;
  /** Parsed JSON, or the text when the answer is not JSON. */
  body: unknown;
  elapsedMs: number;
}

export interface MessagePush extends PushResponse {
  eventId: string;
  messageId: string;
}

export interface TapResult extends PushResponse {
  eventId: string;
  toast?: { type: string; content: string };
  /** The card the answer redrew, as the user now sees it. */
  card?: ReturnType<typeof viewCard>;
  /** The error code the Feishu client would show instead of the answer (200340 late/failed, 200672 bad shape). */
  clientError?: 200340 | 200672;
}

export type MessageSpec = Omit<MessageEventOptions, 'verificationToken' | 'appId' | 'messageType' | 'content'> & {
  messageType?: MessageEventOptions['messageType'];
  content?: object;
  /** Text message shorthand; "@_user_N" placeholders refer to `mentions`. */
  text?: string;
  /** Prepends "@_user_1 " mentioning the bot. */
  atBot?: boolean;
};

export interface TapSpec {
  operatorOpenId: string;
  /** The bot message holding the card. */
  messageId: string;
  button: CardButtonView;
  formValue?: Record<string, unknown>;
  eventId?: string;
}

export function createFeishuPusher(fake: FeishuFake, options: FeishuPusherOptions) {
  const now = options.now ?? Date.now;
  const envelope = (eventId?: string) => ({
    verificationToken: options.verificationToken,
    appId: fake.appId,
    ...(eventId ? { eventId } : {}),
    createTime: now(),
  });

  /** Compact JSON, encrypted when a key is set, signed at the fake's clock. */
  function sign(payload: object, overrides: Partial<SignOptions> = {}): SignedDelivery {
    return signFeishuEvent(payload, {
      encryptKey: options.encryptKey,
      verificationToken: options.verificationToken,
      timestamp: Math.floor(now() / 1000),
      ...overrides,
    });
  }

  async function post(delivery: SignedDelivery): Promise<PushResponse> {
    const started = Date.now();
    const response = await fetch(options.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Rejections may answer in plain text.
    }
    return { status: response.status, body, elapsedMs: Date.now() - started };
  }

  function messagePayload(spec: MessageSpec) {
    const { text, atBot, content, messageType, ...rest } = spec;
    const mentions: MentionSpec[] = [
      ...(atBot ? [{ openId: fake.botOpenId, name: '校安' }] : []),
      ...(rest.mentions ?? []),
    ];
    // Placeholders of the caller's own mentions move up by one when the bot is mentioned first.
    const shifted = atBot ? (text ?? '').replace(/@_user_(\d+)/g, (_, n: string) => `@_user_${Number(n) + 1}`) : text;
    const body = text !== undefined ? { text: atBot ? `@_user_1 ${shifted}` : text } : content;
    if (!body) throw new Error('a message needs text or content');
    return buildMessageEvent({
      ...envelope(rest.eventId),
      ...rest,
      messageId: rest.messageId ?? `om_${randomBytes(12).toString('hex')}`,
      messageType: messageType ?? 'text',
      content: body,
      mentions,
    });
  }

  return {
    sign,
    post,
    messagePayload,
    /** A user's message: it now exists on Feishu (replies and downloads may refer to it), then it is pushed. */
    async message(spec: MessageSpec, overrides?: Partial<SignOptions>): Promise<MessagePush> {
      const payload = messagePayload(spec);
      const { message_id: messageId, chat_id: chatId } = payload.event.message;
      fake.addInboundMessage(messageId, chatId);
      const response = await post(sign(payload, overrides));
      return { ...response, eventId: payload.header.event_id, messageId };
    },
    /** A tap on a card button (or a form submit): the answer is checked and the card redrawn as Feishu would. */
    async tap(spec: TapSpec): Promise<TapResult> {
      const message = fake.message(spec.messageId);
      if (!message) throw new Error(`no message ${spec.messageId} at the fake`);
      if (spec.button.value === undefined) throw new Error(`button "${spec.button.label}" has no callback`);
      const payload = buildCardActionEvent({
        ...envelope(spec.eventId),
        operatorOpenId: spec.operatorOpenId,
        chatId: message.chat_id,
        messageId: spec.messageId,
        value: spec.button.value,
        ...(spec.button.name ? { name: spec.button.name } : {}),
        ...(spec.formValue ? { formValue: spec.formValue } : {}),
      });
      const response = await post(sign(payload));
      const result: TapResult = { ...response, eventId: payload.header.event_id };
      if (response.status !== 200 || response.elapsedMs > FEISHU_CALLBACK_DEADLINE_MS) {
        return { ...result, clientError: 200340 };
      }
      const answer = (response.body ?? {}) as { toast?: TapResult['toast']; card?: { type?: string; data?: unknown } };
      if (answer.card !== undefined && (answer.card.type !== 'raw' || typeof answer.card.data !== 'object')) {
        return { ...result, clientError: 200672 };
      }
      if (answer.card) fake.redrawCard(spec.messageId, answer.card.data);
      return {
        ...result,
        ...(answer.toast ? { toast: answer.toast } : {}),
        ...(answer.card ? { card: viewCard(answer.card.data) } : {}),
      };
    },
  };
}

export type FeishuPusher = ReturnType<typeof createFeishuPusher>;
