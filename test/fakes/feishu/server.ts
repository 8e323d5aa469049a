import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { checkCard } from './card-check.js';
import { createWsFake, type FeishuWsFake } from './ws.js';

/**
 * A local Feishu Open API (feishu.md §3, §5) on 127.0.0.1: the endpoints the adapter calls, the documented
 * envelopes (`{code, msg, data}`, the token endpoint's fields at the top level, bot info under `bot`),
 * business errors as HTTP 400, gateway throttling as HTTP 429 + 99991400 + x-ogw-ratelimit-*, the IM
 * per-chat/per-user/per-message limit as 230020, `uuid` idempotency for an hour, and a WSClient endpoint.
 */

export interface FeishuFakeOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  /** tenant_access_token lifetime, default 7200 s. */
  tokenTtlSeconds?: number;
  limits?: Partial<FeishuFakeLimits>;
  /** Chats the bot is in; when given, sends elsewhere fail with 230002. */
  chats?: string[];
  /** Known users; when given, urgents name the others in invalid_user_id_list. */
  users?: string[];
  now?: () => number;
}

export interface FeishuFakeLimits {
  /** Per app per API. */
  appPerSecond: number;
  appPerMinute: number;
  /** Per chat, shared by all bots. */
  chatPerSecond: number;
  userPerSecond: number;
  /** PATCH per message. */
  messagePerSecond: number;
}

export interface FakeMessage {
  message_id: string;
  chat_id: string;
  receive_id_type: string;
  receive_id: string;
  msg_type: string;
  content: string;
  uuid?: string;
  parent_id?: string;
  create_time: number;
}

export interface FakeUrgent {
  messageId: string;
  kind: 'app' | 'sms' | 'phone';
  userIds: string[];
}

export interface FakeRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  code: number;
}

export interface ForcedFailure {
  status: number;
  code: number;
  msg?: string;
  resetSeconds?: number;
}

export interface FeishuFake {
  baseUrl: string;
  appId: string;
  appSecret: string;
  botOpenId: string;
  close(): Promise<void>;
  /** Messages the bot created (send or reply), without uuid duplicates. */
  sent: FakeMessage[];
  messagesIn(chatId: string): FakeMessage[];
  patches: { messageId: string; content: string }[];
  /** Cards redrawn by card-callback answers (see redrawCard). */
  redraws: { messageId: string; content: string }[];
  urgents: FakeUrgent[];
  requests: FakeRequest[];
  tokensIssued(): number;
  /** Every token issued so far answers 99991663 from now on. */
  revokeTokens(): void;
  /** The next message create/reply calls fail like this, in order. */
  failNextSends(...failures: ForcedFailure[]): void;
  /** A user's message the bot may reply to and download resources from. */
  addInboundMessage(messageId: string, chatId: string): void;
  addResource(messageId: string, fileKey: string, bytes: Uint8Array, contentType: string): void;
  recall(messageId: string): void;
  /** The message as it stands now: its content follows PATCHes and callback redraws. */
  message(messageId: string): FakeMessage | undefined;
  /**
   * What Feishu does with the `card` of a callback answer: the card is redrawn in place, for everyone in the
   * chat (JSON 2.0 cards are always shared). Throws the error the user would see when Feishu refuses it.
   */
  redrawCard(messageId: string, card: unknown): void;
  ws: FeishuWsFake;
}

const DEFAULT_LIMITS: FeishuFakeLimits = {
  appPerSecond: 50,
  appPerMinute: 1000,
  chatPerSecond: 5,
  userPerSecond: 5,
  messagePerSecond: 5,
};
const UUID_TTL_MS = 60 * 60_000;
const TOKEN_REUSE_MS = 30 * 60_000;
const CARD_MAX_BYTES = 30 * 1024;
const TEXT_MAX_BYTES = 150 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }
}

export async function startFeishuFake(options: FeishuFakeOptions = {}): Promise<FeishuFake> {
  const appId = options.appId ?? 'cli_a1b2c3d4e5f60718';
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const botOpenId = options.botOpenId ?? 'ou_fakebot000000000000000000000001';
  const tenantKey = options.tenantKey ?? 'fake_tenant';
  const ttlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const chats = options.chats ? new Set(options.chats) : undefined;
  const users = options.users ? new Set(options.users) : undefined;

  const tokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  let latestToken: string | undefined;
  let issued = 0;
  const messages = new Map<string, FakeMessage & { botSent: boolean; recalled: boolean }>();
  const byUuid = new Map<string, { messageId: string; at: number }>();
  const windows = new Map<string, number[]>();
  const forced: ForcedFailure[] = [];
  const resources = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const fake = {
    sent: [] as FakeMessage[],
    patches: [] as { messageId: string; content: string }[],
    redraws: [] as { messageId: string; content: string }[],
    urgents: [] as FakeUrgent[],
    requests: [] as FakeRequest[],
  };

  /** Sliding-window counter: admits when fewer than `limit` requests fell in the last `windowMs`. */
  function admit(key: string, limit: number, windowMs: number): boolean {
    const at = now();
    const recent = (windows.get(key) ?? []).filter((t) => t > at - windowMs);
    if (recent.length >= limit) {
      windows.set(key, recent);
      return false;
    }
    recent.push(at);
    windows.set(key, recent);
    return true;
  }

  function gatewayLimit(api: string) {
    if (!admit(`app:${api}:s`, limits.appPerSecond, 1000)) throw throttled(1, limits.appPerSecond);
    if (!admit(`app:${api}:m`, limits.appPerMinute, 60_000)) throw throttled(60, limits.appPerMinute);
  }

  function imLimit(key: string, limit: number) {
    if (!admit(key, limit, 1000)) {
      throw new HttpError(400, 230020, 'This operation triggers the frequency limit.');
    }
  }

  function authorise(c: Context) {
    const header = c.req.header('authorization');
    if (!header) throw new HttpError(400, 99991661, 'Missing access token for authorization.');
    const token = tokens.get(header.replace(/^Bearer /, ''));
    if (!token || token.revoked || token.expiresAt <= now()) {
      throw new HttpError(
        400,
        99991663,
        'Invalid access token for authorization. Please make a request with token attached.',
      );
    }
  }

  const app = new Hono();
  const ws = createWsFake({ appId, appSecret });
  ws.routes(app);

  app.use('*', async (c, next) => {
    await next();
    let code = 0;
    try {
      const body = (await c.res.clone().json()) as { code?: number };
      code = body.code ?? 0;
    } catch {
      code = 0;
    }
    fake.requests.push({ at: now(), method: c.req.method, path: c.req.path, status: c.res.status, code });
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json({ code: error.code, msg: error.message, error: { log_id: randomId() } }, error.status as 400);
    }
    return c.json({ code: 1, msg: `fake internal error: ${error.message}` }, 500);
  });

  app.post('/open-apis/auth/v3/tenant_access_token/internal', async (c) => {
    const body = await jsonBody(c);
    if (body.app_id !== appId || body.app_secret !== appSecret) throw new HttpError(400, 10014, 'app secret invalid');
    const current = latestToken ? tokens.get(latestToken) : undefined;
    // Feishu returns the same token while ≥ 30 min remain, a fresh one (old one still valid) after that.
    if (latestToken && current && !current.revoked && current.expiresAt - now() >= TOKEN_REUSE_MS) {
      return c.json({
        code: 0,
        msg: 'ok',
        tenant_access_token: latestToken,
        expire: Math.floor((current.expiresAt - now()) / 1000),
      });
    }
    latestToken = `t-${randomId()}`;
    tokens.set(latestToken, { expiresAt: now() + ttlMs, revoked: false });
    issued++;
    return c.json({ code: 0, msg: 'ok', tenant_access_token: latestToken, expire: Math.floor(ttlMs / 1000) });
  });

  app.get('/open-apis/bot/v3/info', (c) => {
    authorise(c);
    return c.json({
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: options.botName ?? '校安',
        avatar_url: '',
        ip_white_list: [],
        open_id: botOpenId,
      },
    });
  });

  app.post('/open-apis/im/v1/messages', async (c) => {
    authorise(c);
    const receiveIdType = c.req.query('receive_id_type');
    if (receiveIdType !== 'chat_id' && receiveIdType !== 'open_id') {
      throw new HttpError(400, 99992402, 'field validation failed: receive_id_type');
    }
    const body = await jsonBody(c);
    const receiveId = requireString(body.receive_id, 'receive_id');
    const chatId = receiveIdType === 'chat_id' ? receiveId : `oc_p2p_${receiveId}`;
    return c.json(ok(create(body, { receiveIdType, receiveId, chatId, api: 'create' })));
  });

  app.post('/open-apis/im/v1/messages/:message_id/reply', async (c) => {
    authorise(c);
    const parent = known(c.req.param('message_id'));
    const body = await jsonBody(c);
    return c.json(
      ok(
        create(body, {
          receiveIdType: 'chat_id',
          receiveId: parent.chat_id,
          chatId: parent.chat_id,
          api: 'reply',
          parent,
        }),
      ),
    );
  });

  app.patch('/open-apis/im/v1/messages/:message_id', async (c) => {
    authorise(c);
    gatewayLimit('patch');
    const message = known(c.req.param('message_id'));
    imLimit(`message:${message.message_id}`, limits.messagePerSecond);
    const body = await jsonBody(c);
    const content = requireString(body.content, 'content');
    if (!message.botSent || message.msg_type !== 'interactive')
      throw new HttpError(400, 230001, 'ext=not a card sent by this bot');
    type CardShape = { config?: { update_multi?: boolean }; schema?: string } | undefined;
    const before = parseJson(message.content) as CardShape;
    const after = parseJson(content) as CardShape;
    const shared = (card: CardShape) => card?.schema === '2.0' || card?.config?.update_multi === true;
    if (!shared(before) || !shared(after)) throw new HttpError(400, 230001, 'ext=card is not shared (update_multi)');
    cardProblem(content);
    message.content = content;
    fake.patches.push({ messageId: message.message_id, content });
    return c.json(ok({}));
  });

  app.patch('/open-apis/im/v1/messages/:message_id/:urgent{urgent_(?:app|sms|phone)}', async (c) => {
    authorise(c);
    gatewayLimit(c.req.param('urgent'));
    if (!c.req.query('user_id_type')) throw new HttpError(400, 99992402, 'field validation failed: user_id_type');
    const message = known(c.req.param('message_id'));
    if (!message.botSent) throw new HttpError(400, 230001, 'ext=only messages sent by the bot can be urgent');
    const body = await jsonBody(c);
    const userIds = Array.isArray(body.user_id_list) ? body.user_id_list.map(String) : [];
    if (userIds.length === 0) throw new HttpError(400, 99992402, 'field validation failed: user_id_list');
    const invalid = users ? userIds.filter((id) => !users.has(id)) : [];
    const kind = c.req.param('urgent').replace('urgent_', '') as FakeUrgent['kind'];
    fake.urgents.push({ messageId: message.message_id, kind, userIds: userIds.filter((id) => !invalid.includes(id)) });
    return c.json(ok({ invalid_user_id_list: invalid }));
  });

  app.get('/open-apis/im/v1/messages/:message_id/resources/:file_key', (c) => {
    authorise(c);
    gatewayLimit('resource');
    const type = c.req.query('type');
    if (type !== 'image' && type !== 'file') throw new HttpError(400, 99992402, 'field validation failed: type');
    const resource = resources.get(`${c.req.param('message_id')}/${c.req.param('file_key')}`);
    if (!resource) throw new HttpError(400, 234003, 'File not in msg.');
    return c.body(new Uint8Array(resource.bytes), 200, { 'content-type': resource.contentType });
  });

  function create(
    body: Record<string, unknown>,
    where: { receiveIdType: string; receiveId: string; chatId: string; api: string; parent?: FakeMessage },
  ) {
    const failure = forced.shift();
    if (failure) {
      const headers: Record<string, string> = failure.resetSeconds
        ? {
            'x-ogw-ratelimit-limit': String(limits.appPerSecond),
            'x-ogw-ratelimit-reset': String(failure.resetSeconds),
          }
        : {};
      throw new HttpError(failure.status, failure.code, failure.msg ?? 'forced failure', headers);
    }
    const msgType = requireString(body.msg_type, 'msg_type');
    const content = requireString(body.content, 'content');
    const uuid = body.uuid === undefined ? undefined : requireString(body.uuid, 'uuid');
    if (uuid && uuid.length > 50) throw new HttpError(400, 99992402, 'field validation failed: uuid longer than 50');
    if (uuid) {
      const previous = byUuid.get(uuid);
      const original = previous && now() - previous.at < UUID_TTL_MS ? messages.get(previous.messageId) : undefined;
      if (original) return view(original);
    }
    gatewayLimit(where.api);
    if (chats && where.receiveIdType === 'chat_id' && !chats.has(where.receiveId)) {
      throw new HttpError(400, 230002, 'Bot/User can NOT be out of the chat.');
    }
    if (where.receiveIdType === 'chat_id') imLimit(`chat:${where.chatId}`, limits.chatPerSecond);
    else imLimit(`user:${where.receiveId}`, limits.userPerSecond);
    if (parseJson(content) === undefined) throw new HttpError(400, 230001, 'ext=content is not valid JSON');
    const bytes = Buffer.byteLength(JSON.stringify(body));
    if (bytes > (msgType === 'text' ? TEXT_MAX_BYTES : CARD_MAX_BYTES)) {
      throw new HttpError(400, 230025, 'The length of the message content reaches its limit.');
    }
    if (msgType === 'interactive') cardProblem(content);
    const message = {
      message_id: `om_${randomId()}`,
      chat_id: where.chatId,
      receive_id_type: where.receiveIdType,
      receive_id: where.receiveId,
      msg_type: msgType,
      content,
      ...(uuid ? { uuid } : {}),
      ...(where.parent ? { parent_id: where.parent.message_id } : {}),
      create_time: now(),
      botSent: true,
      recalled: false,
    };
    messages.set(message.message_id, message);
    if (uuid) byUuid.set(uuid, { messageId: message.message_id, at: now() });
    fake.sent.push(publicMessage(message));
    return view(message);
  }

  function cardProblem(content: string) {
    const problem = checkCard(parseJson(content));
    if (problem) throw new HttpError(400, 230099, `Failed to create card content, ext=${problem}`);
  }

  function view(message: FakeMessage) {
    return {
      message_id: message.message_id,
      ...(message.parent_id ? { root_id: message.parent_id, parent_id: message.parent_id } : {}),
      msg_type: message.msg_type,
      create_time: String(message.create_time),
      update_time: String(message.create_time),
      deleted: false,
      updated: false,
      chat_id: message.chat_id,
      sender: { id: appId, id_type: 'app_id', sender_type: 'app', tenant_key: tenantKey },
      body: { content: message.content },
    };
  }

  function known(messageId: string) {
    const message = messages.get(messageId);
    if (!message) throw new HttpError(400, 230001, 'ext=invalid message_id');
    if (message.recalled) throw new HttpError(400, 230011, 'The message was withdrawn.');
    return message;
  }

  function throttled(resetSeconds: number, limit: number) {
    return new HttpError(429, 99991400, 'request trigger frequency limit', {
      'x-ogw-ratelimit-limit': String(limit),
      'x-ogw-ratelimit-reset': String(resetSeconds),
    });
  }

  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started as Server));
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  ws.attach(server, port);

  return {
    baseUrl,
    appId,
    appSecret,
    botOpenId,
    ...fake,
    messagesIn: (chatId) => fake.sent.filter((message) => message.chat_id === chatId),
    tokensIssued: () => issued,
    revokeTokens() {
      for (const token of tokens.values()) token.revoked = true;
    },
    failNextSends: (...failures) => {
      forced.push(...failures);
    },
    addInboundMessage(messageId, chatId) {
      messages.set(messageId, {
        message_id: messageId,
        chat_id: chatId,
        receive_id_type: 'chat_id',
        receive_id: chatId,
        msg_type: 'text',
        content: '{"text":""}',
        create_time: now(),
        botSent: false,
        recalled: false,
      });
    },
    addResource(messageId, fileKey, bytes, contentType) {
      resources.set(`${messageId}/${fileKey}`, { bytes, contentType });
    },
    recall(messageId) {
      const message = messages.get(messageId);
      if (message) message.recalled = true;
    },
    message(messageId) {
      const message = messages.get(messageId);
      return message ? publicMessage(message) : undefined;
    },
    redrawCard(messageId, card) {
      const message = known(messageId);
      if (!message.botSent || message.msg_type !== 'interactive') throw new Error(`${messageId} is not a bot card`);
      const problem = checkCard(card);
      if (problem) throw new Error(`Feishu refuses the redrawn card (200672): ${problem}`);
      message.content = JSON.stringify(card);
      fake.redraws.push({ messageId, content: message.content });
    },
    ws: ws.fake,
    async close() {
      if (!server.listening) return;
      await ws.fake.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function publicMessage(message: FakeMessage & { botSent: boolean; recalled: boolean }): FakeMessage {
  const { botSent: _botSent, recalled: _recalled, ...rest } = message;
  return rest;
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const value = parseJson(await c.req.text());
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 99992402, 'field validation failed: body is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new HttpError(400, 99992402, `field validation failed: ${field}`);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ok = (data: unknown) => ({ code: 0, msg: 'success', data });
const randomId = () => randomBytes(12).toString('hex');
