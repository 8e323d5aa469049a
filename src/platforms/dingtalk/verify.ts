import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** DingTalk rejects callbacks older or newer than one hour; so do we. */
export const SIGNATURE_WINDOW_MS = 60 * 60 * 1000;

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed_timestamp' | 'stale' | 'mismatch' };

function hmacBase64(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkTimestamp(timestamp: string | undefined, now: Date): VerifyResult | null {
  if (!timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  if (Math.abs(now.getTime() - Number(timestamp)) > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'stale' };
  return null;
}

/**
 * Robot message callbacks: headers `timestamp` (ms) and `sign` =
 * Base64(HmacSHA256(key = appSecret, msg = timestamp + "\n" + appSecret)), plain Base64, ±1 h.
 */
export function verifyRobotSignature(
  headers: { timestamp?: string; sign?: string },
  appSecret: string,
  now: Date,
): VerifyResult {
  if (!headers.sign) return { ok: false, reason: 'missing' };
  const timestampProblem = checkTimestamp(headers.timestamp, now);
  if (timestampProblem) return timestampProblem;
  const expected = hmacBase64(appSecret, `${headers.timestamp}\n${appSecret}`);
  return sameText(headers.sign, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Card-platform HTTP callbacks: `x-ddpaas-signature-timestamp` (ms) and `x-ddpaas-signature` =
 * Base64(HmacSHA256(key = apiSecret, msg = timestamp)). The signature does not cover the body, so the
 * timestamp window is what keeps a captured request from being replayed later.
 */
export function verifyCardCallbackSignature(
  headers: { timestamp?: string; signature?: string },
  apiSecret: string,
  now: Date,
): VerifyResult {
  if (!headers.signature) return { ok: false, reason: 'missing' };
  const timestampProblem = checkTimestamp(headers.timestamp, now);
  if (timestampProblem) return timestampProblem;
  const expected = hmacBase64(apiSecret, String(headers.timestamp));
  return sameText(headers.signature, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
