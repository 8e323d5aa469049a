/** The daily personal digest, the weekly school digest and the monthly summary, through the sandbox tick. */
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { dailyChecks, hazardEvents } from '../../src/db/schema.js';
import { recordDailyCheckReport } from '../../src/flows/reminders/index.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { botMessages, demoSchoolId, insertHazard, personOf, sh, tickAt } from './helpers.js';

const text = (card: unknown) => JSON.stringify(card);

describe('digests', async () => {
  const database = await createTestDb();
  const clock = testClock(sh('2026-10-12T06:00'));
  const runtime = await createTestRuntime({ database, now: clock.now });
  afterAll(() => database.close());
  const db = database.db;
  const schoolId = await demoSchoolId(db);
  const [wang, wu, zhang] = [await personOf(db, 'wang'), await personOf(db, 'wu'), await personOf(db, 'zhang')];
  const reportedAt = sh('2026-10-08T10:00');
  const overdue = await insertHazard(db, {
    schoolId,
    reporterId: wang,
    ownerId: wu,
    deadline: sh('2026-10-09T18:00'),
    reportedAt,
    description: '配电箱门未上锁',
  });
  const toVerify = await insertHazard(db, {
    schoolId,
    reporterId: wang,
    ownerId: wu,
    deadline: null,
    status: 'verifying',
    reportedAt,
  });
  const toAssign = await insertHazard(db, {
    schoolId,
    reporterId: wu,
    ownerId: null,
    deadline: null,
    status: 'reported',
    reportedAt,
  });
  for (const hazard of [overdue, toVerify, toAssign]) {
    await db
      .insert(hazardEvents)
      .values({ hazardId: hazard.id, at: reportedAt, action: 'report', toStatus: 'reported' });
  }
  await db.insert(dailyChecks).values([
    { schoolId, day: '2026-10-09', personId: wang, result: 'ok', at: sh('2026-10-09T08:00') },
    { schoolId, day: '2026-10-09', personId: zhang, result: 'reported', at: sh('2026-10-09T08:10') },
  ]);

  it('sends each person their own open items on a school morning, and nobody with none', async () => {
    await tickAt(runtime, clock, '2026-10-12T08:00');
    const digest = async (user: string) =>
      (await botMessages(runtime, `dm:${user}`)).find((message) => message.card?.title === '我的待办 · 10月12日');
    const owner = await digest('wu');
    expect(text(owner?.card)).toContain('待整改（1）');
    expect(text(owner?.card)).toContain(`${overdue.code} 教学楼三楼：配电箱门未上锁（已逾期 3 天）`);
    expect(text((await digest('wang'))?.card)).toContain(`待复查销号（1）`);
    expect(text((await digest('zhang'))?.card)).toContain(`待指派（1）`);
    expect(await digest('li')).toBeUndefined();
  });

  it('sends the leaders a weekly digest with last week’s numbers on Monday', async () => {
    const weekly = (await botMessages(runtime, 'leaders')).find(
      (message) => message.card?.title === '示范小学 安全周报',
    );
    const body = text(weekly?.card);
    expect(body).toContain('上周（10月5日—10月11日）：新增隐患 3 处，销号 0 处。');
    expect(body).toContain('目前未销号 3 处，其中逾期 1 处');
    expect(body).toContain('确认无异常 1 人次，上报隐患 1 人次，共 2 人参与');
  });

  it('sends the monthly summary for the month just ended on the 1st', async () => {
    await tickAt(runtime, clock, '2026-11-01T09:00');
    const monthly = (await botMessages(runtime, 'leaders')).find(
      (message) => message.card?.title === '示范小学 隐患排查治理月报',
    );
    const body = text(monthly?.card);
    expect(body).toContain('2026年10月隐患月报');
    expect(body).toContain('本月新增 3 处');
  });

  it('records a hazard reported that day in the inspection record, over an earlier "no issue"', async () => {
    const at = sh('2026-10-09T16:00');
    expect(await recordDailyCheckReport(db, schoolId, wang, at, 'Asia/Shanghai', { code: 'YH-2026-0001' })).toBe(
      'reported',
    );
    const rows = await db.select().from(dailyChecks).where(eq(dailyChecks.personId, wang));
    expect(rows.map((row) => [row.day, row.result, row.detail])).toEqual([
      ['2026-10-09', 'reported', { code: 'YH-2026-0001' }],
    ]);
  });
});
