import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { bindChat } from '../../src/db/repos/org.js';
import { outbox } from '../../src/db/schema.js';
import { viewCard } from '../fakes/feishu/card-view.js';
import { startFeishuE2E } from './harness.js';

const GROUPS = 500;
const chatId = (index: number) => `oc_e2e_staff_${String(index).padStart(3, '0')}`;
const TEACHER = 'ou_e2e_teacher_fan';
/**
 * The dispatcher loop's rounds run a second apart on the shared clock: each round may send what the app
 * bucket refilled in that second, so sending too fast shows as finishing early.
 */
const ROUND_MS = 1000;

describe('Feishu end to end: a 500-group fan-out within the published limits, and throttled sends retried', async () => {
  // Wednesday 2026-06-10 07:50 in Shanghai: 一日一醒 is due in every staff group.
  const e2e = await startFeishuE2E({ start: '2026-06-09T23:50:00Z' });
  afterAll(() => e2e.close());
  await e2e.database.db.transaction(async (tx) => {
    for (let index = 0; index < GROUPS; index++) {
      await bindChat(tx, {
        platform: 'feishu',
        tenant: e2e.tenant,
        chatId: chatId(index),
        schoolId: e2e.schoolId,
        classId: null,
        kind: 'staff',
      });
    }
  });

  const throttled = () => e2e.fake.requests.filter((request) => request.status === 429 || request.code === 230020);
  const creates = () =>
    e2e.fake.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/open-apis/im/v1/'));
  const rowsFor = (chat: string) =>
    e2e.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.platform, 'feishu'), eq(outbox.chatId, chat)));

  it("the scheduler's 一日一醒 reaches all 500 Feishu staff groups without one throttle answer", async () => {
    const started = e2e.clock.now().getTime();
    const summary = await e2e.runtime.tick(e2e.clock.now());
    expect(summary.rules.daily_check?.enqueued).toBe(1);
    expect((await e2e.feishuOutbox()).filter((row) => row.status === 'pending')).toHaveLength(GROUPS);

    for (let round = 0; round < 200 && e2e.fake.sent.length < GROUPS; round++) {
      await e2e.runtime.dispatcher.runOnce();
      e2e.clock.advance(ROUND_MS);
    }

    expect(throttled()).toEqual([]);
    expect(new Set(e2e.fake.sent.map((message) => message.chat_id))).toEqual(
      new Set(Array.from({ length: GROUPS }, (_, index) => chatId(index))),
    );
    expect(e2e.fake.sent.every((message) => viewCard(message.content).title.startsWith('一日一醒'))).toBe(true);
    expect((await e2e.feishuOutbox()).every((row) => row.status === 'sent')).toBe(true);
    // Paced at the app's 50/s and 1000/min: never more than 45 sends in any second, so it takes over 30 s.
    const times = creates().map((request) => request.at);
    const busiestSecond = Math.max(...times.map((at) => times.filter((t) => t >= at && t < at + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(45);
    expect(Math.max(...times) - started).toBeGreaterThan(30_000);
  }, 120_000);

  it('a send Feishu throttles with 429 and x-ogw-ratelimit-reset is sent again after the reset, once', async () => {
    e2e.fake.failNextSends({ status: 429, code: 99991400, msg: 'request trigger frequency limit', resetSeconds: 2 });
    const asked = await e2e.push.message({ chatId: chatId(7), senderOpenId: TEACHER, atBot: true, text: '帮助' });
    expect(asked.status).toBe(200);
    const repliesTo = () => e2e.fake.sent.filter((message) => message.parent_id === asked.messageId);

    await e2e.runtime.dispatcher.drain();
    expect(throttled()).toHaveLength(1);
    expect(repliesTo()).toEqual([]);
    const [held] = (await rowsFor(chatId(7))).filter((row) => row.replyTo === asked.messageId);
    expect(held).toMatchObject({ status: 'pending', attempts: 0, lastError: expect.stringContaining('rate limited') });
    expect(held!.nextAttemptAt.getTime() - e2e.clock.now().getTime()).toBe(2000);

    e2e.clock.advance(1999);
    await e2e.runtime.dispatcher.drain();
    expect(repliesTo()).toEqual([]);
    e2e.clock.advance(1);
    await e2e.runtime.dispatcher.drain();
    expect(repliesTo()).toHaveLength(1);
    expect(throttled()).toHaveLength(1);
  });

  it('the per-chat limit (HTTP 400, 230020) holds the message a second and then delivers it', async () => {
    e2e.fake.failNextSends({ status: 400, code: 230020, msg: 'This operation triggers the frequency limit.' });
    const asked = await e2e.push.message({ chatId: chatId(8), senderOpenId: TEACHER, atBot: true, text: '帮助' });
    await e2e.runtime.dispatcher.drain();
    expect(e2e.fake.sent.filter((message) => message.parent_id === asked.messageId)).toEqual([]);
    expect(throttled()).toHaveLength(2);
    await e2e.deliverOutbox();
    expect(e2e.fake.sent.filter((message) => message.parent_id === asked.messageId)).toHaveLength(1);
    const [row] = (await rowsFor(chatId(8))).filter((candidate) => candidate.replyTo === asked.messageId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
