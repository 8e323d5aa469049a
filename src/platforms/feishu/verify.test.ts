import { createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import {
  buildLegacyCardCallback,
  encryptFeishuPayload,
  signedChallenge,
  signFeishuEvent,
} from '../../../test/fakes/feishu/events.js';
import { FIXTURE, feishuFixture } from '../../../test/fixtures/feishu/load.js';
import { decryptFeishuBody, type FeishuVerifyResult, verifyFeishuDelivery } from './verify.js';

const ENCRYPT_KEY = 'fixture-encrypt-key';
const NOW = new Date('2026-05-11T08:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
interface Config {
  appId: string;
  verificationToken?: string;
  encryptKey?: string;
}
const plainConfig: Config = { appId: FIXTURE.appId, verificationToken: FIXTURE.verificationToken };
const encryptedConfig: Config = { ...plainConfig, encryptKey: ENCRYPT_KEY };

function verify(delivery: { body: string; headers: Record<string, string> }, config = encryptedConfig, now = NOW) {
  return verifyFeishuDelivery(delivery.body, (name) => delivery.headers[name.toLowerCase()], config, now);
}

const rejection = (result: FeishuVerifyResult) =>
  result.ok ? undefined : { status: result.status, reason: result.reason };

describe('verifyFeishuDelivery with an Encrypt Key', () => {
  it('accepts an encrypted, signed event and returns the decrypted payload', () => {
    const payload = feishuFixture('message-text');
    const result = verify(signFeishuEvent(payload, { encryptKey: ENCRYPT_KEY, timestamp: nowSeconds }));
    expect(result).toEqual({ ok: true, kind: 'delivery', payload });
  });

  it('checks the signature over the raw bytes, so pretty-printed bodies verify too', () => {
    const payload = feishuFixture('card-action');
    const delivery = signFeishuEvent(payload, { encryptKey: ENCRYPT_KEY, timestamp: nowSeconds, space: 2 });
    expect(delivery.body).toContain('\n');
    expect(verify(delivery)).toMatchObject({ ok: true, kind: 'delivery' });
  });

  it('answers the encrypted challenge, which carries no signature headers', () => {
    const challenge = signedChallenge({ verificationToken: FIXTURE.verificationToken, encryptKey: ENCRYPT_KEY });
    expect(challenge.body).toContain('"encrypt"');
    expect(verify(challenge)).toEqual({ ok: true, kind: 'challenge', challenge: challenge.challenge });
  });

  it('refuses a challenge with the wrong token', () => {
    const challenge = signedChallenge({ verificationToken: 'someone-else', encryptKey: ENCRYPT_KEY });
    expect(rejection(verify(challenge))).toEqual({ status: 401, reason: 'verification token mismatch' });
  });

  it('refuses a forged signature', () => {
    const delivery = signFeishuEvent(feishuFixture('message-text'), { encryptKey: 'other-key', timestamp: nowSeconds });
    expect(rejection(verify(delivery))).toEqual({ status: 401, reason: 'signature mismatch' });
  });

  it('refuses a body altered after signing', () => {
    const delivery = signFeishuEvent(feishuFixture('message-text'), { encryptKey: ENCRYPT_KEY, timestamp: nowSeconds });
    const tampered = { ...delivery, body: delivery.body.replace('{"encrypt":"', '{"encrypt": "') };
    expect(rejection(verify(tampered))?.reason).toBe('signature mismatch');
  });

  it('refuses an unsigned event', () => {
    const delivery = signFeishuEvent(feishuFixture('message-text'), { encryptKey: ENCRYPT_KEY });
    const unsigned = { body: delivery.body, headers: { 'content-type': 'application/json' } };
    expect(rejection(verify(unsigned))).toEqual({ status: 401, reason: 'missing signature headers' });
  });

  it('refuses a stale or future timestamp', () => {
    const old = signFeishuEvent(feishuFixture('message-text'), {
      encryptKey: ENCRYPT_KEY,
      timestamp: nowSeconds - 301,
    });
    const future = signFeishuEvent(feishuFixture('message-text'), {
      encryptKey: ENCRYPT_KEY,
      timestamp: nowSeconds + 301,
    });
    expect(rejection(verify(old))?.reason).toBe('timestamp outside the accepted window');
    expect(rejection(verify(future))?.reason).toBe('timestamp outside the accepted window');
    const recent = signFeishuEvent(feishuFixture('message-text'), {
      encryptKey: ENCRYPT_KEY,
      timestamp: nowSeconds - 290,
    });
    expect(verify(recent).ok).toBe(true);
  });

  it('refuses a signed event whose token is wrong', () => {
    const payload = feishuFixture('message-text');
    (payload.header as Record<string, unknown>).token = 'wrong';
    const result = verify(signFeishuEvent(payload, { encryptKey: ENCRYPT_KEY, timestamp: nowSeconds }));
    expect(rejection(result)).toEqual({ status: 401, reason: 'verification token mismatch' });
  });

  it('refuses an event for another app', () => {
    const payload = feishuFixture('message-text');
    (payload.header as Record<string, unknown>).app_id = 'cli_ffffffffffffffff';
    const result = verify(signFeishuEvent(payload, { encryptKey: ENCRYPT_KEY, timestamp: nowSeconds }));
    expect(rejection(result)?.reason).toBe('app_id does not match FEISHU_APP_ID');
  });

  it('refuses ciphertext that does not decrypt with our key even when the signature matches', () => {
    const body = JSON.stringify({ encrypt: Buffer.from('not really ciphertext, just 32+ bytes!!').toString('base64') });
    const signature = createHash('sha256').update(`${nowSeconds}n${ENCRYPT_KEY}${body}`).digest('hex');
    const headers = {
      'x-lark-request-timestamp': String(nowSeconds),
      'x-lark-request-nonce': 'n',
      'x-lark-signature': signature,
    };
    expect(rejection(verify({ body, headers }))?.reason).toBe(
      'encrypted body does not decrypt with FEISHU_ENCRYPT_KEY',
    );
  });

  it('rejects garbage with 400', () => {
    expect(rejection(verify({ body: 'not json{', headers: {} }))).toEqual({
      status: 400,
      reason: 'body is not a JSON object',
    });
    expect(rejection(verify({ body: '[1,2]', headers: {} }))?.status).toBe(400);
  });
});

describe('verifyFeishuDelivery without an Encrypt Key', () => {
  it('accepts plaintext events with the right token', () => {
    const payload = feishuFixture('bot-added');
    expect(verify(signFeishuEvent(payload), plainConfig)).toEqual({ ok: true, kind: 'delivery', payload });
  });

  it('checks the token of v2 events in header.token and of v1 events at the top level', () => {
    const v2 = feishuFixture('bot-added');
    (v2.header as Record<string, unknown>).token = 'nope';
    expect(rejection(verify(signFeishuEvent(v2), plainConfig))?.reason).toBe('verification token mismatch');
    const v1 = feishuFixture('v1-add-bot');
    expect(verify(signFeishuEvent(v1), plainConfig).ok).toBe(true);
    v1.token = 'nope';
    expect(rejection(verify(signFeishuEvent(v1), plainConfig))?.reason).toBe('verification token mismatch');
  });

  it('answers the plaintext challenge', () => {
    const challenge = signedChallenge({ verificationToken: FIXTURE.verificationToken, challenge: 'abc' });
    expect(verify(challenge, plainConfig)).toEqual({ ok: true, kind: 'challenge', challenge: 'abc' });
  });

  it('refuses encrypted deliveries it cannot read', () => {
    const delivery = signFeishuEvent(feishuFixture('message-text'), { encryptKey: ENCRYPT_KEY, timestamp: nowSeconds });
    expect(rejection(verify(delivery, plainConfig))?.reason).toBe(
      'encrypted delivery but FEISHU_ENCRYPT_KEY is not set',
    );
  });

  it('refuses everything when no verification token is configured (long-connection only set-ups)', () => {
    const delivery = signFeishuEvent(feishuFixture('bot-added'));
    expect(rejection(verify(delivery, { appId: FIXTURE.appId }))?.status).toBe(401);
  });
});

describe('verifyFeishuDelivery for old card callbacks', () => {
  const card = () =>
    buildLegacyCardCallback({
      openId: 'ou_parent',
      chatId: 'oc_class',
      messageId: 'om_card',
      value: { flow: 'receipt', op: 'ack' },
    });

  it('checks the sha1 signature over the Verification Token and the raw body', () => {
    const delivery = signFeishuEvent(card(), { verificationToken: FIXTURE.verificationToken, timestamp: nowSeconds });
    expect(verify(delivery, plainConfig)).toMatchObject({ ok: true, kind: 'delivery' });
    expect(verify(delivery, encryptedConfig)).toMatchObject({ ok: true, kind: 'delivery' });
  });

  it('does not mistake the c-… card-update token in the body for the Verification Token', () => {
    const payload = feishuFixture('card-legacy');
    expect(payload.token).toMatch(/^c-/);
    const delivery = signFeishuEvent(payload, { verificationToken: FIXTURE.verificationToken, timestamp: nowSeconds });
    expect(verify(delivery, plainConfig)).toEqual({ ok: true, kind: 'delivery', payload });
  });

  it('accepts an encrypted old-format callback signed with the Encrypt Key', () => {
    const payload = feishuFixture('card-legacy');
    const body = JSON.stringify({ encrypt: encryptFeishuPayload(JSON.stringify(payload), ENCRYPT_KEY) });
    const headers = {
      'x-lark-request-timestamp': String(nowSeconds),
      'x-lark-request-nonce': 'n1',
      'x-lark-signature': createHash('sha256').update(`${nowSeconds}n1${ENCRYPT_KEY}${body}`).digest('hex'),
    };
    expect(verify({ body, headers })).toEqual({ ok: true, kind: 'delivery', payload });
  });

  it('refuses a sha1 signature made with another token, or none at all', () => {
    const forged = signFeishuEvent(card(), { verificationToken: 'guess', timestamp: nowSeconds });
    expect(rejection(verify(forged, plainConfig))?.reason).toBe('signature mismatch');
    expect(rejection(verify({ body: JSON.stringify(card()), headers: {} }, plainConfig))?.reason).toBe(
      'missing signature headers',
    );
  });
});

describe('the fake signs and encrypts like Feishu (cross-checked with @larksuiteoapi/node-sdk)', () => {
  it('produces ciphertext the SDK decrypts, and our decryption agrees', () => {
    const delivery = signFeishuEvent(feishuFixture('message-image'), { encryptKey: ENCRYPT_KEY });
    const encrypt = (JSON.parse(delivery.body) as { encrypt: string }).encrypt;
    const bySdk = new lark.AESCipher(ENCRYPT_KEY).decrypt(encrypt);
    expect(JSON.parse(bySdk)).toEqual(feishuFixture('message-image'));
    expect(decryptFeishuBody(encrypt, ENCRYPT_KEY)).toBe(bySdk);
  });

  it('produces a signature the SDK accepts for a compact body', async () => {
    const delivery = signFeishuEvent(feishuFixture('message-image'), {
      encryptKey: ENCRYPT_KEY,
      timestamp: nowSeconds,
    });
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error });
    const seen: unknown[] = [];
    dispatcher.register({ 'im.message.receive_v1': async (data: unknown) => seen.push(data) });
    const data = Object.assign(Object.create({ headers: delivery.headers }), JSON.parse(delivery.body));
    await dispatcher.invoke(data);
    expect(seen).toHaveLength(1);
  });
});
