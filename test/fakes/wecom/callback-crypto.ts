import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * WeCom's callback crypto, written independently of `@wecom/crypto` (which production uses) so that tests compare
 * two implementations: msg_signature = sha1(sort(token, timestamp, nonce, encrypt)); AES-256-CBC, IV = key[0..16],
 * PKCS#7 to 32 bytes; plaintext random(16) ‖ msg_len(4, BE) ‖ msg ‖ receiveid (Doc path/90968).
 */

export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** receiveid: the corp id for a self-built app. */
  receiveId: string;
}

const aesKey = (encodingAesKey: string) => Buffer.from(`${encodingAesKey}=`, 'base64');

export function wecomSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

export function pkcs7Pad(data: Buffer, block = 32): Buffer {
  const pad = block - (data.length % block);
  return Buffer.concat([data, Buffer.alloc(pad, pad)]);
}

export function plaintextOf(message: string, receiveId: string, random: Buffer = randomBytes(16)): Buffer {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  return Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]);
}

/** AES-256-CBC over bytes the caller already padded (or deliberately mis-padded). */
export function encryptBlocks(encodingAesKey: string, padded: Buffer): string {
  const key = aesKey(encodingAesKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

export function wecomEncrypt(encodingAesKey: string, message: string, receiveId: string, random?: Buffer): string {
  return encryptBlocks(encodingAesKey, pkcs7Pad(plaintextOf(message, receiveId, random)));
}

export function wecomDecrypt(
  encodingAesKey: string,
  encrypt: string,
): { random: Buffer; message: string; receiveId: string } {
  const key = aesKey(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  const pad = padded[padded.length - 1] as number;
  if (pad < 1 || pad > 32 || !padded.subarray(padded.length - pad).every((b) => b === pad)) {
    throw new Error('bad padding');
  }
  const plain = padded.subarray(0, padded.length - pad);
  const length = plain.readUInt32BE(16);
  return {
    random: plain.subarray(0, 16),
    message: plain.subarray(20, 20 + length).toString('utf8'),
    receiveId: plain.subarray(20 + length).toString('utf8'),
  };
}

export interface SignedQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
  [name: string]: string;
}

/** The GET WeCom sends when an admin saves the callback URL. */
export function urlVerificationQuery(
  secrets: CallbackSecrets,
  echo: string,
  options: { timestamp: string; nonce?: string },
): SignedQuery & { echostr: string } {
  const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e9));
  const echostr = wecomEncrypt(secrets.encodingAesKey, echo, secrets.receiveId);
  return {
    msg_signature: wecomSignature(secrets.token, options.timestamp, nonce, echostr),
    timestamp: options.timestamp,
    nonce,
    echostr,
  };
}

/** A POST callback: the XML envelope around `encrypt`, and the signed query. */
export function signedEnvelope(
  secrets: Pick<CallbackSecrets, 'token'>,
  encrypt: string,
  options: { timestamp: string; nonce?: string; toUserName?: string; agentId?: string },
): { query: SignedQuery; body: string } {
  const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e9));
  const body =
    `<xml><ToUserName><![CDATA[${options.toUserName ?? 'corp'}]]></ToUserName>` +
    `<AgentID><![CDATA[${options.agentId ?? '1000002'}]]></AgentID>` +
    `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return {
    query: {
      msg_signature: wecomSignature(secrets.token, options.timestamp, nonce, encrypt),
      timestamp: options.timestamp,
      nonce,
    },
    body,
  };
}

/** Encrypts and signs a decrypted-message XML exactly as WeCom delivers it to a self-built app. */
export function encryptedCallback(
  secrets: CallbackSecrets,
  xml: string,
  options: { timestamp: string; nonce?: string; agentId?: string },
): { query: SignedQuery; body: string } {
  return signedEnvelope(secrets, wecomEncrypt(secrets.encodingAesKey, xml, secrets.receiveId), {
    ...options,
    toUserName: secrets.receiveId,
  });
}

export const toQueryString = (query: Record<string, string>): string => new URLSearchParams(query).toString();
