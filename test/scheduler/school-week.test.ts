/**
 * Two weeks of school life around 国庆 2026, driven through the sandbox tick: 中秋 on Friday 25 September,
 * the National Day holiday 1–7 October, and Saturday 10 October as a make-up school day (调休).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { dailyChecks, educationRecords } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { call, createTestRuntime, testClock } from '../helpers/runtime.js';
import { botMessages, personOf, tickAt } from './helpers.js';

const DAYS = [
  '2026-09-24',
  '2026-09-25',
  '2026-09-26',
  '2026-09-27',
  '2026-09-28',
  '2026-09-29',
  '2026-09-30',
  '2026-10-01',
  '2026-10-02',
  '2026-10-03',
  '2026-10-04',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07',
  '2026-10-08',
  '2026-10-09',
  '2026-10-10',
  '2026-10-11',
];
/** Every instant a reminder of the demo school (dismissal 15:30) can fall on. */
const TIMES = ['07:50', '07:51', '08:00', '14:30', '15:00', '15:25', '15:29'];

describe('a school fortnight around 国庆 with a make-up Saturday', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-09-24T06:00:00+08:00');
  const runtime = await createTestRuntime({ database, now: clock.now });
  afterAll(() => database.close());

  for (const day of DAYS) for (const time of TIMES) await tickAt(runtime, clock, `${day}T${time}`);
  const staff = await botMessages(runtime, 'staff');
  const li = await botMessages(runtime, 'dm:li');

  it('posts 一日一醒 to the staff group on school days only, once each', () => {
    const titles = staff.filter((message) => message.card?.title.startsWith('一日一醒')).map((m) => m.card!.title);
    expect(titles).toEqual([
      '一日一醒 · 9月24日 周四',
      '一日一醒 · 9月28日 周一',
      '一日一醒 · 9月29日 周二',
      '一日一醒 · 9月30日 周三',
      '一日一醒 · 10月8日 周四',
      '一日一醒 · 10月9日 周五',
      '一日一醒 · 10月10日 周六',
    ]);
  });

  it('gives each class teacher the 1530 reminder with the right talk length', () => {
    const talks = li
      .filter((message) => message.card?.title.startsWith('1530'))
      .map(
        (message) =>
          `${message.card!.title} ${/放学前 (\d+) 分钟/.exec(message.card!.blocks[0]!.type === 'markdown' ? message.card!.blocks[0]!.text : '')?.[1]}`,
      );
    expect(talks).toEqual([
      '1530 安全教育 · 9月24日 30', // 中秋 starts on Friday 25th
      '1530 安全教育 · 9月28日 1',
      '1530 安全教育 · 9月29日 1',
      '1530 安全教育 · 9月30日 30', // 国庆 from 1 October
      '1530 安全教育 · 10月8日 1',
      '1530 安全教育 · 10月9日 1', // Friday, but Saturday is a school day
      '1530 安全教育 · 10月10日 5', // the make-up Saturday ends the week
    ]);
    const beforeHoliday = li.find((message) => message.card?.title === '1530 安全教育 · 9月30日')!;
    expect(JSON.stringify(beforeHoliday.card)).toContain('假期安全');
    expect(li.find((message) => message.card?.title === '1530 安全教育 · 10月10日')?.card?.footer).toContain(
      '三年级(1)班',
    );
  });

  it('sends the seasonal 防溺水 reminder before holidays in September, not in October', () => {
    const drowning = li.filter((message) => message.card?.title.startsWith('防溺水')).map((m) => m.card!.title);
    expect(drowning).toEqual(['防溺水提醒 · 9月24日', '防溺水提醒 · 9月30日']);
  });

  it('sends the weekly digest to the leaders group on Mondays', async () => {
    const leaders = await botMessages(runtime, 'leaders');
    expect(leaders.filter((message) => message.card?.title.endsWith('安全周报'))).toHaveLength(2);
  });

  it('records 一日一醒 answers and 已讲 as the inspection and education ledgers', async () => {
    clock.set('2026-10-10T08:30:00+08:00');
    const card = staff.find((message) => message.card?.title === '一日一醒 · 10月10日 周六')!;
    const ok = await call<{ toast: { text: string } }>(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'staff',
      user: 'zhang',
      messageId: card.id,
      buttonId: 'ok',
    });
    expect(ok.body.toast.text).toContain('无异常');
    const report = await call<{ toast: { text: string } }>(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'staff',
      user: 'wang',
      messageId: card.id,
      buttonId: 'report',
    });
    expect(report.body.toast.text).toContain('@校安');
    expect((await botMessages(runtime, 'dm:wang')).at(-1)?.card?.title).toBe('如何上报隐患');

    const old = staff.find((message) => message.card?.title === '一日一醒 · 10月9日 周五')!;
    const stale = await call<{ toast: { text: string } }>(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'staff',
      user: 'zhou',
      messageId: old.id,
      buttonId: 'ok',
    });
    expect(stale.body.toast.text).toContain('已过期');

    clock.set('2026-10-10T15:40:00+08:00');
    const talk = li.find((message) => message.card?.title === '1530 安全教育 · 10月10日')!;
    const given = await call<{ toast: { text: string } }>(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'dm:li',
      user: 'li',
      messageId: talk.id,
      buttonId: 'given',
    });
    expect(given.body.toast.text).toContain('已讲');

    const zhang = await personOf(database.db, 'zhang');
    const checks = await database.db.select().from(dailyChecks).where(eq(dailyChecks.day, '2026-10-10'));
    expect(checks.map((row) => [row.personId, row.result])).toEqual([[zhang, 'ok']]);
    const liId = await personOf(database.db, 'li');
    const records = await database.db
      .select()
      .from(educationRecords)
      .where(and(eq(educationRecords.personId, liId), eq(educationRecords.day, '2026-10-10')));
    expect(records).toHaveLength(1);
    expect(records[0]!.programme).toBe('talk1530');
    expect(records[0]!.classId).not.toBeNull();
  });
});

describe('time travel in the sandbox', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  afterAll(() => database.close());

  it('moves the sandbox clock to the tick, so its cards arrive and are answered on that day', async () => {
    const at = new Date('2026-09-28T07:50:00+08:00');
    const tick = await call<{ now: string }>(runtime, 'POST', '/sandbox/api/tick', { now: at.toISOString() });
    expect(tick.status).toBe(200);
    const card = (await botMessages(runtime, 'staff')).find(
      (message) => message.card?.title === '一日一醒 · 9月28日 周一',
    );
    expect(card).toBeDefined();
    const ok = await call<{ toast: { text: string } }>(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'staff',
      user: 'li',
      messageId: card!.id,
      buttonId: 'ok',
    });
    expect(ok.body.toast.text).toBe('已记录：您负责的区域今日无异常。');
  });
});
