import { type SendFailure, failureFromHttp } from './errcode.js';

export interface WecomEnvelope {
  errcode: number;
  errmsg: string;
  [field: string]: unknown;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** One WeCom API call: JSON in, `{errcode, errmsg, …}` out. Never throws; URLs (they hold tokens/keys) are not logged. */
export async function callWecom(
  fetchFn: typeof fetch,
  url: string,
  body?: unknown,
): Promise<{ ok: true; envelope: WecomEnvelope } | SendFailure> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    return failureFromHttp(0, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return failureFromHttp(response.status, text.slice(0, 200));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as WecomEnvelope).errcode !== 'number') {
    return failureFromHttp(502, `no WeCom envelope: ${text.slice(0, 200)}`);
  }
  const envelope = parsed as WecomEnvelope;
  if (typeof envelope.errmsg !== 'string') envelope.errmsg = '';
  return { ok: true, envelope };
}
