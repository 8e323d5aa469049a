import { describe, expect, it } from 'vitest';
import { officialVector } from './fixtures.js';
import { wecomDecrypt, wecomEncrypt, wecomSignature } from './callback-crypto.js';

describe('fake WeCom callback crypto against the official test vector', () => {
  const v = officialVector();

  it('signs like WeCom', () => {
    expect(wecomSignature(v.token, v.timestamp, v.nonce, v.echostr)).toBe(v.msgSignature);
  });

  it('decrypts the official echostr to its message and corp id', () => {
    const opened = wecomDecrypt(v.encodingAesKey, v.echostr);
    expect(opened.message).toBe(v.message);
    expect(opened.receiveId).toBe(v.corpId);
  });

  it('re-encrypts to the official ciphertext byte for byte, given the same random prefix', () => {
    const { random } = wecomDecrypt(v.encodingAesKey, v.echostr);
    expect(wecomEncrypt(v.encodingAesKey, v.message, v.corpId, random)).toBe(v.echostr);
  });
});
