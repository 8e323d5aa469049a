import type { SendResult } from '../../delivery/sender.js';

export type SendFailure = Extract<SendResult, { ok: false }>;

/** Global error codes (Doc path/90313, WxJava WxCpErrorMsgEnum). Branch on errcode, never on errmsg. */
export const ERRCODE = {
  SYSTEM_BUSY: -1,
  INVALID_TOKEN: 40014,
  EXPIRED_TOKEN: 42001,
  FREQ_LIMIT: 45009,
  CONCURRENCY_LIMIT: 45033,
} as const;

export const isTokenError = (errcode: number): boolean =>
  errcode === ERRCODE.INVALID_TOKEN || errcode === ERRCODE.EXPIRED_TOKEN;

export interface ErrcodeTiming {
  /** 45009: how long WeCom blocks (app APIs: a minute-level block lasts 60 s; robots report ~10 minutes). */
  freqLimitRetryMs: number;
}

/**
 * WeCom errcode → SendResult failure. 45009/45033 slow the target down; -1 (system busy) and token codes that
 * survived a refresh are worth retrying; every other code names a caller error (bad id, no privilege, IP not
 * trusted, empty content, …) that no retry fixes.
 */
export function failureFromErrcode(errcode: number, errmsg: string, timing: ErrcodeTiming): SendFailure {
  const error = `wecom errcode ${errcode}: ${errmsg}`;
  if (errcode === ERRCODE.FREQ_LIMIT)
    return { ok: false, kind: 'rate_limited', error, retryAfterMs: timing.freqLimitRetryMs };
  if (errcode === ERRCODE.CONCURRENCY_LIMIT) return { ok: false, kind: 'rate_limited', error, retryAfterMs: 2_000 };
  if (errcode === ERRCODE.SYSTEM_BUSY || isTokenError(errcode)) return { ok: false, kind: 'transient', error };
  return { ok: false, kind: 'permanent', error };
}

/** Non-JSON or non-2xx HTTP answers and network failures. */
export function failureFromHttp(status: number, detail: string): SendFailure {
  if (status === 429) return { ok: false, kind: 'rate_limited', error: `HTTP 429: ${detail}`, retryAfterMs: 60_000 };
  if (status >= 500 || status === 0)
    return { ok: false, kind: 'transient', error: `HTTP ${status || 'error'}: ${detail}` };
  return { ok: false, kind: 'permanent', error: `HTTP ${status}: ${detail}` };
}
