import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DingtalkClient } from '../../src/platforms/dingtalk/client.js';
import { type DingtalkConfig, dingtalkConfigFrom } from '../../src/platforms/dingtalk/config.js';
import { type DingtalkFake, startDingtalkFake } from '../fakes/dingtalk/server.js';
import { memoryLog } from './helpers.js';

const text = (content: string) => ({ msgKey: 'sampleText', msgParam: JSON.stringify({ content }) });

describe('DingtalkClient against the fake', () => {
  let fake: DingtalkFake;
  let config: DingtalkConfig;
  let clock: number;
  let client: DingtalkClient;

  beforeEach(async () => {
    fake = await startDingtalkFake({ qpsPerApi: 40 });
    config = dingtalkConfigFrom(fake.env())!;
    clock = Date.now();
    client = new DingtalkClient({ config, log: memoryLog(), now: () => new Date(clock) });
  });
  afterEach(() => fake.close());

  it('fetches one access token and reuses it until shortly before it expires', async () => {
    expect((await client.sendGroupMessage('cidSTAFFgroup0001==', text('一'))).ok).toBe(true);
    expect((await client.sendGroupMessage('cidSTAFFgroup0001==', text('二'))).ok).toBe(true);
    expect(fake.tokenRequests).toBe(1);
    clock += 7200_000 - 4 * 60_000;
    expect((await client.sendGroupMessage('cidSTAFFgroup0001==', text('三'))).ok).toBe(true);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent.map((m) => m.msgParam?.content)).toEqual(['一', '二', '三']);
  });

  it('shares one token request between concurrent calls', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((n) => client.sendGroupMessage('cidSTAFFgroup0001==', text(`并发${n}`))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.tokenRequests).toBe(1);
  });

  it('refreshes a refused token and retries once', async () => {
    await client.sendGroupMessage('cidSTAFFgroup0001==', text('先拿到令牌'));
    fake.revokeTokens();
    const result = await client.sendGroupMessage('cidSTAFFgroup0001==', text('令牌失效后'));
    expect(result.ok).toBe(true);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent).toHaveLength(2);
  });

  it('gives up after one refresh when the fresh token is refused too', async () => {
    const refused = { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'r' };
    fake.failNext('groupMessages/send', 401, refused);
    fake.failNext('groupMessages/send', 401, refused);
    const result = await client.sendGroupMessage('cidSTAFFgroup0001==', text('x'));
    expect(result).toMatchObject({ ok: false, kind: 'transient' });
    expect(result.ok || 'tokenInvalid' in result).toBe(false);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent).toEqual([]);
  });

  it('reports bad credentials as permanent', async () => {
    const wrong = new DingtalkClient({ config: { ...config, clientSecret: 'wrong' }, log: memoryLog() });
    expect(await wrong.sendGroupMessage('cidSTAFFgroup0001==', text('x'))).toMatchObject({
      ok: false,
      kind: 'permanent',
    });
  });

  it('maps the per-API QPS limit to rate_limited', async () => {
    await fake.close();
    fake = await startDingtalkFake({ qpsPerApi: 2 });
    client = new DingtalkClient({ config: dingtalkConfigFrom(fake.env())!, log: memoryLog() });
    const results = await Promise.all(
      [1, 2, 3].map((n) => client.sendGroupMessage('cidSTAFFgroup0001==', text(`${n}`))),
    );
    const throttled = results.filter((r) => !r.ok);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(fake.sent).toHaveLength(2);
  });

  it('maps the legacy envelope (HTTP 200 + errcode) and throttle codes to rate_limited', async () => {
    fake.failNext('groupMessages/send', 200, { errcode: 90018, errmsg: '应用调用接口QPS超限' });
    expect(await client.sendGroupMessage('cidSTAFFgroup0001==', text('x'))).toMatchObject({
      ok: false,
      kind: 'rate_limited',
      retryAfterMs: 1000,
    });
    fake.failNext('oToMessages/batchSend', 400, { code: 'send.too.fast', message: '发送太快', requestid: 'r' });
    expect(await client.sendToUsers(['staff-li'], text('x'))).toMatchObject({ ok: false, kind: 'rate_limited' });
  });

  it('reports a group without the robot as permanent and server errors as transient', async () => {
    expect(await client.sendGroupMessage('not-a-group', text('x'))).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('invalidParameter.robotCode.notExsit'),
    });
    fake.failNext('groupMessages/send', 500, { code: 'system.error', message: '系统错误', requestid: 'r' });
    expect(await client.sendGroupMessage('cidSTAFFgroup0001==', text('x'))).toMatchObject({
      ok: false,
      kind: 'transient',
    });
  });

  it('reports an unreachable server as transient', async () => {
    const offline = new DingtalkClient({ config: { ...config, apiBaseUrl: 'http://127.0.0.1:9' }, log: memoryLog() });
    expect(await offline.sendGroupMessage('cidSTAFFgroup0001==', text('x'))).toMatchObject({
      ok: false,
      kind: 'transient',
    });
  });

  it('downloads a received picture through its downloadCode', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addFile('mIofN681YE3f0dcode', bytes, 'image/jpeg');
    const result = await client.downloadFile('mIofN681YE3f0dcode');
    if (!result.ok) throw new Error(result.error);
    expect(Array.from(result.data.bytes)).toEqual(Array.from(bytes));
    expect(result.data.contentType).toBe('image/jpeg');
    expect(await client.downloadFile('unknown-code')).toMatchObject({ ok: false, kind: 'permanent' });
  });

  it('posts to a sessionWebhook only on the DingTalk API host', async () => {
    const session = fake.createSession('cidSTAFFgroup0001==', Date.now() + 60_000);
    expect((await client.sendBySession(session.url, { msgtype: 'text', text: { content: '好的' } })).ok).toBe(true);
    const elsewhere = await client.sendBySession('http://127.0.0.1:1/robot/sendBySession?session=x', {
      msgtype: 'text',
    });
    expect(elsewhere).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('not the DingTalk API host'),
    });
    expect(fake.sent.map((m) => m.api)).toEqual(['session']);
  });

  it('reads an expired sessionWebhook answer (HTTP 200 + errcode) as a refusal', async () => {
    const session = fake.createSession('cidSTAFFgroup0001==', Date.now() - 1);
    expect(await client.sendBySession(session.url, { msgtype: 'text', text: { content: '迟到' } })).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('errcode 300001'),
    });
  });

  it('does not take a non-DingTalk answer from the sessionWebhook host for a success', async () => {
    const session = fake.createSession('cidSTAFFgroup0001==', Date.now() + 60_000);
    const proxied = new DingtalkClient({
      config,
      log: memoryLog(),
      fetch: async () =>
        new Response('<html>gateway</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    });
    expect(await proxied.sendBySession(session.url, { msgtype: 'text', text: { content: 'x' } })).toMatchObject({
      ok: false,
      kind: 'transient',
    });
  });
});
