import { type SendFailure, failureFromErrcode, isTokenError } from '../errcode.js';
import { callWecom, type WecomEnvelope } from '../http.js';
import type { TemplateCard } from '../render.js';

export interface WecomAppClientOptions {
  baseUrl: string;
  corpId: string;
  agentId: number;
  secret: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type AppMessageContent =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'template_card'; template_card: TemplateCard };

export type TemplateCardUpdate =
  | { userids: string[]; responseCode: string; replaceName: string }
  | { userids: string[]; responseCode: string; card: TemplateCard };

export interface WecomAppClient {
  /** POST /cgi-bin/message/send to one member; `responseCode` comes back for interactive cards. */
  sendMessage(
    touser: string,
    content: AppMessageContent,
  ): Promise<{ ok: true; msgid?: string; responseCode?: string } | SendFailure>;
  /** POST /cgi-bin/message/update_template_card: one call per response_code (single use, 72 h). */
  updateTemplateCard(update: TemplateCardUpdate): Promise<{ ok: true } | SendFailure>;
}

/** A minute-level 45009 block lasts 60 s (Doc path/90312). */
const APP_FREQ_LIMIT_RETRY_MS = 60_000;
/** Refetch this long before WeCom's own expiry (expires_in is 7200 s). */
const TOKEN_EARLY_REFRESH_MS = 5 * 60_000;
/** Drop identical sends within 30 min (WeCom's own dedupe; covers our retries after an unknown outcome). */
const DUPLICATE_CHECK_INTERVAL_S = 1800;

export function createWecomAppClient(options: WecomAppClientOptions): WecomAppClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  const base = options.baseUrl.replace(/\/+$/, '');
  const timing = { freqLimitRetryMs: APP_FREQ_LIMIT_RETRY_MS };

  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<{ ok: true; token: string } | SendFailure> | undefined;

  async function fetchToken(): Promise<{ ok: true; token: string } | SendFailure> {
    const url = `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(options.corpId)}&corpsecret=${encodeURIComponent(options.secret)}`;
    const result = await callWecom(fetchFn, url);
    if (!result.ok) return result;
    const { envelope } = result;
    if (envelope.errcode !== 0) return failureFromErrcode(envelope.errcode, `gettoken: ${envelope.errmsg}`, timing);
    const token = envelope.access_token;
    const expiresIn = typeof envelope.expires_in === 'number' ? envelope.expires_in : 7200;
    if (typeof token !== 'string' || !token)
      return { ok: false, kind: 'transient', error: 'gettoken: no access_token' };
    cached = { token, expiresAt: now().getTime() + expiresIn * 1000 - TOKEN_EARLY_REFRESH_MS };
    return { ok: true, token };
  }

  function accessToken(): Promise<{ ok: true; token: string } | SendFailure> {
    if (cached && cached.expiresAt > now().getTime()) return Promise.resolve({ ok: true, token: cached.token });
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  /** POST with the access token; a revoked/expired token (40014/42001) is refetched and the call retried once. */
  async function post(path: string, body: unknown): Promise<{ ok: true; envelope: WecomEnvelope } | SendFailure> {
    for (let attempt = 0; ; attempt++) {
      const token = await accessToken();
      if (!token.ok) return token;
      const result = await callWecom(fetchFn, `${base}${path}?access_token=${encodeURIComponent(token.token)}`, body);
      if (!result.ok) return result;
      const { errcode, errmsg } = result.envelope;
      if (errcode === 0) return result;
      if (isTokenError(errcode) && attempt === 0) {
        if (cached?.token === token.token) cached = undefined;
        continue;
      }
      return failureFromErrcode(errcode, errmsg, timing);
    }
  }

  return {
    async sendMessage(touser, content) {
      const result = await post('/cgi-bin/message/send', {
        touser,
        agentid: options.agentId,
        ...content,
        enable_duplicate_check: 1,
        duplicate_check_interval: DUPLICATE_CHECK_INTERVAL_S,
      });
      if (!result.ok) return result;
      const { msgid, response_code } = result.envelope;
      return {
        ok: true,
        ...(typeof msgid === 'string' ? { msgid } : {}),
        ...(typeof response_code === 'string' ? { responseCode: response_code } : {}),
      };
    },

    async updateTemplateCard(update) {
      const result = await post('/cgi-bin/message/update_template_card', {
        userids: update.userids,
        agentid: options.agentId,
        response_code: update.responseCode,
        ...('card' in update ? { template_card: update.card } : { button: { replace_name: update.replaceName } }),
      });
      return result.ok ? { ok: true } : result;
    },
  };
}
