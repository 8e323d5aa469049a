import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * A local WeCom API server (qyapi.weixin.qq.com) for the endpoints xiaoan calls, with the documented envelopes
 * ({errcode, errmsg}, HTTP 200 even on errors), limits and error codes (wecom.md §3):
 * - GET  /cgi-bin/gettoken                      40013 bad corpid, 40001 bad secret; 7200 s tokens
 * - POST /cgi-bin/message/send                  41001/40014/42001 token errors; 81013 all recipients invalid;
 *                                               30/min and 1000/h per member → the excess is DROPPED SILENTLY (errcode 0);
 *                                               enable_duplicate_check drops identical bodies within the interval;
 *                                               response_code for interactive cards
 * - POST /cgi-bin/message/update_template_card  one use per response_code
 * - POST /cgi-bin/webhook/send?key=             20 per minute per robot, then 45009 and a block (~10 min reported)
 * Everything received is recorded for assertions.
 */

export interface WecomApiFakeOptions {
  corpId?: string;
  secret?: string;
  agentId?: number;
  /** When given, message/send to anyone else fails with 81013. */
  members?: string[];
  /** Robot webhook keys that exist; any other key gets 93000. */
  robotKeys?: string[];
  robotLimitPerMinute?: number;
  robotBlockMs?: number;
  /** The fake's clock (ms), for rate windows: tests can run minutes in an instant. */
  now?: () => number;
}

export interface RecordedCall {
  api: 'gettoken' | 'message/send' | 'update_template_card' | 'webhook/send';
  at: number;
  body: Record<string, unknown>;
  response: Record<string, unknown>;
  /** Robot key or message recipient, for filtering. */
  target?: string;
}

type Api = RecordedCall['api'];

export interface WecomApiFake {
  baseUrl: string;
  corpId: string;
  secret: string;
  agentId: number;
  /** Every call in order, including refused ones. */
  calls: RecordedCall[];
  /** message/send bodies WeCom delivered. */
  sent: Record<string, unknown>[];
  /** message/send bodies WeCom accepted (errcode 0) but dropped: over a member quota, or a duplicate. */
  dropped: { reason: 'member_quota' | 'duplicate'; body: Record<string, unknown> }[];
  /** update_template_card bodies applied. */
  updates: Record<string, unknown>[];
  /** Robot messages delivered, per key. */
  robotSent: { key: string; at: number; body: Record<string, unknown> }[];
  tokensIssued: number;
  /** Makes every issued token invalid (40014), as when WeCom revokes tokens early. */
  revokeTokens(): void;
  /** Makes every issued token expired (42001). */
  expireTokens(): void;
  /** The next call to `api` answers this errcode instead. */
  failNext(api: Api, errcode: number, errmsg?: string): void;
  /** A response code as a click callback would carry it. */
  issueResponseCode(): string;
  /** Forgets everything (records, tokens, quotas, blocks), so one server can serve many tests. */
  reset(): void;
  close(): Promise<void>;
}

const ok = { errcode: 0, errmsg: 'ok' };
const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

export async function startWecomApiFake(options: WecomApiFakeOptions = {}): Promise<WecomApiFake> {
  const now = options.now ?? Date.now;
  const corpId = options.corpId ?? 'ww_fake_corp';
  const secret = options.secret ?? 'fake-app-secret';
  const agentId = options.agentId ?? 1000002;
  const robotLimit = options.robotLimitPerMinute ?? 20;
  const robotBlockMs = options.robotBlockMs ?? 10 * 60_000;

  const tokens = new Map<string, 'valid' | 'revoked' | 'expired'>();
  const responseCodes = new Map<string, 'unused' | 'used'>();
  const memberSends = new Map<string, number[]>();
  const recentBodies = new Map<string, number>();
  const robotWindows = new Map<string, number[]>();
  const robotBlockedUntil = new Map<string, number>();
  const failures = new Map<Api, { errcode: number; errmsg: string }>();
  let counter = 0;

  const fake: WecomApiFake = {
    baseUrl: '',
    corpId,
    secret,
    agentId,
    calls: [],
    sent: [],
    dropped: [],
    updates: [],
    robotSent: [],
    tokensIssued: 0,
    revokeTokens: () => {
      for (const token of tokens.keys()) tokens.set(token, 'revoked');
    },
    expireTokens: () => {
      for (const token of tokens.keys()) tokens.set(token, 'expired');
    },
    failNext: (api, errcode, errmsg = 'fake failure') => {
      failures.set(api, { errcode, errmsg });
    },
    issueResponseCode: () => {
      const code = `rc-${++counter}`;
      responseCodes.set(code, 'unused');
      return code;
    },
    reset: () => {
      for (const list of [fake.calls, fake.sent, fake.dropped, fake.updates, fake.robotSent]) list.length = 0;
      for (const map of [tokens, responseCodes, memberSends, recentBodies, robotWindows, robotBlockedUntil, failures]) {
        map.clear();
      }
      fake.tokensIssued = 0;
    },
    close: async () => {},
  };

  const record = (api: Api, body: Record<string, unknown>, response: Record<string, unknown>, target?: string) => {
    fake.calls.push({ api, at: now(), body, response, ...(target ? { target } : {}) });
    return response;
  };

  const injected = (api: Api) => {
    const failure = failures.get(api);
    if (failure) failures.delete(api);
    return failure;
  };

  const tokenError = (token: string | undefined) => {
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    const state = tokens.get(token);
    if (state === 'valid') return undefined;
    if (state === 'expired') return { errcode: 42001, errmsg: 'access_token expired' };
    return { errcode: 40014, errmsg: 'invalid access_token' };
  };

  /** Sliding-window count of timestamps within `windowMs`, after dropping older ones. */
  const inWindow = (stamps: number[], windowMs: number, at: number) => stamps.filter((t) => at - t < windowMs).length;

  const app = new Hono();

  app.get('/cgi-bin/gettoken', (c) => {
    const body = { corpid: c.req.query('corpid') ?? '' };
    const failure = injected('gettoken');
    if (failure) return c.json(record('gettoken', body, failure));
    if (body.corpid !== corpId) return c.json(record('gettoken', body, { errcode: 40013, errmsg: 'invalid corpid' }));
    if (c.req.query('corpsecret') !== secret) {
      return c.json(record('gettoken', body, { errcode: 40001, errmsg: 'invalid credential' }));
    }
    const token = `fake-token-${++counter}`;
    tokens.set(token, 'valid');
    fake.tokensIssued++;
    return c.json(record('gettoken', body, { ...ok, access_token: token, expires_in: 7200 }));
  });

  app.post('/cgi-bin/message/send', async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    const touser = String(body.touser ?? '');
    const refuse = (errcode: number, errmsg: string) =>
      c.json(record('message/send', body, { errcode, errmsg }, touser));
    const failure = tokenError(c.req.query('access_token')) ?? injected('message/send');
    if (failure) return c.json(record('message/send', body, failure, touser));
    if (body.agentid !== agentId) return refuse(40056, 'invalid agentid');
    if (!touser) return refuse(40031, 'invalid user list');
    if (options.members && !touser.split('|').some((u) => options.members?.includes(u))) {
      return refuse(81013, 'user & party & tag all invalid');
    }
    const msgtype = body.msgtype as string;
    const content = body[msgtype] as Record<string, unknown> | undefined;
    if (!content) return refuse(40008, 'invalid message type');
    if ((msgtype === 'text' || msgtype === 'markdown') && !content.content) return refuse(44004, 'empty content');
    let responseCode: string | undefined;
    if (msgtype === 'template_card') {
      const cardType = content.card_type as string;
      if (INTERACTIVE.has(cardType) && !content.task_id) return refuse(40058, 'task_id required');
      if (cardType === 'button_interaction' && !Array.isArray(content.button_list))
        return refuse(40058, 'button_list required');
      if (cardType === 'text_notice' && !content.card_action) return refuse(40058, 'card_action required');
      if (INTERACTIVE.has(cardType)) responseCode = fake.issueResponseCode();
    }
    const msgid = `fake-msg-${++counter}`;
    const response = { ...ok, invaliduser: '', msgid, ...(responseCode ? { response_code: responseCode } : {}) };
    const at = now();

    const fingerprint = JSON.stringify(body);
    const seen = recentBodies.get(fingerprint);
    const interval = Number(body.duplicate_check_interval ?? 1800) * 1000;
    if (body.enable_duplicate_check === 1 && seen !== undefined && at - seen < interval) {
      fake.dropped.push({ reason: 'duplicate', body });
      return c.json(record('message/send', body, response, touser));
    }
    recentBodies.set(fingerprint, at);

    const stamps = memberSends.get(touser) ?? [];
    memberSends.set(touser, stamps);
    if (inWindow(stamps, 60_000, at) >= 30 || inWindow(stamps, 3_600_000, at) >= 1000) {
      fake.dropped.push({ reason: 'member_quota', body });
    } else {
      fake.sent.push(body);
    }
    stamps.push(at);
    return c.json(record('message/send', body, response, touser));
  });

  app.post('/cgi-bin/message/update_template_card', async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    const failure = tokenError(c.req.query('access_token')) ?? injected('update_template_card');
    if (failure) return c.json(record('update_template_card', body, failure));
    const code = String(body.response_code ?? '');
    if (responseCodes.get(code) !== 'unused') {
      // WeCom's exact code for a used or unknown response_code is not in our references.
      return c.json(record('update_template_card', body, { errcode: 40035, errmsg: 'invalid response_code' }));
    }
    if (!body.button && !body.template_card)
      return c.json(record('update_template_card', body, { errcode: 40035, errmsg: 'nothing to update' }));
    responseCodes.set(code, 'used');
    fake.updates.push(body);
    return c.json(record('update_template_card', body, { ...ok, invaliduser: [] }));
  });

  app.post('/cgi-bin/webhook/send', async (c) => {
    const key = c.req.query('key') ?? '';
    const body = (await c.req.json()) as Record<string, unknown>;
    const at = now();
    const reply = (response: Record<string, unknown>) => c.json(record('webhook/send', body, response, key));
    if (options.robotKeys && !options.robotKeys.includes(key))
      return reply({ errcode: 93000, errmsg: 'invalid webhook url' });
    const failure = injected('webhook/send');
    if (failure) return reply(failure);
    if ((robotBlockedUntil.get(key) ?? 0) > at) return reply({ errcode: 45009, errmsg: 'api freq out of limit' });
    const stamps = robotWindows.get(key) ?? [];
    robotWindows.set(key, stamps);
    if (inWindow(stamps, 60_000, at) >= robotLimit) {
      robotBlockedUntil.set(key, at + robotBlockMs);
      return reply({ errcode: 45009, errmsg: `api freq out of limit, exceed ${robotLimit} times per minute` });
    }
    const msgtype = body.msgtype as string;
    const content = body[msgtype] as Record<string, unknown> | undefined;
    if (!content) return reply({ errcode: 40008, errmsg: 'invalid message type' });
    if (msgtype === 'template_card') {
      if (!['text_notice', 'news_notice'].includes(content.card_type as string)) {
        return reply({ errcode: 40008, errmsg: 'robots send text_notice/news_notice cards only' });
      }
      if (!content.card_action) return reply({ errcode: 40058, errmsg: 'card_action required' });
    }
    if (msgtype === 'markdown' && Buffer.byteLength(String(content.content ?? ''), 'utf8') > 4096) {
      return reply({ errcode: 40058, errmsg: 'markdown content exceeds 4096 bytes' });
    }
    stamps.push(at);
    fake.robotSent.push({ key, at, body });
    return reply(ok);
  });

  let server: ReturnType<typeof serve> | undefined;
  const { port } = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve);
  });
  fake.baseUrl = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  return fake;
}
