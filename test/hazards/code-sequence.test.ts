import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { codeSequences } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { reportAndConfirm, sandboxDriver } from './helpers.js';

const REPORTS = [
  '一楼东侧楼梯口的灭火器过期了',
  '二楼西侧走廊的应急灯不亮',
  '三楼男厕所的窗户玻璃碎了',
  '四楼走廊尽头的消防栓箱门坏了',
  '操场西侧的单杠有一根松了',
  '食堂后门的排水沟盖板缺了一块',
];

describe('hazard codes: YH-<school-zone year>-<per-school sequence>', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  it('gives concurrent confirms distinct, consecutive numbers', async () => {
    const first = await reportAndConfirm(sandbox, 'wang', '校门口的减速带松动了');
    expect(first).toBe('YH-2026-0001');
    const cards = [];
    for (const text of REPORTS) {
      await sandbox.say('staff', 'wang', `@校安 ${text}`);
      cards.push(await sandbox.lastBot('staff'));
    }
    const answers = await Promise.all(
      cards.map((card) => sandbox.click('staff', 'wang', card.id, 'draft-confirm', { wait: false })),
    );
    await runtime.dispatcher.drain();
    const codes = answers.map((answer) => /YH-\d{4}-\d{4}/.exec(answer.toast?.text ?? '')?.[0]).sort();
    expect(codes).toEqual([
      'YH-2026-0002',
      'YH-2026-0003',
      'YH-2026-0004',
      'YH-2026-0005',
      'YH-2026-0006',
      'YH-2026-0007',
    ]);
    const [sequence] = await database.db.select().from(codeSequences).where(eq(codeSequences.prefix, 'YH'));
    expect(sequence).toMatchObject({ year: 2026, last: 7 });
  });

  it('starts a new register when the year turns in the school time zone, not in UTC', async () => {
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Shanghai.
    clock.set('2026-12-31T16:30:00Z');
    expect(await reportAndConfirm(sandbox, 'wang', '二楼西侧走廊的灭火器压力不足')).toBe('YH-2027-0001');
  });
});
