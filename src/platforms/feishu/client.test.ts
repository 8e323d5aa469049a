import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeishuFake, type FeishuFakeOptions, startFeishuFake } from '../../../test/fakes/feishu/server.js';
import { createFeishuClient, type FeishuClient, feishuUuid } from './client.js';

const CHAT = 'oc_staff_group';
const text = (value: string) => ({ msgType: 'text', content: JSON.stringify({ text: value }) });

let fake: FeishuFake;
let clock: number;
let client: FeishuClient;

async function setUp(options: FeishuFakeOptions = {}, fetchWrapper?: typeof fetch) {
  await fake?.close();
  clock = Date.parse('2026-05-11T08:00:00Z');
  fake = await startFeishuFake({ now: () => clock, chats: [CHAT, 'oc_other'], ...options });
  client = createFeishuClient({
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.baseUrl,
    now: () => clock,
    ...(fetchWrapper ? { fetch: fetchWrapper } : {}),
  });
}

beforeEach(() => setUp());
afterEach(() => fake.close());

describe('tenant_access_token', () => {
  it('fetches one token per client and reuses it', async () => {
    for (let i = 0; i < 3; i++) expect((await client.sendMessage('chat_id', CHAT, text(`m${i}`))).ok).toBe(true);
    expect(fake.tokensIssued()).toBe(1);
    const other = createFeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.baseUrl });
    expect((await other.botInfo()).ok).toBe(true);
    expect(fake.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal'))).toHaveLength(2);
  });

  it('refreshes before the token expires', async () => {
    await client.sendMessage('chat_id', CHAT, text('a'));
    clock += 7200_000 - 179_000;
    expect((await client.sendMessage('chat_id', CHAT, text('b'))).ok).toBe(true);
    expect(fake.tokensIssued()).toBe(2);
  });

  it('refreshes and retries once when Feishu calls the token invalid', async () => {
    await client.sendMessage('chat_id', CHAT, text('a'));
    fake.revokeTokens();
    const result = await client.sendMessage('chat_id', CHAT, text('b'));
    expect(result.ok).toBe(true);
    expect(fake.tokensIssued()).toBe(2);
    expect(fake.sent.map((m) => JSON.parse(m.content).text)).toEqual(['a', 'b']);
  });

  it('gives up after the one retry', async () => {
    await setUp({}, (input, init) => {
      if (String(input).includes('/im/v1/messages')) fake.revokeTokens();
      return fetch(input, init);
    });
    const result = await client.sendMessage('chat_id', CHAT, text('a'));
    expect(result).toMatchObject({ ok: false, kind: 'transient', code: 99991663 });
    expect(fake.tokensIssued()).toBe(2);
  });

  it('reports wrong app credentials as permanent', async () => {
    const wrong = createFeishuClient({ appId: fake.appId, appSecret: 'nope', baseUrl: fake.baseUrl });
    expect(await wrong.sendMessage('chat_id', CHAT, text('a'))).toMatchObject({
      ok: false,
      kind: 'permanent',
      code: 10014,
      error: expect.stringContaining('tenant_access_token'),
    });
  });
});

describe('sending', () => {
  it('creates messages in a chat or to a user', async () => {
    const result = await client.sendMessage('chat_id', CHAT, text('你好'));
    expect(result).toEqual({ ok: true, data: expect.objectContaining({ message_id: expect.stringMatching(/^om_/) }) });
    await client.sendMessage('open_id', 'ou_principal', text('私聊'));
    expect(fake.messagesIn(CHAT)).toHaveLength(1);
    expect(fake.sent[1]).toMatchObject({ receive_id_type: 'open_id', receive_id: 'ou_principal' });
  });

  it('sends the idempotency key as uuid: the same key within an hour yields the same message', async () => {
    const first = await client.sendMessage('chat_id', CHAT, {
      ...text('提醒'),
      idempotencyKey: 'nag:hazard:7:2026-05-11',
    });
    const again = await client.sendMessage('chat_id', CHAT, {
      ...text('提醒'),
      idempotencyKey: 'nag:hazard:7:2026-05-11',
    });
    const other = await client.sendMessage('chat_id', CHAT, {
      ...text('提醒'),
      idempotencyKey: 'nag:hazard:8:2026-05-11',
    });
    expect(first.ok && again.ok && first.data.message_id === again.data.message_id).toBe(true);
    expect(other.ok && first.ok && other.data.message_id !== first.data.message_id).toBe(true);
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[0]?.uuid).toBe(feishuUuid('nag:hazard:7:2026-05-11'));
    clock += 61 * 60_000;
    await client.sendMessage('chat_id', CHAT, { ...text('提醒'), idempotencyKey: 'nag:hazard:7:2026-05-11' });
    expect(fake.sent).toHaveLength(3);
  });

  it('keeps uuids within 50 characters whatever the key', () => {
    expect(feishuUuid('x'.repeat(500))).toHaveLength(43);
    expect(feishuUuid('a')).not.toBe(feishuUuid('b'));
  });

  it('replies to a message and patches its own card', async () => {
    fake.addInboundMessage('om_teacher_msg', CHAT);
    const reply = await client.replyMessage('om_teacher_msg', text('收到'));
    expect(reply.ok).toBe(true);
    expect(fake.sent[0]).toMatchObject({ parent_id: 'om_teacher_msg', chat_id: CHAT });
    const card = {
      schema: '2.0',
      config: { update_multi: true },
      body: { elements: [{ tag: 'markdown', content: 'v1' }] },
    };
    const sent = await client.sendMessage('chat_id', CHAT, { msgType: 'interactive', content: JSON.stringify(card) });
    if (!sent.ok) throw new Error(sent.error);
    const updated = { ...card, body: { elements: [{ tag: 'markdown', content: 'v2' }] } };
    expect((await client.updateCard(sent.data.message_id, JSON.stringify(updated))).ok).toBe(true);
    expect(fake.patches).toEqual([{ messageId: sent.data.message_id, content: JSON.stringify(updated) }]);
  });

  it('maps business errors to permanent failures with the Feishu code and message', async () => {
    expect(await client.sendMessage('chat_id', 'oc_not_a_member', text('x'))).toEqual({
      ok: false,
      kind: 'permanent',
      code: 230002,
      error: 'feishu HTTP 400 code 230002: Bot/User can NOT be out of the chat.',
    });
    const badCard = { schema: '2.0', body: { elements: [{ tag: 'note', elements: [] }] } };
    expect(
      await client.sendMessage('chat_id', CHAT, { msgType: 'interactive', content: JSON.stringify(badCard) }),
    ).toMatchObject({ ok: false, kind: 'permanent', code: 230099 });
  });

  it('maps 5xx and network failures to transient', async () => {
    fake.failNextSends({ status: 503, code: 1, msg: 'system busy' });
    expect(await client.sendMessage('chat_id', CHAT, text('x'))).toMatchObject({
      ok: false,
      kind: 'transient',
      code: 1,
    });
    const offline = createFeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: 'http://127.0.0.1:9' });
    expect(await offline.sendMessage('chat_id', CHAT, text('x'))).toMatchObject({ ok: false, kind: 'transient' });
  });
});

describe('rate limits', () => {
  it('maps the gateway 429 / 99991400 to rate_limited with x-ogw-ratelimit-reset', async () => {
    fake.failNextSends({ status: 429, code: 99991400, msg: 'request trigger frequency limit', resetSeconds: 7 });
    expect(await client.sendMessage('chat_id', CHAT, text('x'))).toEqual({
      ok: false,
      kind: 'rate_limited',
      code: 99991400,
      retryAfterMs: 7000,
      error: 'feishu HTTP 429 code 99991400: request trigger frequency limit',
    });
  });

  it('is throttled by the fake when the per-app limit is exceeded', async () => {
    await setUp({ limits: { appPerSecond: 3 } });
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push(await client.sendMessage('chat_id', i % 2 ? CHAT : 'oc_other', text(`${i}`)));
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
    expect(results[3]).toMatchObject({ ok: false, kind: 'rate_limited', code: 99991400, retryAfterMs: 1000 });
    clock += 1001;
    expect((await client.sendMessage('chat_id', CHAT, text('later'))).ok).toBe(true);
  });

  it('maps the per-chat limit 230020 to rate_limited', async () => {
    for (let i = 0; i < 5; i++) expect((await client.sendMessage('chat_id', CHAT, text(`${i}`))).ok).toBe(true);
    expect(await client.sendMessage('chat_id', CHAT, text('6th'))).toMatchObject({
      ok: false,
      kind: 'rate_limited',
      code: 230020,
      retryAfterMs: 1000,
    });
    expect((await client.sendMessage('chat_id', 'oc_other', text('elsewhere'))).ok).toBe(true);
  });
});

describe('urgent, resources and bot info', () => {
  it('sends urgent_app for open_ids and reports unknown users', async () => {
    await setUp({ users: ['ou_principal'] });
    const sent = await client.sendMessage('chat_id', CHAT, text('逾期隐患'));
    if (!sent.ok) throw new Error(sent.error);
    const result = await client.urgent('app', sent.data.message_id, ['ou_principal', 'ou_ghost']);
    expect(result).toEqual({ ok: true, data: { invalid_user_id_list: ['ou_ghost'] } });
    expect(fake.urgents).toEqual([{ messageId: sent.data.message_id, kind: 'app', userIds: ['ou_principal'] }]);
    const query = fake.requests.find((r) => r.path.endsWith('/urgent_app'));
    expect(query?.status).toBe(200);
  });

  it('calls the paid urgent kinds only when asked, and never on messages the bot did not send', async () => {
    const sent = await client.sendMessage('chat_id', CHAT, text('x'));
    if (!sent.ok) throw new Error(sent.error);
    await client.urgent('sms', sent.data.message_id, ['ou_a']);
    expect(fake.urgents.map((u) => u.kind)).toEqual(['sms']);
    fake.addInboundMessage('om_user', CHAT);
    expect(await client.urgent('app', 'om_user', ['ou_a'])).toMatchObject({ ok: false, kind: 'permanent' });
  });

  it('downloads a message image with its content type', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    fake.addInboundMessage('om_photo', CHAT);
    fake.addResource('om_photo', 'img_v3_1', bytes, 'image/png');
    const result = await client.downloadResource('om_photo', 'img_v3_1', 'image');
    expect(result).toEqual({ ok: true, data: { bytes, contentType: 'image/png' } });
    expect(await client.downloadResource('om_photo', 'img_other', 'image')).toMatchObject({
      ok: false,
      kind: 'permanent',
      code: 234003,
    });
  });

  it('reads the bot identity from the top-level bot object and caches the open_id', async () => {
    expect(await client.botInfo()).toEqual({ ok: true, data: { open_id: fake.botOpenId, app_name: '校安' } });
    const before = fake.requests.filter((r) => r.path === '/open-apis/bot/v3/info').length;
    const ids = await Promise.all([client.botOpenId(), client.botOpenId(), client.botOpenId()]);
    expect(ids).toEqual([fake.botOpenId, fake.botOpenId, fake.botOpenId]);
    expect(await client.botOpenId()).toBe(fake.botOpenId);
    expect(fake.requests.filter((r) => r.path === '/open-apis/bot/v3/info').length - before).toBe(1);
  });
});
