import { Buffer } from 'node:buffer';
import { createDecipheriv, createHash, hash, timingSafeEqual } from 'node:crypto';
import type { FeishuConfig } from './config.js';

/**
 * Authenticity checks for HTTP deliveries (feishu.md §1.2–1.5), all over the raw body: the SDK's own check
 * hashes JSON.stringify(parsed) and never looks at the Verification Token, so neither is used here.
 */

export type HeaderReader = (name: string) => string | undefined;

export type FeishuVerifyResult =
  | { ok: true; kind: 'challenge'; challenge: string }
  | { ok: true; kind: 'delivery'; payload: Record<string, unknown> }
  | { ok: false; status: 400 | 401; reason: string };

/**
 * Feishu documents no freshness window; each push (retries included) is signed with its own timestamp and
 * nonce, so a replay older than this is refused even after the event-id dedupe key has expired.
 */
export const FEISHU_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

type VerifyConfig = Pick<FeishuConfig, 'appId' | 'verificationToken' | 'encryptKey'>;

export function verifyFeishuDelivery(
  rawBody: string,
  header: HeaderReader,
  config: VerifyConfig,
  now: Date,
): FeishuVerifyResult {
  const { verificationToken, encryptKey } = config;
  if (!verificationToken) return reject(401, 'webhook disabled: FEISHU_VERIFICATION_TOKEN is not set');

  const outer = parseObject(rawBody);
  if (!outer) return reject(400, 'body is not a JSON object');
  const encrypted = typeof outer.encrypt === 'string';
  if (encrypted && !encryptKey) return reject(401, 'encrypted delivery but FEISHU_ENCRYPT_KEY is not set');

  const signed = signatureHeaders(header);
  const legacyCard = !encrypted && isLegacyCardCallback(outer);
  // Without an Encrypt Key an event signature has no secret to check against; the token is all there is.
  const secret = legacyCard ? verificationToken : encryptKey;
  if (signed && secret !== undefined) {
    const algorithm = legacyCard ? 'sha1' : 'sha256';
    // One-shot: no Hash stream object per delivery, which shows under a burst of card callbacks.
    const expected = hash(algorithm, signed.timestamp + signed.nonce + secret + rawBody, 'hex');
    if (!sameText(expected, signed.signature.toLowerCase())) return reject(401, 'signature mismatch');
    const sentAt = Number(signed.timestamp) * 1000;
    if (!Number.isFinite(sentAt) || Math.abs(now.getTime() - sentAt) > FEISHU_TIMESTAMP_TOLERANCE_MS) {
      return reject(401, 'timestamp outside the accepted window');
    }
  }

  let payload = outer;
  if (encrypted && encryptKey) {
    const plain = decryptToObject(outer.encrypt as string, encryptKey);
    if (!plain) return reject(401, 'encrypted body does not decrypt with FEISHU_ENCRYPT_KEY');
    payload = plain;
  }

  const isChallenge = payload.type === 'url_verification';
  // The URL challenge is the only delivery Feishu sends without signature headers (node-sdk issue #67).
  if (!signed && !isChallenge && (encryptKey || legacyCard)) return reject(401, 'missing signature headers');

  // Old card callbacks carry the c-… card-update token in `token` ("消息卡片回传交互（旧）": 更新卡片用的凭证);
  // they are authenticated by their mandatory signature instead (sha1 over the token, or sha256 if encrypted).
  if (!isLegacyCardCallback(payload) && !sameText(deliveredToken(payload) ?? '', verificationToken)) {
    return reject(401, 'verification token mismatch');
  }
  const appId = deliveredAppId(payload);
  if (appId !== undefined && appId !== config.appId) return reject(401, 'app_id does not match FEISHU_APP_ID');

  if (isChallenge) {
    return typeof payload.challenge === 'string'
      ? { ok: true, kind: 'challenge', challenge: payload.challenge }
      : reject(400, 'url_verification without a challenge');
  }
  return { ok: true, kind: 'delivery', payload };
}

/** AES-256-CBC with key sha256(encryptKey) and the IV in the first 16 bytes (feishu.md §1.3). */
export function decryptFeishuBody(encrypt: string, encryptKey: string): string {
  const buffer = Buffer.from(encrypt, 'base64');
  if (buffer.length < 32 || buffer.length % 16 !== 0) throw new Error('ciphertext has an invalid length');
  const key = aesKeyOf(encryptKey);
  const decipher = createDecipheriv('aes-256-cbc', key, buffer.subarray(0, 16));
  return Buffer.concat([decipher.update(buffer.subarray(16)), decipher.final()]).toString('utf8');
}

const aesKeys = new Map<string, Buffer>();

/** sha256(encryptKey), derived once per key rather than once per delivery. */
function aesKeyOf(encryptKey: string): Buffer {
  let key = aesKeys.get(encryptKey);
  if (!key) {
    key = createHash('sha256').update(encryptKey).digest();
    aesKeys.set(encryptKey, key);
  }
  return key;
}

/** Old "message card request URL" callbacks: flat body, no schema, signed with sha1 over the token. */
export function isLegacyCardCallback(body: Record<string, unknown>): boolean {
  return !('schema' in body) && typeof body.open_message_id === 'string' && isObject(body.action);
}

function deliveredToken(payload: Record<string, unknown>): string | undefined {
  const header = isObject(payload.header) ? payload.header : undefined;
  const token = 'schema' in payload ? header?.token : payload.token;
  return typeof token === 'string' ? token : undefined;
}

function deliveredAppId(payload: Record<string, unknown>): string | undefined {
  const source = isObject(payload.header) ? payload.header : isObject(payload.event) ? payload.event : undefined;
  return typeof source?.app_id === 'string' ? source.app_id : undefined;
}

function signatureHeaders(header: HeaderReader) {
  const timestamp = header('x-lark-request-timestamp');
  const nonce = header('x-lark-request-nonce');
  const signature = header('x-lark-signature');
  return timestamp && nonce && signature ? { timestamp, nonce, signature } : undefined;
}

function decryptToObject(encrypt: string, encryptKey: string): Record<string, unknown> | undefined {
  try {
    return parseObject(decryptFeishuBody(encrypt, encryptKey));
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const reject = (status: 400 | 401, reason: string): FeishuVerifyResult => ({ ok: false, status, reason });
