import { describe, expect, it } from 'vitest';
import { encryptBlocks, pkcs7Pad, plaintextOf, wecomEncrypt } from '../../../../test/fakes/wecom/callback-crypto.js';
import { officialVector } from '../../../../test/fakes/wecom/fixtures.js';
import { decryptPayload, signatureMatches, timestampFresh } from './verify.js';

const v = officialVector();

describe('app callback signature', () => {
  it('accepts the official vector', () => {
    expect(signatureMatches(v.token, v.timestamp, v.nonce, v.echostr, v.msgSignature)).toBe(true);
  });

  it('refuses a signature over other values', () => {
    expect(signatureMatches(v.token, v.timestamp, v.nonce, v.echostr, v.msgSignature.replace(/^5/, '6'))).toBe(false);
    expect(signatureMatches('other-token', v.timestamp, v.nonce, v.echostr, v.msgSignature)).toBe(false);
    expect(signatureMatches(v.token, v.timestamp, v.nonce, v.echostr, 'short')).toBe(false);
  });
});

describe('app callback decryption', () => {
  it('opens the official echostr when the receive id is the corp id', () => {
    expect(decryptPayload(v.encodingAesKey, v.echostr, v.corpId)).toEqual({ ok: true, message: v.message });
  });

  it('refuses a payload addressed to another corp', () => {
    expect(decryptPayload(v.encodingAesKey, v.echostr, 'ww_other_corp')).toEqual({
      ok: false,
      reason: 'receive id does not match the corp id',
    });
  });

  it('round-trips non-ASCII messages', () => {
    const encrypted = wecomEncrypt(v.encodingAesKey, '<xml>三楼扶手松动</xml>', v.corpId);
    expect(decryptPayload(v.encodingAesKey, encrypted, v.corpId)).toEqual({
      ok: true,
      message: '<xml>三楼扶手松动</xml>',
    });
  });

  it('refuses a pad byte outside 1..32 (which @wecom/crypto passes through)', () => {
    const plain = plaintextOf('hello', v.corpId);
    const padded = Buffer.concat([plain, Buffer.alloc(32 - (plain.length % 32), 0)]);
    expect(decryptPayload(v.encodingAesKey, encryptBlocks(v.encodingAesKey, padded), v.corpId)).toMatchObject({
      ok: false,
      reason: 'bad PKCS#7 padding',
    });
  });

  it('refuses pad bytes that are not all equal', () => {
    const padded = pkcs7Pad(plaintextOf('hello', v.corpId));
    const pad = padded[padded.length - 1] as number;
    expect(pad).toBeGreaterThan(1);
    padded[padded.length - pad] = pad - 1;
    expect(decryptPayload(v.encodingAesKey, encryptBlocks(v.encodingAesKey, padded), v.corpId)).toMatchObject({
      ok: false,
      reason: 'bad PKCS#7 padding',
    });
  });

  it('refuses a truncated ciphertext', () => {
    const encrypted = wecomEncrypt(v.encodingAesKey, 'a longer message that spans a few AES blocks', v.corpId);
    const cut = Buffer.from(encrypted, 'base64').subarray(0, 40).toString('base64');
    expect(decryptPayload(v.encodingAesKey, cut, v.corpId)).toMatchObject({
      ok: false,
      reason: 'ciphertext truncated',
    });
  });

  it('refuses a length field that claims more than the payload holds (the corp id no longer lines up)', () => {
    const plain = plaintextOf('hello', v.corpId);
    plain.writeUInt32BE(500, 16);
    expect(decryptPayload(v.encodingAesKey, encryptBlocks(v.encodingAesKey, pkcs7Pad(plain)), v.corpId)).toEqual({
      ok: false,
      reason: 'receive id does not match the corp id',
    });
  });

  it('refuses text that is not Base64', () => {
    expect(decryptPayload(v.encodingAesKey, 'not base64!', v.corpId)).toMatchObject({ ok: false });
  });
});

describe('timestamp window', () => {
  const now = new Date(Number(v.timestamp) * 1000);
  it('accepts a timestamp a few minutes off and refuses an old one', () => {
    expect(timestampFresh(String(Number(v.timestamp) - 120), now)).toBe(true);
    expect(timestampFresh(String(Number(v.timestamp) - 3600), now)).toBe(false);
    expect(timestampFresh('abc', now)).toBe(false);
  });
});
