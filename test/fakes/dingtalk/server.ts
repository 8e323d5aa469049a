/**
 * A local DingTalk: the OpenAPI endpoints xiaoan calls (token, robot group / 1:1 sends, sessionWebhook,
 * DING, file download, card platform) and the Stream gateway (connections/open + a WebSocket speaking the
 * Stream frames), with the documented envelopes and limits (dingtalk.md §4–§9, §11). A real HTTP server
 * on 127.0.0.1; the production client runs against it unchanged through the base-URL settings.
 *
 * Where DingTalk's exact answer is undocumented the fake picks one and says so (look for "assumed").
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';
import { type RobotMessageInput, robotMessage } from './messages.js';
import { signCardCallback, signRobotCallback } from './sign.js';

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';

export interface DingtalkFakeOptions {
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** Per app per API (dingtalk.md §9): 40 calls/s → 90018-style refusal, 1500/min → 90006-style. */
  qpsPerApi?: number;
  qpmPerApi?: number;
  /** Un-acked Stream CALLBACK frames are pushed again after this long (DingTalk: 16–60 s). */
  redeliverAfterMs?: number;
  maxRedeliveries?: number;
  /** How long the server keeps a socket after SYSTEM disconnect before closing it (DingTalk: ~10 s). */
  disconnectGraceMs?: number;
  /** When set, only these groups contain the robot. */
  groups?: string[];
  /** Whether the organisation's edition includes DING. */
  dingEnabled?: boolean;
  /**
   * DingTalk's wall clock (ms): token and sessionWebhook expiry, callback timestamps and signatures. Tests
   * that move the service's clock pass the same one here. Rate windows and Stream timings stay on real time.
   */
  now?: () => number;
}

export interface SentMessage {
  api: 'session' | 'groupMessages' | 'oToMessages' | 'ding' | 'card';
  conversationId?: string;
  userIds?: string[];
  msgKey?: string;
  msgParam?: Record<string, unknown>;
  body: Record<string, unknown>;
}

export interface StreamAck {
  messageId: string;
  code: number;
  data: unknown;
  connection: number;
}

interface Unacked {
  frame: string;
  deliveries: number;
  timer: ReturnType<typeof setTimeout> | null;
  loseAcks: number;
  resolve: (ack: StreamAck) => void;
}

interface CardInstance {
  templateId: string;
  openSpaceId: string;
  callbackType?: string;
  callbackRouteKey?: string;
  cardParamMap: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
  updates: Record<string, unknown>[];
}

interface StreamConnection {
  id: number;
  ws: WebSocket;
  subscriptions: { type: string; topic: string }[];
}

const errorBody = (code: string, message: string) => ({ code, message, requestid: randomUUID() });

export async function startDingtalkFake(options: DingtalkFakeOptions = {}) {
  const clientId = options.clientId ?? 'dingappkey';
  const clientSecret = options.clientSecret ?? 'app-secret';
  const tokenTtl = options.tokenTtlSeconds ?? 7200;
  const qps = options.qpsPerApi ?? 40;
  const qpm = options.qpmPerApi ?? 1500;
  const redeliverAfterMs = options.redeliverAfterMs ?? 60_000;
  const maxRedeliveries = options.maxRedeliveries ?? 3;
  const disconnectGraceMs = options.disconnectGraceMs ?? 10_000;
  const clock = options.now ?? (() => Date.now());

  const tokens = new Map<string, number>();
  const calls = new Map<string, number[]>();
  const injected = new Map<string, { status: number; body: unknown }[]>();
  const flowControlled = new Set<string>();
  const sessions = new Map<string, { expiresAt: number; conversationId: string }>();
  const files = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const cards = new Map<string, CardInstance>();
  const callbackRoutes = new Map<string, { callbackUrl: string; apiSecret?: string }>();
  const tickets = new Map<
    string,
    { issuedAt: number; used: boolean; subscriptions: StreamConnection['subscriptions'] }
  >();
  const connections: StreamConnection[] = [];
  /** Every socket still open, including ones told to disconnect (their grace period). */
  const sockets = new Set<WebSocket>();
  const unacked = new Map<string, Unacked>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const state = {
    sent: [] as SentMessage[],
    acks: [] as StreamAck[],
    pingEchoes: [] as { messageId: string; data: unknown }[],
    tokenRequests: 0,
    gatewayOpens: 0,
    wsConnections: 0,
    /** Gateway requests to refuse with HTTP 500 before answering normally again. */
    refuseGateway: 0,
    /** WebSocket connections to close right after they open. */
    closeOnConnect: 0,
    requests: [] as { method: string; path: string; body: unknown }[],
  };

  const app = new Hono();
  let baseUrl = '';

  async function jsonBody(c: Context): Promise<Record<string, unknown>> {
    try {
      const body = await c.req.json();
      return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  /** Token check + per-API limits + injected failures, as the gateway applies them before the API runs. */
  function guard(c: Context, api: string): Response | null {
    const injectedQueue = injected.get(api);
    const failure = injectedQueue?.shift();
    if (failure) return c.json(failure.body as object, failure.status as 400);
    const token = c.req.header('x-acs-dingtalk-access-token');
    const expiresAt = token ? tokens.get(token) : undefined;
    if (!token || expiresAt === undefined || expiresAt < clock()) {
      return c.json(errorBody('InvalidAuthentication', '不合法的access_token'), 401);
    }
    const at = Date.now();
    const history = (calls.get(api) ?? []).filter((t) => t > at - 60_000);
    calls.set(api, history);
    if (history.filter((t) => t > at - 1000).length >= qps) {
      // assumed: HTTP 403 with the code third-party clients match (dingtalk.md §9: QpsLimitForAppkeyAndApi).
      return c.json(errorBody('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '应用调用该接口的QPS超出限制'), 403);
    }
    if (history.length >= qpm) {
      // assumed: the per-minute refusal mirrors the per-second one (legacy code 90006).
      return c.json(
        errorBody('Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', '应用调用该接口的每分钟次数超出限制'),
        403,
      );
    }
    history.push(at);
    return null;
  }

  app.post('/v1.0/oauth2/accessToken', async (c) => {
    state.tokenRequests += 1;
    const body = await jsonBody(c);
    if (body.appKey !== clientId || body.appSecret !== clientSecret) {
      return c.json(errorBody('invalidClientIdOrSecret', '无效的clientId或者clientSecret'), 400);
    }
    const accessToken = `tok-${randomUUID()}`;
    tokens.set(accessToken, clock() + tokenTtl * 1000);
    return c.json({ accessToken, expireIn: tokenTtl });
  });

  app.get('/gettoken', (c) => {
    if (c.req.query('appkey') !== clientId || c.req.query('appsecret') !== clientSecret) {
      return c.json({ errcode: 40089, errmsg: '不合法的corpid或corpsecret' });
    }
    state.tokenRequests += 1;
    const token = `tok-${randomUUID()}`;
    tokens.set(token, clock() + tokenTtl * 1000);
    return c.json({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: tokenTtl });
  });

  app.post('/robot/sendBySession', async (c) => {
    const body = await jsonBody(c);
    state.requests.push({ method: 'POST', path: '/robot/sendBySession', body });
    // Legacy endpoints answer failures with HTTP 200 and an errcode (a throttle is errcode 90018).
    const failure = injected.get('sendBySession')?.shift();
    if (failure) return c.json(failure.body as object, failure.status as 200);
    const session = sessions.get(c.req.query('session') ?? '');
    // assumed: the legacy envelope; DingTalk does not document the expired-session errcode.
    if (!session) return c.json({ errcode: 300001, errmsg: 'session不存在' });
    if (session.expiresAt < clock()) return c.json({ errcode: 300001, errmsg: 'session已过期' });
    if (!['text', 'markdown', 'actionCard'].includes(String(body.msgtype))) {
      return c.json({ errcode: 40035, errmsg: '不合法的参数' });
    }
    state.sent.push({ api: 'session', conversationId: session.conversationId, body });
    return c.json({ errcode: 0, errmsg: 'ok' });
  });

  function checkMsgParam(c: Context, body: Record<string, unknown>): Response | Record<string, unknown> {
    if (typeof body.msgKey !== 'string' || typeof body.msgParam !== 'string') {
      return c.json(errorBody('invalidParameter.msgKey.invalid', 'msgKey或msgParam不合法'), 400);
    }
    if (Buffer.byteLength(body.msgParam) > 15_000) {
      return c.json(errorBody('invalidParameter.msgParam.length', 'msgParam长度超过限制'), 400);
    }
    try {
      return JSON.parse(body.msgParam) as Record<string, unknown>;
    } catch {
      return c.json(errorBody('invalidParameter.msgParam.invalid', 'msgParam不是合法的JSON'), 400);
    }
  }

  app.post('/v1.0/robot/groupMessages/send', async (c) => {
    const refused = guard(c, 'groupMessages/send');
    if (refused) return refused;
    const body = await jsonBody(c);
    state.requests.push({ method: 'POST', path: '/v1.0/robot/groupMessages/send', body });
    if (body.robotCode !== clientId)
      return c.json(errorBody('invalidParameter.robotCode.notExsit', '机器人不存在'), 400);
    const conversationId = String(body.openConversationId ?? '');
    if (options.groups ? !options.groups.includes(conversationId) : !conversationId.startsWith('cid')) {
      return c.json(errorBody('invalidParameter.robotCode.notExsit', '机器人不存在,请检查机器人是否在群内'), 400);
    }
    const param = checkMsgParam(c, body);
    if (param instanceof Response) return param;
    state.sent.push({ api: 'groupMessages', conversationId, msgKey: String(body.msgKey), msgParam: param, body });
    return c.json({ processQueryKey: `pqk-${randomUUID()}` });
  });

  app.post('/v1.0/robot/oToMessages/batchSend', async (c) => {
    const refused = guard(c, 'oToMessages/batchSend');
    if (refused) return refused;
    const body = await jsonBody(c);
    state.requests.push({ method: 'POST', path: '/v1.0/robot/oToMessages/batchSend', body });
    const userIds = Array.isArray(body.userIds) ? body.userIds.map(String) : [];
    if (userIds.length === 0 || userIds.length > 20) {
      return c.json(errorBody('invalidParameter.userIds.invalid', 'userIds数量需在1到20之间'), 400);
    }
    const param = checkMsgParam(c, body);
    if (param instanceof Response) return param;
    const invalid = userIds.filter((id) => id.startsWith('$:'));
    // A receiver sent too much lately: DingTalk leaves them out and names them (assumed: not delivered).
    const throttled = userIds.filter((id) => flowControlled.delete(id));
    const receivers = userIds.filter((id) => !invalid.includes(id) && !throttled.includes(id));
    if (receivers.length > 0) {
      state.sent.push({ api: 'oToMessages', userIds: receivers, msgKey: String(body.msgKey), msgParam: param, body });
    }
    return c.json({
      processQueryKey: `pqk-${randomUUID()}`,
      invalidStaffIdList: invalid,
      flowControlledStaffIdList: throttled,
    });
  });

  app.post('/v1.0/robot/ding/send', async (c) => {
    const refused = guard(c, 'ding/send');
    if (refused) return refused;
    const body = await jsonBody(c);
    if (options.dingEnabled === false) {
      return c.json(
        errorBody('Forbidden.AccessDenied.AccessTokenPermissionDenied', '没有调用该接口的权限 Premium.Ding.Write'),
        403,
      );
    }
    const receivers = Array.isArray(body.receiverUserIdList) ? body.receiverUserIdList.map(String) : [];
    if (receivers.length === 0) return c.json(errorBody('miss.staffId', '接收人不能为空'), 400);
    if (receivers.length > (body.remindType === 1 ? 200 : 20)) {
      return c.json(errorBody('ding.receivercount.limit', '接收人数量超过限制'), 400);
    }
    if (body.remindType !== 1) return c.json(errorBody('ding.serverquota.insufficient', '短信或电话DING额度不足'), 400);
    state.sent.push({ api: 'ding', userIds: receivers, body });
    return c.json({ openDingId: `ding-${randomUUID()}`, failedList: {} });
  });

  app.post('/v1.0/robot/messageFiles/download', async (c) => {
    const refused = guard(c, 'messageFiles/download');
    if (refused) return refused;
    const body = await jsonBody(c);
    const code = String(body.downloadCode ?? '');
    if (!files.has(code)) return c.json(errorBody('invalidParameter.downloadCode.invalid', 'downloadCode无效'), 400);
    return c.json({ downloadUrl: `${baseUrl}/files/${encodeURIComponent(code)}?expires=${Date.now() + 3_600_000}` });
  });

  app.get('/files/:code', (c) => {
    const file = files.get(decodeURIComponent(c.req.param('code')));
    if (!file) return c.text('not found', 404);
    return c.body(file.bytes.slice().buffer as ArrayBuffer, 200, { 'content-type': file.contentType });
  });

  app.post('/v1.0/card/instances/createAndDeliver', async (c) => {
    const refused = guard(c, 'card/createAndDeliver');
    if (refused) return refused;
    const body = await jsonBody(c);
    state.requests.push({ method: 'POST', path: '/v1.0/card/instances/createAndDeliver', body });
    const outTrackId = String(body.outTrackId ?? '');
    if (!outTrackId) return c.json(errorBody('param.outTrackIdEmpty', 'outTrackId不能为空'), 400);
    if (!body.cardTemplateId) return c.json(errorBody('param.templateNotExist', '模板不存在'), 400);
    if (cards.has(outTrackId)) return c.json(errorBody('param.cardAlreadyExist', '卡片已存在'), 400);
    const space = /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT|IM_SINGLE|ONE_BOX)\.(.+)$/i.exec(String(body.openSpaceId ?? ''));
    if (!space) return c.json(errorBody('param.openSpaceIdInvalid', 'openSpaceId不合法'), 400);
    const cardParamMap = ((body.cardData as { cardParamMap?: Record<string, unknown> } | undefined)?.cardParamMap ??
      {}) as Record<string, unknown>;
    if (Object.values(cardParamMap).some((value) => typeof value !== 'string')) {
      // assumed code: DingTalk documents only that the values must be strings.
      return c.json(errorBody('param.cardParamMapInvalid', 'cardParamMap的值必须是字符串'), 400);
    }
    cards.set(outTrackId, {
      templateId: String(body.cardTemplateId),
      openSpaceId: String(body.openSpaceId),
      ...(body.callbackType ? { callbackType: String(body.callbackType) } : {}),
      ...(body.callbackRouteKey ? { callbackRouteKey: String(body.callbackRouteKey) } : {}),
      cardParamMap: cardParamMap as Record<string, string>,
      privateData: {},
      updates: [],
    });
    state.sent.push({ api: 'card', conversationId: space[2]!, body });
    return c.json({
      success: true,
      result: {
        outTrackId,
        deliverResults: [
          { spaceType: space[1]!.toUpperCase(), spaceId: space[2]!, success: true, carrierId: `pqk-${randomUUID()}` },
        ],
      },
    });
  });

  function applyCardUpdate(card: CardInstance, update: Record<string, unknown>, clickingUser?: string): void {
    const options = (update.cardUpdateOptions ?? {}) as {
      updateCardDataByKey?: boolean;
      updatePrivateDataByKey?: boolean;
    };
    const data = (update.cardData as { cardParamMap?: Record<string, string> } | undefined)?.cardParamMap;
    if (data) card.cardParamMap = options.updateCardDataByKey ? { ...card.cardParamMap, ...data } : { ...data };
    const privateMaps: Record<string, Record<string, string>> = {};
    const userPrivate = (update.userPrivateData as { cardParamMap?: Record<string, string> } | undefined)?.cardParamMap;
    if (userPrivate && clickingUser) privateMaps[clickingUser] = userPrivate;
    for (const [user, value] of Object.entries(
      (update.privateData ?? {}) as Record<string, { cardParamMap?: Record<string, string> }>,
    )) {
      if (value.cardParamMap) privateMaps[user] = value.cardParamMap;
    }
    for (const [user, map] of Object.entries(privateMaps)) {
      card.privateData[user] = options.updatePrivateDataByKey ? { ...card.privateData[user], ...map } : { ...map };
    }
    card.updates.push(update);
  }

  app.put('/v1.0/card/instances', async (c) => {
    const refused = guard(c, 'card/update');
    if (refused) return refused;
    const body = await jsonBody(c);
    const card = cards.get(String(body.outTrackId ?? ''));
    if (!card) return c.json(errorBody('param.cardNotExist', '卡片不存在'), 400);
    applyCardUpdate(card, body);
    return c.json({ success: true, result: true });
  });

  app.post('/v1.0/card/callbacks/register', async (c) => {
    const refused = guard(c, 'card/callbacks/register');
    if (refused) return refused;
    const body = await jsonBody(c);
    const routeKey = String(body.callbackRouteKey ?? '');
    if (!routeKey || !body.callbackUrl)
      return c.json(errorBody('invalidParameter', 'callbackRouteKey或callbackUrl为空'), 400);
    callbackRoutes.set(routeKey, {
      callbackUrl: String(body.callbackUrl),
      ...(body.apiSecret ? { apiSecret: String(body.apiSecret) } : {}),
    });
    return c.json({ success: true, result: { callbackUrl: body.callbackUrl, apiSecret: body.apiSecret ?? '' } });
  });

  app.post('/v1.0/gateway/connections/open', async (c) => {
    state.gatewayOpens += 1;
    if (!c.req.header('accept')?.includes('application/json')) {
      return c.body('<?xml version="1.0"?><Error>missing Accept</Error>', 200, { 'content-type': 'application/xml' });
    }
    if (state.refuseGateway > 0) {
      state.refuseGateway -= 1;
      return c.json(errorBody('ServiceUnavailable', '服务暂不可用'), 500);
    }
    const body = await jsonBody(c);
    if (body.clientId !== clientId || body.clientSecret !== clientSecret) {
      return c.json(errorBody('InvalidAuthentication', 'clientId或clientSecret错误'), 401);
    }
    const ticket = randomUUID();
    const subscriptions = Array.isArray(body.subscriptions)
      ? (body.subscriptions as StreamConnection['subscriptions'])
      : [];
    tickets.set(ticket, { issuedAt: Date.now(), used: false, subscriptions });
    return c.json({ endpoint: `${baseUrl.replace(/^http/, 'ws')}/connect`, ticket });
  });

  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else server.once('listening', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const ticket = tickets.get(url.searchParams.get('ticket') ?? '');
    // A ticket is single use and valid for 90 s.
    if (url.pathname !== '/connect' || !ticket || ticket.used || Date.now() - ticket.issuedAt > 90_000) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    ticket.used = true;
    wss.handleUpgrade(request, socket, head, (ws) => {
      state.wsConnections += 1;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      const connection: StreamConnection = { id: state.wsConnections, ws, subscriptions: ticket.subscriptions };
      if (state.closeOnConnect > 0) {
        state.closeOnConnect -= 1;
        ws.close(1011, 'fake: dropped');
        return;
      }
      connections.push(connection);
      ws.on('message', (raw) => onClientFrame(connection, raw.toString()));
      ws.on('close', () => {
        const index = connections.indexOf(connection);
        if (index >= 0) connections.splice(index, 1);
      });
    });
  });

  function onClientFrame(connection: StreamConnection, raw: string): void {
    let frame: { code?: number; headers?: { messageId?: string; topic?: string }; data?: string };
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    const messageId = frame.headers?.messageId;
    if (!messageId) return;
    let data: unknown = frame.data;
    try {
      data = typeof frame.data === 'string' ? JSON.parse(frame.data) : frame.data;
    } catch {
      data = frame.data;
    }
    if (frame.headers?.topic === 'ping') {
      state.pingEchoes.push({ messageId, data });
      return;
    }
    const ack: StreamAck = { messageId, code: frame.code ?? 0, data, connection: connection.id };
    state.acks.push(ack);
    const pending = unacked.get(messageId);
    if (!pending) return;
    if (pending.loseAcks > 0) {
      pending.loseAcks -= 1;
      return;
    }
    if (pending.timer) clearTimeout(pending.timer);
    unacked.delete(messageId);
    pending.resolve(ack);
  }

  function createSession(conversationId: string, expiresAt: number): { url: string; expiresAt: number } {
    const key = randomUUID().replaceAll('-', '');
    sessions.set(key, { expiresAt, conversationId });
    return { url: `${baseUrl}/robot/sendBySession?session=${key}`, expiresAt };
  }

  function later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  }

  function openConnections(topic?: string): StreamConnection[] {
    return connections.filter(
      (connection) =>
        connection.ws.readyState === connection.ws.OPEN &&
        (!topic || connection.subscriptions.some((s) => s.type === 'CALLBACK' && s.topic === topic)),
    );
  }

  /** Pushes a CALLBACK frame to one subscribed connection; re-pushes it until acked (or given up). */
  function pushCallback(
    topic: string,
    data: unknown,
    opts: { loseAcks?: number } = {},
  ): { messageId: string; acked: Promise<StreamAck> } {
    const messageId = `${randomUUID().slice(0, 8)}_${Date.now().toString(16)}`;
    let resolve!: (ack: StreamAck) => void;
    const acked = new Promise<StreamAck>((r) => {
      resolve = r;
    });
    const frame = JSON.stringify({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: {
        appId: clientId,
        connectionId: randomUUID(),
        contentType: 'application/json',
        messageId,
        time: String(Date.now()),
        topic,
      },
      data: JSON.stringify(data),
    });
    const pending: Unacked = { frame, deliveries: 0, timer: null, loseAcks: opts.loseAcks ?? 0, resolve };
    unacked.set(messageId, pending);
    const deliver = () => {
      const targets = openConnections(topic);
      const target = targets[Math.floor(Math.random() * targets.length)];
      if (target) {
        pending.deliveries += 1;
        target.ws.send(frame);
      }
      if (pending.deliveries <= maxRedeliveries) {
        pending.timer = later(() => {
          if (unacked.has(messageId)) deliver();
        }, redeliverAfterMs);
      }
    };
    deliver();
    return { messageId, acked };
  }

  function systemFrame(topic: string, data: unknown): { messageId: string; frame: string } {
    const messageId = randomUUID();
    return {
      messageId,
      frame: JSON.stringify({
        specVersion: '1.0',
        type: 'SYSTEM',
        headers: { contentType: 'application/json', messageId, time: String(Date.now()), topic },
        data: JSON.stringify(data),
      }),
    };
  }

  const fake = {
    baseUrl,
    clientId,
    clientSecret,
    /** Everything delivered to chats, in order (sessionWebhook, group, 1:1, DING, cards). */
    sent: state.sent,
    /** Acks received on Stream CALLBACK frames. */
    acks: state.acks,
    pingEchoes: state.pingEchoes,
    /** Raw bodies of send requests (including refused ones). */
    requests: state.requests,
    get tokenRequests() {
      return state.tokenRequests;
    },
    get gatewayOpens() {
      return state.gatewayOpens;
    },
    get wsConnections() {
      return state.wsConnections;
    },
    /** The next `count` gateway requests answer HTTP 500. */
    refuseGateway(count: number): void {
      state.refuseGateway = count;
    },
    /** The next `count` WebSocket connections are closed right after they open. */
    closeOnConnect(count: number): void {
      state.closeOnConnect = count;
    },
    /** Env for dingtalkConfigFrom pointing every base URL at this fake. */
    env(extra: Record<string, string> = {}): Record<string, string> {
      return {
        DINGTALK_CLIENT_ID: clientId,
        DINGTALK_CLIENT_SECRET: clientSecret,
        DINGTALK_API_BASE_URL: baseUrl,
        DINGTALK_OAPI_BASE_URL: baseUrl,
        DINGTALK_STREAM_GATEWAY_URL: `${baseUrl}/v1.0/gateway/connections/open`,
        ...extra,
      };
    },
    /** A sessionWebhook for a conversation, valid until expiresAt (ms). */
    createSession,
    /**
     * A robot message as DingTalk builds it at the fake's clock, with a sessionWebhook of this fake valid
     * for `sessionTtlMs` (DingTalk: about 90 minutes).
     */
    robotMessage(input: RobotMessageInput = {}, sessionTtlMs = 5_400_000): Record<string, unknown> {
      const createAt = input.createAt ?? clock();
      const message = robotMessage({ robotCode: clientId, ...input, createAt });
      const session = createSession(String(message.conversationId), createAt + sessionTtlMs);
      return { ...message, sessionWebhook: session.url, sessionWebhookExpiredTime: session.expiresAt };
    },
    /**
     * HTTP mode: DingTalk POSTs a robot message to the service's callback URL with `timestamp` + `sign`
     * (the fake's clock, the app secret). Overrides produce the forged, stale and unsigned variants.
     */
    postRobotMessage(
      url: string,
      message: unknown,
      overrides: { timestamp?: number; secret?: string; unsigned?: boolean } = {},
    ): Promise<Response> {
      const signature = signRobotCallback(overrides.secret ?? clientSecret, overrides.timestamp ?? clock());
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(overrides.unsigned ? {} : signature),
        },
        body: typeof message === 'string' ? message : JSON.stringify(message),
      });
    },
    addFile(downloadCode: string, bytes: Uint8Array, contentType = 'image/jpeg'): void {
      files.set(downloadCode, { bytes, contentType });
    },
    /** The next call to `api` (e.g. 'groupMessages/send', 'sendBySession') answers this instead. */
    failNext(api: string, status: number, body: unknown): void {
      injected.set(api, [...(injected.get(api) ?? []), { status, body }]);
    },
    /** The next 1:1 send to this user is refused for them in flowControlledStaffIdList (per-user throttle). */
    flowControlNext(userId: string): void {
      flowControlled.add(userId);
    },
    revokeTokens(): void {
      tokens.clear();
    },
    card(outTrackId: string): CardInstance | undefined {
      return cards.get(outTrackId);
    },
    /**
     * The card's variables as one user sees them: the public cardParamMap with that user's private data
     * over it (assumed: DingTalk renders private values in place of public ones of the same key).
     */
    visibleCard(outTrackId: string, userId: string): Record<string, string> {
      const card = cards.get(outTrackId);
      if (!card) throw new Error(`fake: no card ${outTrackId}`);
      return { ...card.cardParamMap, ...card.privateData[userId] };
    },
    /** A user taps the visible "回传请求" button labelled `label` of the xiaoan template (btnN_text / btnN_value). */
    clickButton(click: { outTrackId: string; userId: string; label: string }) {
      const shown = fake.visibleCard(click.outTrackId, click.userId);
      const slot = [1, 2, 3].find((n) => shown[`btn${n}_visible`] === 'true' && shown[`btn${n}_text`] === click.label);
      if (!slot) throw new Error(`fake: ${click.userId} sees no button "${click.label}" on ${click.outTrackId}`);
      return fake.clickCard({
        outTrackId: click.outTrackId,
        userId: click.userId,
        params: { value: shown[`btn${slot}_value`] },
        actionId: `btn${slot}`,
      });
    },
    callbackRoute(routeKey: string) {
      return callbackRoutes.get(routeKey);
    },
    /** Stream: a robot message as DingTalk pushes it. */
    pushRobotMessage(message: unknown, opts: { loseAcks?: number } = {}) {
      return pushCallback(TOPIC_ROBOT, message, opts);
    },
    /** Stream: a raw card callback (clickCard builds one from a card this fake created). */
    pushCardCallback(payload: unknown, opts: { loseAcks?: number } = {}) {
      return pushCallback(TOPIC_CARD, payload, opts);
    },
    /**
     * A user clicks a "回传请求" button on a card: over Stream (callbackType STREAM) or as a signed HTTP
     * POST to the registered route (HTTP). The answer is applied to the card, as DingTalk does.
     */
    async clickCard(click: { outTrackId: string; userId: string; params: Record<string, unknown>; actionId?: string }) {
      const card = cards.get(click.outTrackId);
      if (!card) throw new Error(`fake: no card ${click.outTrackId}`);
      const space = /^dtv1\.card\/\/(\w+)\.(.+)$/.exec(card.openSpaceId);
      const payload = {
        type: 'actionCallback',
        outTrackId: click.outTrackId,
        corpId: 'dingcorp0001',
        userId: click.userId,
        userIdType: 1,
        spaceType: space?.[1]?.toUpperCase() ?? 'IM_GROUP',
        spaceId: space?.[2] ?? '',
        extension: '{}',
        content: JSON.stringify({ cardPrivateData: { actionIds: [click.actionId ?? 'btn1'], params: click.params } }),
      };
      const startedAt = Date.now();
      let answer: Record<string, unknown>;
      if (card.callbackType === 'STREAM') {
        const ack = await pushCallback(TOPIC_CARD, payload).acked;
        answer = ((ack.data as { response?: Record<string, unknown> } | null)?.response ?? {}) as Record<
          string,
          unknown
        >;
      } else {
        const route = callbackRoutes.get(card.callbackRouteKey ?? '');
        if (!route) throw new Error(`fake: callbackRouteKey ${card.callbackRouteKey} not registered`);
        const response = await fetch(route.callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(route.apiSecret ? signCardCallback(route.apiSecret, clock()) : {}),
          },
          body: JSON.stringify(payload),
        });
        if (!response.ok) return { status: response.status, answer: null, late: false };
        answer = (await response.json()) as Record<string, unknown>;
      }
      // DingTalk ignores answers later than 2 s.
      const late = Date.now() - startedAt > 2000;
      if (!late) applyCardUpdate(card, answer, click.userId);
      return { status: 200, answer, late };
    },
    /** SYSTEM ping to every open connection; echoes land in pingEchoes. */
    ping(): string[] {
      return openConnections().map((connection) => {
        const { messageId, frame } = systemFrame('ping', { opaque: randomUUID() });
        connection.ws.send(frame);
        return messageId;
      });
    },
    /** SYSTEM disconnect: nothing more is delivered on those sockets; they close after the grace period. */
    disconnectAll(): void {
      for (const connection of openConnections()) {
        connection.ws.send(systemFrame('disconnect', { reason: 'connection is expired' }).frame);
        connections.splice(connections.indexOf(connection), 1);
        later(() => connection.ws.close(1000, 'expired'), disconnectGraceMs);
      }
    },
    /** Drops every socket without a goodbye (network failure). */
    dropConnections(): void {
      for (const connection of [...connections]) connection.ws.terminate();
    },
    openConnectionCount(topic?: string): number {
      return openConnections(topic).length;
    },
    unackedCount(): number {
      return unacked.size;
    },
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      for (const pending of unacked.values()) if (pending.timer) clearTimeout(pending.timer);
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

export type DingtalkFake = Awaited<ReturnType<typeof startDingtalkFake>>;
