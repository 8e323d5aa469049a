/**
 * DingTalk answers errors in two shapes (dingtalk.md §9): the new API (api.dingtalk.com) with a non-2xx
 * status and `{code, message, requestid}`; the legacy API, custom webhooks and sessionWebhooks with
 * HTTP 200 and `{errcode, errmsg}` (0 = ok). Both are mapped onto the dispatcher's outcome kinds.
 */
export type ApiFailure = {
  ok: false;
  kind: 'rate_limited' | 'transient' | 'permanent';
  error: string;
  retryAfterMs?: number;
  /** The access token was refused: refresh it and try once more. */
  tokenInvalid?: boolean;
};

export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Legacy errcodes that mean "slow down", with how long to wait. */
const THROTTLE_ERRCODES: Record<number, number> = {
  90002: SECOND, // platform-wide per-API maximum
  90006: MINUTE, // 1500 calls per minute per app per API
  90018: SECOND, // 40 calls per second per app per API
  90020: HOUR, // the organisation's monthly quota: nothing to gain from retrying soon
  90030: 10 * MINUTE, // custom-webhook "over limit": a 10-minute lock-out
};
/** 40014 invalid token, 42001 expired token, 40001 invalid credential. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** -1 busy; 15 and 88 are the legacy server-timeout codes (dingtalk.md §9). */
const TRANSIENT_ERRCODES = new Set([-1, 15, 88]);

const THROTTLE_CODE =
  /qpslimit|qpmlimit|apicountlimit|flowcontrol|throttl|ratelimit|too\.?fast|toofast|too\.many|toomuch/i;
const TOKEN_CODE =
  /invalidauthentication|invalidaccesstoken|accesstoken\.?(invalid|expired)|invalid\.?token|token\.?expired/i;
const TRANSIENT_CODE = /system\.(busy|error)|serviceunavailable|timeout|internalerror/i;

function retryAfterHeader(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * SECOND);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const asRecord = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

function throttleWait(code: string): number {
  if (/apicountlimit/i.test(code)) return HOUR;
  if (/qpmlimit/i.test(code)) return MINUTE;
  return SECOND;
}

/** null when the response is a success; otherwise what went wrong and what to do about it. */
export function classifyResponse(status: number, body: unknown, headers: Headers): ApiFailure | null {
  const record = asRecord(body);
  const retryAfter = retryAfterHeader(headers);
  const errcode = record.errcode === undefined ? undefined : Number(record.errcode);

  if (errcode !== undefined && !Number.isNaN(errcode)) {
    if (errcode === 0 && status >= 200 && status < 300) return null;
    const error = `errcode ${errcode}: ${String(record.errmsg ?? '')}`.trim();
    const wait = THROTTLE_ERRCODES[errcode];
    if (wait !== undefined) return { ok: false, kind: 'rate_limited', error, retryAfterMs: retryAfter ?? wait };
    if (TOKEN_ERRCODES.has(errcode)) return { ok: false, kind: 'transient', error, tokenInvalid: true };
    if (TRANSIENT_ERRCODES.has(errcode) || status >= 500) return { ok: false, kind: 'transient', error };
    if (errcode !== 0) return { ok: false, kind: 'permanent', error };
  }

  if (status >= 200 && status < 300) return null;

  // The per-IP flood guard answers in its own shape: {"status":1111,"wait":5,"punish":"deny",…} (minutes).
  if (record.punish !== undefined || record.status === 1111) {
    const minutes = Number(record.wait);
    return {
      ok: false,
      kind: 'rate_limited',
      error: `blocked by the gateway (${String(record.punish ?? record.status)})`,
      retryAfterMs: retryAfter ?? (Number.isFinite(minutes) && minutes > 0 ? minutes * MINUTE : 5 * MINUTE),
    };
  }

  const code = typeof record.code === 'string' ? record.code : '';
  const requestId = typeof record.requestid === 'string' ? ` (requestid ${record.requestid})` : '';
  const error = `HTTP ${status} ${code}: ${String(record.message ?? '')}${requestId}`.replace(/\s+:/, ':').trim();
  if (status === 429 || THROTTLE_CODE.test(code)) {
    return { ok: false, kind: 'rate_limited', error, retryAfterMs: retryAfter ?? throttleWait(code) };
  }
  if (status === 401 || TOKEN_CODE.test(code)) return { ok: false, kind: 'transient', error, tokenInvalid: true };
  if (status >= 500 || status === 408 || TRANSIENT_CODE.test(code)) return { ok: false, kind: 'transient', error };
  return { ok: false, kind: 'permanent', error };
}
