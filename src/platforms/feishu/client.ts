import { createHash } from 'node:crypto';
import type { FeishuUrgentKind } from './config.js';

/**
 * The Feishu Open API calls this service makes, over fetch (Workers-compatible), one code path each
 * (feishu.md §3). The tenant_access_token is cached per client instance — the SDK's default cache is a
 * process-global keyed by app id — and refreshed on expiry or on a token error, retrying the call once.
 */

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  baseUrl: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  now?: () => number;
}

export type FeishuFailureKind = 'rate_limited' | 'transient' | 'permanent';

export type FeishuResult<T> =
  | { ok: true; data: T }
  | { ok: false; kind: FeishuFailureKind; error: string; code?: number; retryAfterMs?: number };

export interface FeishuSentMessage {
  message_id: string;
  chat_id?: string;
}

export interface FeishuMessageInput {
  msgType: string;
  /** JSON string (text / card / post content). */
  content: string;
  /** Outbox idempotency key; hashed into Feishu's ≤ 50-char `uuid` (same uuid within 1 h → one message). */
  idempotencyKey?: string;
}

export interface FeishuResource {
  bytes: Uint8Array;
  contentType: string;
}

export interface FeishuBotInfo {
  open_id: string;
  app_name?: string;
}

export interface FeishuClient {
  sendMessage(
    receiveIdType: 'chat_id' | 'open_id',
    receiveId: string,
    message: FeishuMessageInput,
  ): Promise<FeishuResult<FeishuSentMessage>>;
  replyMessage(messageId: string, message: FeishuMessageInput): Promise<FeishuResult<FeishuSentMessage>>;
  /** PATCH a shared card (config.update_multi) sent by this bot, ≤ 14 days old. */
  updateCard(messageId: string, cardJson: string): Promise<FeishuResult<unknown>>;
  /** Urgent (加急) on a message this bot sent; sms/phone consume the tenant's paid quota. */
  urgent(
    kind: FeishuUrgentKind,
    messageId: string,
    openIds: string[],
  ): Promise<FeishuResult<{ invalid_user_id_list: string[] }>>;
  /** Image or file attached to a message (hazard photos); file_key must belong to message_id. */
  downloadResource(messageId: string, fileKey: string, type: 'image' | 'file'): Promise<FeishuResult<FeishuResource>>;
  botInfo(): Promise<FeishuResult<FeishuBotInfo>>;
  /** The bot's own open_id, fetched once and cached; undefined while Feishu cannot be reached. */
  botOpenId(): Promise<string | undefined>;
}

/** 99991663 invalid/expired tenant token (doc); 99991661 missing, 99991668 invalid, 99991677 expired (widely reported). */
const TOKEN_ERROR_CODES = new Set([99991661, 99991663, 99991668, 99991677]);
/** Gateway limit, IM per-chat/per-user/per-message limit, message-service limit (feishu.md §3.6). */
const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232]);
/** When no x-ogw-ratelimit-reset arrives: the IM limits are per second. */
const DEFAULT_RETRY_AFTER_MS = 1000;
/** The SDK refreshes three minutes early; so do we. */
const TOKEN_EARLY_REFRESH_MS = 3 * 60_000;

interface Envelope {
  code?: number;
  msg?: string;
  data?: unknown;
  [key: string]: unknown;
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  binary?: boolean;
}

type RawResult = FeishuResult<{ envelope?: Envelope; bytes?: Uint8Array; contentType: string }>;

export function createFeishuClient(options: FeishuClientOptions): FeishuClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  let token: { value: string; refreshAt: number } | undefined;
  let pendingToken: Promise<FeishuResult<string>> | undefined;
  let botOpenId: string | undefined;
  let pendingBotInfo: Promise<string | undefined> | undefined;

  async function fetchToken(): Promise<FeishuResult<string>> {
    const result = await request({
      method: 'POST',
      path: '/open-apis/auth/v3/tenant_access_token/internal',
      body: { app_id: options.appId, app_secret: options.appSecret },
    });
    if (!result.ok) return result;
    const envelope = result.data.envelope ?? {};
    const value = envelope.tenant_access_token;
    const expire = Number(envelope.expire);
    if (typeof value !== 'string' || !Number.isFinite(expire)) {
      return { ok: false, kind: 'transient', error: 'token response without tenant_access_token/expire' };
    }
    token = { value, refreshAt: now() + expire * 1000 - TOKEN_EARLY_REFRESH_MS };
    return { ok: true, data: value };
  }

  function currentToken(): Promise<FeishuResult<string>> {
    if (token && now() < token.refreshAt) return Promise.resolve({ ok: true, data: token.value });
    pendingToken ??= fetchToken().finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  async function request(call: Call, accessToken?: string): Promise<RawResult> {
    const url = new URL(baseUrl + call.path);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = {};
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    let response: Response;
    try {
      response = await doFetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
    } catch (error) {
      return { ok: false, kind: 'transient', error: `network error: ${(error as Error).message}` };
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (call.binary && response.ok && !contentType.includes('application/json')) {
      return { ok: true, data: { bytes: new Uint8Array(await response.arrayBuffer()), contentType } };
    }
    const envelope = await readEnvelope(response);
    const retryAfterMs = resetHeaderMs(response.headers);
    const code = envelope?.code;
    const msg = envelope?.msg ?? response.statusText;
    if (response.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
      return {
        ok: false,
        kind: 'rate_limited',
        error: describe(response.status, code, msg),
        code,
        retryAfterMs: retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
      };
    }
    if (!envelope) {
      const kind = response.status >= 500 ? 'transient' : 'permanent';
      return { ok: false, kind, error: describe(response.status, undefined, 'response is not a JSON envelope') };
    }
    if (code === 0 && response.ok) return { ok: true, data: { envelope, contentType } };
    const kind = response.status >= 500 || code === undefined ? 'transient' : 'permanent';
    return { ok: false, kind, error: describe(response.status, code, msg), code };
  }

  /** Authorised call: one refresh-and-retry when Feishu calls the token invalid (the SDK never does). */
  async function authorised(call: Call): Promise<RawResult> {
    for (let attempt = 0; ; attempt++) {
      const accessToken = await currentToken();
      if (!accessToken.ok) return { ...accessToken, error: `tenant_access_token: ${accessToken.error}` };
      const result = await request(call, accessToken.data);
      if (result.ok || result.code === undefined || !TOKEN_ERROR_CODES.has(result.code)) return result;
      if (token?.value === accessToken.data) token = undefined;
      if (attempt >= 1) return { ...result, kind: 'transient' };
    }
  }

  async function data<T>(call: Call): Promise<FeishuResult<T>> {
    const result = await authorised(call);
    return result.ok ? { ok: true, data: (result.data.envelope?.data ?? {}) as T } : result;
  }

  const messageBody = (message: FeishuMessageInput) => ({
    msg_type: message.msgType,
    content: message.content,
    ...(message.idempotencyKey ? { uuid: feishuUuid(message.idempotencyKey) } : {}),
  });

  const client: FeishuClient = {
    sendMessage: (receiveIdType, receiveId, message) =>
      data({
        method: 'POST',
        path: '/open-apis/im/v1/messages',
        query: { receive_id_type: receiveIdType },
        body: { receive_id: receiveId, ...messageBody(message) },
      }),
    replyMessage: (messageId, message) =>
      data({
        method: 'POST',
        path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`,
        body: messageBody(message),
      }),
    updateCard: (messageId, cardJson) =>
      data({
        method: 'PATCH',
        path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`,
        body: { content: cardJson },
      }),
    async urgent(kind, messageId, openIds) {
      const result = await data<{ invalid_user_id_list?: string[] }>({
        method: 'PATCH',
        path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/urgent_${kind}`,
        query: { user_id_type: 'open_id' },
        body: { user_id_list: openIds },
      });
      return result.ok ? { ok: true, data: { invalid_user_id_list: result.data.invalid_user_id_list ?? [] } } : result;
    },
    async downloadResource(messageId, fileKey, type) {
      const result = await authorised({
        method: 'GET',
        path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(fileKey)}`,
        query: { type },
        binary: true,
      });
      if (!result.ok) return result;
      if (!result.data.bytes) return { ok: false, kind: 'permanent', error: 'resource response carried no file' };
      return { ok: true, data: { bytes: result.data.bytes, contentType: result.data.contentType } };
    },
    async botInfo() {
      // An older API: the bot sits at the top level of the envelope, not under data.
      const result = await authorised({ method: 'GET', path: '/open-apis/bot/v3/info' });
      if (!result.ok) return result;
      const bot = result.data.envelope?.bot as Partial<FeishuBotInfo> | undefined;
      if (typeof bot?.open_id !== 'string') return { ok: false, kind: 'transient', error: 'bot info without open_id' };
      return { ok: true, data: { open_id: bot.open_id, app_name: bot.app_name } };
    },
    botOpenId() {
      if (botOpenId) return Promise.resolve(botOpenId);
      pendingBotInfo ??= client
        .botInfo()
        .then((result) => {
          if (result.ok) botOpenId = result.data.open_id;
          return botOpenId;
        })
        .finally(() => {
          pendingBotInfo = undefined;
        });
      return pendingBotInfo;
    },
  };
  return client;
}

/** Feishu's `uuid` is at most 50 characters: a base64url SHA-256 of the outbox key (43) always fits. */
export function feishuUuid(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url');
}

async function readEnvelope(response: Response): Promise<Envelope | undefined> {
  try {
    const value: unknown = await response.json();
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

/** x-ogw-ratelimit-reset: seconds until the gateway window resets. */
function resetHeaderMs(headers: Headers): number | undefined {
  const seconds = Number(headers.get('x-ogw-ratelimit-reset'));
  return headers.has('x-ogw-ratelimit-reset') && Number.isFinite(seconds) && seconds >= 0
    ? Math.max(Math.ceil(seconds * 1000), 1)
    : undefined;
}

function describe(status: number, code: number | undefined, msg: string): string {
  return `feishu HTTP ${status}${code === undefined ? '' : ` code ${code}`}: ${msg}`;
}
