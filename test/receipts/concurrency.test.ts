import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPhone } from '../../src/db/repos/seed-demo-roster.js';
import { bindingAttempts, receipts } from '../../src/db/schema.js';
import type { ActionValue } from '../../src/model/card.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { receiptDriver, sandboxParent } from './helpers.js';

/**
 * Double taps at scale: both parents of eight pupils tapping three times each, all at once, together with
 * the same families submitting the H5 page — exactly one receipt per pupil, no failed request. Meaningful
 * on PostgreSQL (DATABASE_URL), where the requests really run in parallel on a pool.
 */
describe('concurrent confirmations', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-01T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now, clientAddressHeader: 'x-real-ip' });
  afterAll(() => database.close());
  const sandbox = receiptDriver(runtime, database);

  await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月30日');
  const card = (await sandbox.botMessages('parents-1')).find((m) => m.card)!.card!;
  const confirm = card.buttons.find((b) => b.id === 'receipt-confirm')!.value!;
  const pagePath = new URL(card.buttons.find((b) => b.id === 'receipt-read')!.url!).pathname;
  const pupils = [2, 3, 4, 5, 6, 7, 8, 9];
  for (const index of pupils) {
    await sandboxParent(database, `dad-${index}`, `爸爸${index}`, demoPhone(1, index, false));
    await sandboxParent(database, `mum-${index}`, `妈妈${index}`, demoPhone(1, index, true));
  }

  let sequence = 0;
  const tap = (user: string, value: ActionValue, form?: Record<string, string>) =>
    runtime.pipeline.handle({
      id: `concurrent-${sequence++}`,
      platform: 'sandbox',
      tenant: '',
      kind: 'action',
      chat: { id: 'parents-1', type: 'group' },
      actor: { platformUserId: user, name: user },
      text: '',
      mentionsBot: false,
      attachments: [],
      action: { value: value, ...(form ? { form } : {}) },
      receivedAt: clock.now(),
      raw: {},
    });
  const h5 = async (studentName: string, phoneDigits: string, ip: string): Promise<Response> =>
    runtime.app.request(pagePath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': ip },
      body: new URLSearchParams({ studentName, phoneDigits }).toString(),
    });

  it('records exactly one receipt per pupil under a burst of double taps on both channels', async () => {
    const names = ['', '', '王一鸣', '陈思远', '赵雨涵', '周子轩', '吴欣怡', '郑浩然', '冯佳琪', '何俊熙'];
    const burst: Promise<{ channel: string; text: string }>[] = [];
    for (let round = 0; round < 3; round++) {
      for (const index of pupils) {
        for (const user of [`dad-${index}`, `mum-${index}`]) {
          burst.push(tap(user, confirm).then((r) => ({ channel: 'card', text: r.answer?.toast?.text ?? '' })));
        }
        burst.push(
          h5(names[index]!, `10${index}1`, `10.1.${round}.${index}`).then(async (r) => ({
            channel: 'h5',
            text: r.status === 200 ? ((await r.text()).match(/<p>(已确认[^<]*)<\/p>/)?.[1] ?? '') : `HTTP ${r.status}`,
          })),
        );
      }
    }
    const results = await Promise.all(burst);
    expect(results.filter((r) => !r.text.startsWith('已确认'))).toEqual([]);
    expect(results.filter((r) => r.text.startsWith('已确认：'))).toHaveLength(pupils.length);
    expect(results.filter((r) => r.text === '已确认，无需重复。')).toHaveLength(results.length - pupils.length);

    const rows = await database.db
      .select({ studentId: receipts.studentId, n: sql<number>`count(*)::int` })
      .from(receipts)
      .where(eq(receipts.campaignId, String(confirm.campaign)))
      .groupBy(receipts.studentId);
    expect(rows).toHaveLength(pupils.length);
    expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
  });

  it('counts every one of a burst of wrong answers from one identity, then locks it', async () => {
    await sandboxParent(database, 'guesser', '猜测者');
    const bind = { ...confirm, op: 'bind' };
    const answers = await Promise.all(
      ['0001', '0002', '0003', '0004', '0005', '0006', '0007'].map((digits) =>
        tap('guesser', bind, { studentName: '何俊熙', phoneDigits: digits }),
      ),
    );
    const texts = answers.map((a) => a.answer?.toast?.text ?? '');
    expect(texts.filter((t) => t.includes('还可尝试'))).toHaveLength(4);
    expect(texts.filter((t) => t.includes('尝试次数过多'))).toHaveLength(3);
    const [state] = await database.db.select().from(bindingAttempts).where(eq(bindingAttempts.userId, 'guesser'));
    expect(state!.lockedUntil).not.toBeNull();
  });
});
