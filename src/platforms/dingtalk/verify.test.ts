import { describe, expect, it } from 'vitest';
import { signCardCallback, signRobotCallback } from '../../../test/fakes/dingtalk/sign.js';
import { verifyCardCallbackSignature, verifyRobotSignature } from './verify.js';

const secret = 'app-secret-abc';
const now = new Date('2026-05-20T08:00:00Z');

describe('verifyRobotSignature', () => {
  it('accepts the documented formula: Base64(HmacSHA256(appSecret, timestamp + "\\n" + appSecret))', () => {
    expect(verifyRobotSignature(signRobotCallback(secret, now.getTime()), secret, now)).toEqual({ ok: true });
  });

  it('matches a signature computed independently with openssl', () => {
    // printf '1779264000000\napp-secret-abc' | openssl dgst -sha256 -hmac app-secret-abc -binary | base64
    const headers = { timestamp: '1779264000000', sign: 'Ci1LRUHh+IUE/EJc6gb7g9NcyIfbsC/nltj4xST1G8s=' };
    expect(verifyRobotSignature(headers, secret, now)).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyRobotSignature(signRobotCallback('other', now.getTime()), secret, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a URL-encoded signature (that is the custom-webhook variant)', () => {
    const signed = signRobotCallback(secret, now.getTime());
    const encoded = { ...signed, sign: encodeURIComponent(signed.sign) };
    expect(encoded.sign).not.toBe(signed.sign);
    expect(verifyRobotSignature(encoded, secret, now).ok).toBe(false);
  });

  it('refuses timestamps more than an hour away, either way', () => {
    const hourAndASecond = 60 * 60 * 1000 + 1000;
    expect(verifyRobotSignature(signRobotCallback(secret, now.getTime() - hourAndASecond), secret, now)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyRobotSignature(signRobotCallback(secret, now.getTime() + hourAndASecond), secret, now)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyRobotSignature(signRobotCallback(secret, now.getTime() - 59 * 60 * 1000), secret, now)).toEqual({
      ok: true,
    });
  });

  it('refuses missing or malformed headers', () => {
    expect(verifyRobotSignature({}, secret, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRobotSignature({ sign: 'x' }, secret, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRobotSignature({ timestamp: 'yesterday', sign: 'x' }, secret, now)).toEqual({
      ok: false,
      reason: 'malformed_timestamp',
    });
  });
});

describe('verifyCardCallbackSignature', () => {
  it('accepts Base64(HmacSHA256(apiSecret, timestamp)) and refuses other secrets and stale times', () => {
    const headers = (apiSecret: string, at: number) => {
      const signed = signCardCallback(apiSecret, at);
      return { timestamp: signed['x-ddpaas-signature-timestamp'], signature: signed['x-ddpaas-signature'] };
    };
    expect(verifyCardCallbackSignature(headers('card-secret', now.getTime()), 'card-secret', now)).toEqual({
      ok: true,
    });
    expect(verifyCardCallbackSignature(headers('wrong', now.getTime()), 'card-secret', now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifyCardCallbackSignature(headers('card-secret', now.getTime() - 2 * 3600_000), 'card-secret', now),
    ).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyCardCallbackSignature({ timestamp: String(now.getTime()) }, 'card-secret', now)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });
});
