import { createHash } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { inboundEvents } from '../../src/db/schema.js';
import { createFeishuWsTransport } from '../../src/platforms/feishu/transport-ws.js';
import { buttonLabelled, viewCard } from '../fakes/feishu/card-view.js';
import { encryptFeishuPayload, signedChallenge } from '../fakes/feishu/events.js';
import { ENCRYPT_KEY, startFeishuE2E, VERIFICATION_TOKEN } from './harness.js';

const STAFF = 'oc_e2e_staff';
const TEACHER = 'ou_e2e_teacher_lu';
const HELP_TITLE = '校安 · 我能做什么';

describe('Feishu end to end: what reaches /webhooks/feishu, and what the long connection feeds', async () => {
  // Wednesday 2026-06-10 10:00 in Shanghai.
  const e2e = await startFeishuE2E({ start: '2026-06-10T02:00:00Z' });
  afterAll(() => e2e.close());
  await e2e.bindChat(STAFF, 'staff');
  await e2e.addPerson(TEACHER, '陆老师', [{ role: 'teacher' }]);

  const recordedEvents = async () =>
    Number(
      (await e2e.database.db.select({ n: count() }).from(inboundEvents).where(eq(inboundEvents.platform, 'feishu')))[0]
        ?.n,
    );
  const helpPayload = () =>
    e2e.push.messagePayload({ chatId: STAFF, senderOpenId: TEACHER, atBot: true, text: '帮助' });
  const dedupeHits = async () =>
    Number(/xiaoan_dedupe_hits_total\{platform="feishu"\} (\d+)/.exec(await e2e.runtime.metrics.render())?.[1] ?? 0);
  /** Headers signed exactly as Feishu signs, over any body. */
  const signRaw = (body: string, secret = ENCRYPT_KEY) => {
    const timestamp = String(Math.floor(e2e.clock.now().getTime() / 1000));
    const nonce = 'e2e-nonce';
    const signature = createHash('sha256')
      .update(timestamp + nonce + secret + body)
      .digest('hex');
    return {
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': signature,
      },
    };
  };
  const rejections = () => e2e.logs.filter((line) => line.msg === 'feishu webhook rejected').map((line) => line.obj);

  /** A delivery refused before the pipeline: nothing recorded, nothing sent, and the reason logged. */
  async function expectRefused(
    delivery: { body: string; headers: Record<string, string> },
    status: 400 | 401,
    reason: string,
  ) {
    const events = await recordedEvents();
    const sent = e2e.fake.sent.length;
    const logged = rejections().length;
    const response = await e2e.push.post(delivery);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).not.toContain(VERIFICATION_TOKEN);
    await e2e.deliverOutbox();
    expect(await recordedEvents()).toBe(events);
    expect(e2e.fake.sent.length).toBe(sent);
    expect(rejections().slice(logged)).toEqual([{ status, reason }]);
  }

  it('answers the encrypted URL challenge, which carries no signature', async () => {
    const challenge = signedChallenge({ verificationToken: VERIFICATION_TOKEN, encryptKey: ENCRYPT_KEY });
    expect(JSON.parse(challenge.body)).toEqual({ encrypt: expect.any(String) });
    const response = await e2e.push.post(challenge);
    expect(response).toMatchObject({ status: 200, body: { challenge: challenge.challenge } });
  });

  it('a genuine encrypted, signed event is answered once', async () => {
    const genuine = helpPayload();
    const delivery = e2e.push.sign(genuine);
    expect(Object.keys(JSON.parse(delivery.body))).toEqual(['encrypt']);
    e2e.fake.addInboundMessage(genuine.event.message.message_id, STAFF);
    expect(await e2e.push.post(delivery)).toMatchObject({ status: 200, body: {} });
    await e2e.deliverOutbox();
    const replies = e2e.fake.sent.filter((message) => message.parent_id === genuine.event.message.message_id);
    expect(replies.map((reply) => viewCard(reply.content).title)).toEqual([HELP_TITLE]);
  });

  it('refuses a forged signature and a body swapped under a genuine signature', async () => {
    const forged = e2e.push.sign(helpPayload());
    await expectRefused(signRaw(forged.body, 'a-guessed-key'), 401, 'signature mismatch');

    const swapped = { encrypt: encryptFeishuPayload(JSON.stringify(helpPayload()), ENCRYPT_KEY) };
    await expectRefused({ ...forged, body: JSON.stringify(swapped) }, 401, 'signature mismatch');
  });

  it('refuses an event with the wrong verification token even when encrypted and signed with the key', async () => {
    const payload = helpPayload();
    payload.header.token = 'not-the-verification-token';
    await expectRefused(e2e.push.sign(payload), 401, 'verification token mismatch');
  });

  it('refuses stale and future timestamps, and an encrypted event without signature headers', async () => {
    const now = Math.floor(e2e.clock.now().getTime() / 1000);
    const reason = 'timestamp outside the accepted window';
    await expectRefused(e2e.push.sign(helpPayload(), { timestamp: now - 10 * 60 }), 401, reason);
    await expectRefused(e2e.push.sign(helpPayload(), { timestamp: now + 10 * 60 }), 401, reason);

    const unsigned = e2e.push.sign(helpPayload());
    await expectRefused(
      { body: unsigned.body, headers: { 'content-type': 'application/json; charset=utf-8' } },
      401,
      'missing signature headers',
    );
  });

  it('refuses garbage: not JSON, ciphertext that does not decrypt, an event that does not parse', async () => {
    await expectRefused(signRaw('<xml>hello</xml>'), 400, 'body is not a JSON object');
    const junk = JSON.stringify({ encrypt: Buffer.from('sixteen byte iv!and some junk...').toString('base64') });
    await expectRefused(signRaw(junk), 401, 'encrypted body does not decrypt with FEISHU_ENCRYPT_KEY');

    const events = await recordedEvents();
    const broken = helpPayload() as { event: Record<string, unknown> };
    delete broken.event.message;
    const response = await e2e.push.post(e2e.push.sign(broken));
    expect(response.status).toBe(400);
    expect(await recordedEvents()).toBe(events);
  });

  it('answers a redelivered event (same event_id) and the same message under a new event_id once', async () => {
    const first = await e2e.push.message({ chatId: STAFF, senderOpenId: TEACHER, atBot: true, text: '帮助' });
    expect(first.status).toBe(200);
    const hits = await dedupeHits();
    const payload = helpPayload();
    payload.header.event_id = first.eventId;
    payload.event.message.message_id = first.messageId;
    // Feishu's retry: same event, freshly signed with a new timestamp and nonce.
    e2e.clock.advance(15_000);
    expect(await e2e.push.post(e2e.push.sign(payload))).toMatchObject({ status: 200, body: {} });
    // The same message delivered again as a new event.
    payload.header.event_id = 'e2e-new-event-id-for-the-same-message';
    expect(await e2e.push.post(e2e.push.sign(payload))).toMatchObject({ status: 200, body: {} });

    expect(await dedupeHits()).toBe(hits + 2);
    await e2e.deliverOutbox();
    expect(e2e.fake.sent.filter((message) => message.parent_id === first.messageId)).toHaveLength(1);
  });

  it('answers a replayed card callback (same event_id) with nothing and changes nothing', async () => {
    const help = e2e.fake.sent.find((message) => viewCard(message.content).title === HELP_TITLE)!;
    const button = buttonLabelled(viewCard(help.content), '再看一遍');
    const tap = await e2e.push.tap({ operatorOpenId: TEACHER, messageId: help.message_id, button });
    expect(tap.toast).toEqual({ type: 'info', content: '已刷新' });
    const redraws = e2e.fake.redraws.length;
    const hits = await dedupeHits();

    e2e.clock.advance(1000);
    const replay = await e2e.push.tap({
      operatorOpenId: TEACHER,
      messageId: help.message_id,
      button,
      eventId: tap.eventId,
    });
    expect(replay).toMatchObject({ status: 200, body: {} });
    expect(replay.clientError).toBeUndefined();
    expect(e2e.fake.redraws.length).toBe(redraws);
    expect(await dedupeHits()).toBe(hits + 1);
  });

  it('over the long connection (FEISHU_TRANSPORT=ws) an event reaches the pipeline and is answered at the fake', async () => {
    const transport = createFeishuWsTransport(
      { ...e2e.feishu.config, transport: 'ws' },
      { links: e2e.runtime.links, log: { debug() {}, info() {}, warn() {}, error() {} }, now: e2e.clock.now },
    );
    await transport.start(e2e.runtime.pipeline);
    try {
      await e2e.fake.ws.waitForConnection();
      const payload = helpPayload();
      e2e.fake.addInboundMessage(payload.event.message.message_id, STAFF);
      const ack = await e2e.fake.ws.push(payload, { fragments: 2 });
      expect(ack.code).toBe(200);
      await e2e.deliverOutbox();
      const replies = e2e.fake.sent.filter((message) => message.parent_id === payload.event.message.message_id);
      expect(replies.map((reply) => viewCard(reply.content).title)).toEqual([HELP_TITLE]);
      expect((await e2e.fake.ws.push(payload)).code).toBe(200);
      await e2e.deliverOutbox();
      expect(e2e.fake.sent.filter((message) => message.parent_id === payload.event.message.message_id)).toHaveLength(1);
    } finally {
      await transport.stop();
    }
  });
});
