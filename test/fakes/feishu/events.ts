import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Deliveries shaped and protected exactly as Feishu sends them (feishu.md §1–2): compact JSON, AES-256-CBC
 * with key sha256(encryptKey) and a random IV prepended, X-Lark-Signature = sha256(ts + nonce + key + body)
 * over the bytes sent; old card callbacks signed with sha1 over the Verification Token. Written
 * independently of src/platforms/feishu so the adapter is checked against a second implementation.
 */

export interface SignOptions {
  encryptKey?: string;
  verificationToken?: string;
  /** Seconds since the epoch (X-Lark-Request-Timestamp); defaults to now. */
  timestamp?: number;
  nonce?: string;
  /** Pretty-print the JSON (Feishu sends compact JSON; the SDK's own check breaks on anything else). */
  space?: number;
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

export function encryptFeishuPayload(json: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(json, 'utf8'), cipher.final()]).toString('base64');
}

export function signFeishuEvent(payload: object, options: SignOptions = {}): SignedDelivery {
  const plain = JSON.stringify(payload, null, options.space);
  const legacyCard = !('schema' in payload) && 'open_message_id' in payload && 'action' in payload;
  const body =
    options.encryptKey && !legacyCard
      ? JSON.stringify({ encrypt: encryptFeishuPayload(plain, options.encryptKey) }, null, options.space)
      : plain;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const secret = legacyCard ? options.verificationToken : options.encryptKey;
  if (secret) {
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = createHash(legacyCard ? 'sha1' : 'sha256')
      .update(timestamp + nonce + secret + body)
      .digest('hex');
  }
  return { body, headers };
}

/** The URL-verification challenge: encrypted when a key is set, never signed (node-sdk issue #67). */
export function signedChallenge(options: { verificationToken: string; encryptKey?: string; challenge?: string }) {
  const challenge = options.challenge ?? randomId();
  const plain = JSON.stringify({ challenge, token: options.verificationToken, type: 'url_verification' });
  const body = options.encryptKey
    ? JSON.stringify({ encrypt: encryptFeishuPayload(plain, options.encryptKey) })
    : plain;
  return { challenge, body, headers: { 'content-type': 'application/json; charset=utf-8' } };
}

export interface EventEnvelopeOptions {
  verificationToken: string;
  appId: string;
  eventId?: string;
  tenantKey?: string;
  createTime?: number;
}

function envelope<E extends object>(eventType: string, options: EventEnvelopeOptions, event: E) {
  return {
    schema: '2.0',
    header: {
      event_id: options.eventId ?? randomId(),
      event_type: eventType,
      create_time: String(options.createTime ?? Date.now()),
      token: options.verificationToken,
      app_id: options.appId,
      tenant_key: options.tenantKey ?? 'fake_tenant',
    },
    event,
  };
}

export interface MentionSpec {
  openId: string;
  name: string;
}

export interface MessageEventOptions extends EventEnvelopeOptions {
  chatId: string;
  chatType?: 'group' | 'p2p';
  senderOpenId: string;
  messageId?: string;
  messageType: 'text' | 'post' | 'image' | 'file' | 'sticker';
  /** The message content object; stringified into `content` as Feishu does. */
  content: object;
  /** Become @_user_1, @_user_2 … in order. */
  mentions?: MentionSpec[];
}

export function buildMessageEvent(options: MessageEventOptions) {
  const createTime = String(options.createTime ?? Date.now());
  return envelope('im.message.receive_v1', options, {
    sender: {
      sender_id: { union_id: `on_${options.senderOpenId}`, user_id: 'u_fake', open_id: options.senderOpenId },
      sender_type: 'user',
      tenant_key: options.tenantKey ?? 'fake_tenant',
    },
    message: {
      message_id: options.messageId ?? `om_${randomId()}`,
      create_time: createTime,
      update_time: createTime,
      chat_id: options.chatId,
      chat_type: options.chatType ?? 'group',
      message_type: options.messageType,
      content: JSON.stringify(options.content),
      ...(options.mentions?.length
        ? {
            mentions: options.mentions.map((mention, index) => ({
              key: `@_user_${index + 1}`,
              id: { union_id: `on_${mention.openId}`, user_id: 'u_fake', open_id: mention.openId },
              name: mention.name,
              tenant_key: options.tenantKey ?? 'fake_tenant',
            })),
          }
        : {}),
      user_agent: 'fake-feishu',
    },
  });
}

/** Text with mentions: write the placeholders (@_user_1 …) into `text` as Feishu does. */
export function buildTextMessageEvent(
  options: Omit<MessageEventOptions, 'messageType' | 'content'> & { text: string },
) {
  return buildMessageEvent({ ...options, messageType: 'text', content: { text: options.text } });
}

export interface CardActionOptions extends EventEnvelopeOptions {
  operatorOpenId: string;
  chatId: string;
  messageId: string;
  value: unknown;
  formValue?: Record<string, unknown>;
  name?: string;
  tag?: string;
}

export function buildCardActionEvent(options: CardActionOptions) {
  return envelope('card.action.trigger', options, {
    operator: {
      tenant_key: options.tenantKey ?? 'fake_tenant',
      user_id: 'u_fake',
      open_id: options.operatorOpenId,
      union_id: `on_${options.operatorOpenId}`,
    },
    token: `c-${randomId()}`,
    action: {
      value: options.value,
      tag: options.tag ?? 'button',
      ...(options.name ? { name: options.name } : {}),
      ...(options.formValue ? { form_value: options.formValue } : {}),
    },
    host: 'im_message',
    context: { open_message_id: options.messageId, open_chat_id: options.chatId },
  });
}

/** Old card-URL callback (card.action.trigger_v1): `token` is the c-… card-update token, not the Verification Token. */
export function buildLegacyCardCallback(options: {
  openId: string;
  chatId: string;
  messageId: string;
  value: unknown;
  formValue?: Record<string, unknown>;
}) {
  return {
    open_id: options.openId,
    user_id: 'u_fake',
    tenant_key: 'fake_tenant',
    open_message_id: options.messageId,
    open_chat_id: options.chatId,
    token: `c-${randomId()}`,
    action: {
      value: options.value,
      tag: 'button',
      ...(options.formValue ? { form_value: options.formValue } : {}),
    },
  };
}

export function buildBotMembershipEvent(
  options: EventEnvelopeOptions & { chatId: string; operatorOpenId: string; chatName?: string; removed?: boolean },
) {
  return envelope(options.removed ? 'im.chat.member.bot.deleted_v1' : 'im.chat.member.bot.added_v1', options, {
    chat_id: options.chatId,
    operator_id: { union_id: `on_${options.operatorOpenId}`, user_id: 'u_fake', open_id: options.operatorOpenId },
    external: false,
    operator_tenant_key: options.tenantKey ?? 'fake_tenant',
    name: options.chatName ?? '测试群',
  });
}

export const randomId = () => randomBytes(16).toString('hex');
