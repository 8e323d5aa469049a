import { Buffer } from 'node:buffer';
import { createDecipheriv, timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';

/**
 * Self-built app callback crypto (Doc path/90968): msg_signature = sha1(sort(token, timestamp, nonce, encrypt)),
 * AES-256-CBC with IV = key[0..16], PKCS#7 padding to 32 bytes, plaintext random(16) ‖ len(4, BE) ‖ msg ‖ receiveid.
 * `@wecom/crypto` signs and decrypts; it checks neither the padding nor the receive id, so we do both here.
 */

/** WeCom retries within seconds; anything older is a replay (and would be deduped anyway). */
export const TIMESTAMP_WINDOW_MS = 10 * 60_000;

const BLOCK = 32;
const AES_BLOCK = 16;

export function signatureMatches(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  given: string,
): boolean {
  const expected = Buffer.from(getSignature(token, timestamp, nonce, encrypt), 'utf8');
  const actual = Buffer.from(given.toLowerCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function timestampFresh(timestamp: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() - Number(timestamp) * 1000) <= TIMESTAMP_WINDOW_MS;
}

export type DecryptResult = { ok: true; message: string } | { ok: false; reason: string };

/** PKCS#7 as WeCom pads it: the last pad bytes (1..32) all equal the pad length. Decrypts only the last two blocks. */
function paddingLength(key: Buffer, cipher: Buffer): number | null {
  // CBC: a block decrypts with the previous ciphertext block as its IV, so the 32-byte tail can be read alone.
  const tailStart = cipher.length - BLOCK;
  const iv = tailStart === 0 ? key.subarray(0, AES_BLOCK) : cipher.subarray(tailStart - AES_BLOCK, tailStart);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  const tail = Buffer.concat([decipher.update(cipher.subarray(tailStart)), decipher.final()]);
  const pad = tail[BLOCK - 1] as number;
  if (pad < 1 || pad > BLOCK) return null;
  for (let i = BLOCK - pad; i < BLOCK; i++) if (tail[i] !== pad) return null;
  return pad;
}

export function decryptPayload(encodingAesKey: string, encrypted: string, expectedReceiveId: string): DecryptResult {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0) {
    return { ok: false, reason: 'ciphertext is not Base64' };
  }
  const cipher = Buffer.from(encrypted, 'base64');
  if (cipher.length === 0 || cipher.length % BLOCK !== 0) return { ok: false, reason: 'ciphertext truncated' };
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');

  const pad = paddingLength(key, cipher);
  if (pad === null) return { ok: false, reason: 'bad PKCS#7 padding' };
  const plainLength = cipher.length - pad;
  if (plainLength < 20) return { ok: false, reason: 'plaintext too short' };

  let opened: { message: string; id: string };
  try {
    opened = decrypt(encodingAesKey, encrypted);
  } catch (error) {
    return { ok: false, reason: `decrypt failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  // random(16) + len(4) + msg + id must fill the unpadded plaintext exactly, which bytes that are not UTF-8 break; a
  // lying length field moves bytes between msg and id, which the receive id comparison below catches.
  const accounted = 20 + Buffer.byteLength(opened.message, 'utf8') + Buffer.byteLength(opened.id, 'utf8');
  if (accounted !== plainLength) return { ok: false, reason: 'message length does not match the payload' };
  if (opened.id !== expectedReceiveId) return { ok: false, reason: 'receive id does not match the corp id' };
  return { ok: true, message: opened.message };
}
