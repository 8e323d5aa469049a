import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedLinks } from '../../src/http/signed-links.js';
import type { ActionAnswer } from '../../src/model/card.js';
import type { InboundEvent } from '../../src/model/inbound.js';
import type { InboundPipeline } from '../../src/platforms/types.js';
import { wecomConfigFrom } from '../../src/platforms/wecom/config.js';
import { createWecomPlatform } from '../../src/platforms/wecom/index.js';
import {
  type WecomFake,
  encryptBlocks,
  encryptedCallback,
  plaintextOf,
  signedEnvelope,
  startWecomFake,
  toQueryString,
  urlVerificationQuery,
  wecomEncrypt,
} from '../fakes/wecom/index.js';
import { officialVector, wecomFixtureText } from '../fakes/wecom/fixtures.js';
import { RecordingPipeline, recordingLog } from '../fakes/wecom/recording-pipeline.js';
import { waitUntil } from '../fakes/wecom/wait.js';

const TOKEN = 'xiaoanCallbackToken';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const NOW = new Date('2026-05-06T08:00:00Z');
const TS = String(Math.floor(NOW.getTime() / 1000));

let fake: WecomFake;
beforeAll(async () => {
  fake = await startWecomFake();
});
afterAll(async () => {
  await fake.close();
});

function harness(
  options: { answer?: (event: InboundEvent) => ActionAnswer | undefined; pipeline?: InboundPipeline } = {},
) {
  const config = wecomConfigFrom(fake.env({ WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: AES_KEY }));
  if (!config) throw new Error('no config');
  const log = recordingLog();
  const platform = createWecomPlatform(config, {
    links: createSignedLinks('link-secret', 'https://xiaoan.example'),
    log,
    now: () => NOW,
  });
  const recording = new RecordingPipeline(options.answer);
  const pipeline = options.pipeline ?? recording;
  const app = new Hono();
  app.all('/webhooks/wecom', (c) => {
    if (!platform.webhook) throw new Error('webhook not configured');
    return platform.webhook(c, pipeline);
  });
  const secrets = { token: TOKEN, encodingAesKey: AES_KEY, receiveId: fake.corpId };
  const post = (query: Record<string, string>, body: string) =>
    app.request(`/webhooks/wecom?${toQueryString(query)}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/xml' },
    });
  const deliver = (xml: string) => {
    const callback = encryptedCallback(secrets, xml, { timestamp: TS });
    return post(callback.query, callback.body);
  };
  return { app, log, pipeline: recording, secrets, post, deliver };
}

function textXml(msgId: string, content = '三楼东侧楼梯扶手松动') {
  return wecomFixtureText('app-text.xml')
    .replace('7300000000000000001', msgId)
    .replace('三楼东侧楼梯扶手松动', content);
}

describe('URL verification (GET echostr)', () => {
  it('answers the official test vector with the bare plaintext', async () => {
    const v = officialVector();
    const config = wecomConfigFrom({
      WECOM_CORP_ID: v.corpId,
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 's',
      WECOM_TOKEN: v.token,
      WECOM_ENCODING_AES_KEY: v.encodingAesKey,
    });
    const platform = createWecomPlatform(config!, {
      links: createSignedLinks('x', 'https://xiaoan.example'),
      log: recordingLog(),
      now: () => new Date(Number(v.timestamp) * 1000),
    });
    const app = new Hono();
    app.get('/webhooks/wecom', (c) => platform.webhook!(c, new RecordingPipeline()));
    const query = { msg_signature: v.msgSignature, timestamp: v.timestamp, nonce: v.nonce, echostr: v.echostr };

    const response = await app.request(`/webhooks/wecom?${toQueryString(query)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(v.message);

    // WeCom URL-encodes the values; a raw '+' (read as a space) must still work.
    const raw = await app.request(
      `/webhooks/wecom?msg_signature=${v.msgSignature}&timestamp=${v.timestamp}&nonce=${v.nonce}&echostr=${v.echostr}`,
    );
    expect(await raw.text()).toBe(v.message);
  });

  it('verifies a freshly signed echostr for our corp', async () => {
    const { app, secrets } = harness();
    const query = urlVerificationQuery(secrets, 'echo-8812', { timestamp: TS });
    const response = await app.request(`/webhooks/wecom?${toQueryString(query)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('echo-8812');
  });

  it('refuses a forged signature with 401 and logs why without the secrets', async () => {
    const { app, secrets, log } = harness();
    const query = { ...urlVerificationQuery(secrets, 'echo', { timestamp: TS }), msg_signature: 'f'.repeat(40) };
    const response = await app.request(`/webhooks/wecom?${toQueryString(query)}`);
    expect(response.status).toBe(401);
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ reason: 'bad msg_signature' }) }),
    );
    expect(JSON.stringify(log.entries)).not.toContain(TOKEN);
    expect(JSON.stringify(log.entries)).not.toContain(AES_KEY);
  });
});

describe('POST callbacks', () => {
  it('hands a text message to the pipeline and answers an empty 200', async () => {
    const { deliver, pipeline } = harness();
    const response = await deliver(textXml('7300000000000000011'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(pipeline.handled).toMatchObject([
      {
        id: '7300000000000000011',
        platform: 'wecom',
        tenant: `app:${fake.corpId}:${fake.agentId}`,
        kind: 'message',
        chat: { id: 'zhangsan', type: 'direct' },
        actor: { platformUserId: 'zhangsan' },
        text: '三楼东侧楼梯扶手松动',
      },
    ]);
  });

  it('answers a duplicate MsgId (WeCom retrying) with the same 200, handled once by the pipeline key', async () => {
    const { deliver, pipeline } = harness();
    const first = await deliver(textXml('7300000000000000012'));
    const retry = await deliver(textXml('7300000000000000012'));
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(pipeline.events).toHaveLength(2);
    expect(pipeline.handled).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and never reaches the pipeline', async () => {
    const { post, secrets, pipeline } = harness();
    const callback = encryptedCallback({ ...secrets, token: 'attacker-token' }, textXml('7300000000000000013'), {
      timestamp: TS,
    });
    const response = await post(callback.query, callback.body);
    expect(response.status).toBe(401);
    expect(pipeline.events).toHaveLength(0);
  });

  it('refuses a stale timestamp with 401', async () => {
    const { post, secrets } = harness();
    const stale = String(Number(TS) - 3600);
    const callback = encryptedCallback(secrets, textXml('7300000000000000014'), { timestamp: stale });
    expect((await post(callback.query, callback.body)).status).toBe(401);
  });

  describe('bad AES payloads (correctly signed over the bad ciphertext)', () => {
    const sendCipher = async (encrypt: string) => {
      const { post, secrets, pipeline, log } = harness();
      const envelope = signedEnvelope(secrets, encrypt, { timestamp: TS });
      const response = await post(envelope.query, envelope.body);
      return {
        status: response.status,
        pipeline,
        reasons: log.entries.map((e) => (e.obj as { reason?: string }).reason),
      };
    };

    it('wrong padding', async () => {
      const plain = plaintextOf(textXml('7300000000000000015'), fake.corpId);
      const zeroPadded = Buffer.concat([plain, Buffer.alloc(32 - (plain.length % 32), 0)]);
      const result = await sendCipher(encryptBlocks(AES_KEY, zeroPadded));
      expect(result.status).toBe(401);
      expect(result.reasons).toContain('bad PKCS#7 padding');
      expect(result.pipeline.events).toHaveLength(0);
    });

    it('wrong receive id', async () => {
      const result = await sendCipher(wecomEncrypt(AES_KEY, textXml('7300000000000000016'), 'ww_another_corp'));
      expect(result.status).toBe(401);
      expect(result.reasons).toContain('receive id does not match the corp id');
    });

    it('truncated ciphertext', async () => {
      const full = Buffer.from(wecomEncrypt(AES_KEY, textXml('7300000000000000017'), fake.corpId), 'base64');
      const result = await sendCipher(full.subarray(0, full.length - 8).toString('base64'));
      expect(result.status).toBe(401);
      expect(result.reasons).toContain('ciphertext truncated');
    });

    it('encrypted with another key', async () => {
      const result = await sendCipher(
        wecomEncrypt('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', textXml('7'), fake.corpId),
      );
      expect(result.status).toBe(401);
      expect(result.pipeline.events).toHaveLength(0);
    });
  });

  it('rejects XML with a DOCTYPE or entity, in the envelope or in the decrypted message, with 400', async () => {
    const { post, deliver, secrets, pipeline } = harness();
    const callback = encryptedCallback(secrets, textXml('7300000000000000018'), { timestamp: TS });
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>${callback.body}`;
    expect((await post(callback.query, withDoctype)).status).toBe(400);
    const inner = `<!DOCTYPE xml [<!ENTITY lol "lol">]>${textXml('7300000000000000019', '&lol;')}`;
    expect((await deliver(inner)).status).toBe(400);
    expect(pipeline.events).toHaveLength(0);
  });

  it('rejects a body that is not XML, or has no Encrypt, with 400', async () => {
    const { post } = harness();
    const query = { msg_signature: 'x', timestamp: TS, nonce: '1' };
    expect((await post(query, 'not xml at all')).status).toBe(400);
    expect((await post(query, '<xml><ToUserName>ww</ToUserName></xml>')).status).toBe(400);
  });

  it('answers 500 when the pipeline fails, so that WeCom delivers again', async () => {
    const { deliver } = harness({
      pipeline: {
        handle: () => Promise.reject(new Error('database down')),
      },
    });
    expect((await deliver(textXml('7300000000000000020'))).status).toBe(500);
  });
});

describe('template_card_event', () => {
  const clickXml = (responseCode: string, taskId: string, createTime: string) =>
    wecomFixtureText('app-template-card-event.xml')
      .replace('rc-0001', responseCode)
      .replace(/xa_task_0001/g, taskId)
      .replace('1700000100', createTime);

  it('becomes an action event; the answer card is applied with update_template_card and the response code', async () => {
    const answer: ActionAnswer = {
      toast: { type: 'success', text: '已确认' },
      card: {
        title: '防溺水安全告知书回执',
        tone: 'success',
        blocks: [{ type: 'markdown', text: '您已确认，谢谢！' }],
        buttons: [
          {
            id: 'undo',
            label: '撤回确认',
            style: 'default',
            value: { flow: 'receipt', op: 'undo', receiptId: 'r-42' },
          },
        ],
      },
    };
    const { deliver, pipeline } = harness({ answer: () => answer });
    const code = fake.issueResponseCode();
    const response = await deliver(clickXml(code, 'xa_task_click_1', '1700000101'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(pipeline.handled).toMatchObject([
      {
        id: 'lisi:1700000101:xa_task_click_1',
        kind: 'action',
        actor: { platformUserId: 'lisi' },
        action: { value: { flow: 'receipt', op: 'confirm', receiptId: 'r-42' }, messageId: 'xa_task_click_1' },
      },
    ]);
    await waitUntil(() => fake.updates.some((u) => u.response_code === code), 5_000, 'the card update');
    expect(fake.updates.find((u) => u.response_code === code)).toMatchObject({
      userids: ['lisi'],
      agentid: fake.agentId,
      template_card: {
        card_type: 'button_interaction',
        task_id: 'xa_task_click_1',
        main_title: { title: '防溺水安全告知书回执' },
      },
    });
  });

  it('greys the clicked button with the toast text when the answer has no card', async () => {
    const { deliver } = harness({ answer: () => ({ toast: { type: 'success', text: '已确认' } }) });
    const code = fake.issueResponseCode();
    await deliver(clickXml(code, 'xa_task_click_2', '1700000102'));
    await waitUntil(() => fake.updates.some((u) => u.response_code === code), 5_000, 'the button update');
    expect(fake.updates.find((u) => u.response_code === code)).toMatchObject({ button: { replace_name: '已确认' } });
  });

  it('does not spend the response code again when WeCom repeats the click', async () => {
    const { deliver, pipeline } = harness({ answer: () => ({ toast: { type: 'success', text: '已确认' } }) });
    const code = fake.issueResponseCode();
    await deliver(clickXml(code, 'xa_task_click_3', '1700000103'));
    await waitUntil(() => fake.updates.some((u) => u.response_code === code));
    await deliver(clickXml(code, 'xa_task_click_3', '1700000103'));
    expect(pipeline.handled).toHaveLength(1);
    const calls = fake.calls.filter((c) => c.api === 'update_template_card' && c.body.response_code === code);
    expect(calls).toHaveLength(1);
  });
});
