/** `提醒 …` set in the chat and sent by the tick; the incident first-report countdown nags. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.js';
import { adhocReminders, incidents } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { call, createTestRuntime, testClock } from '../helpers/runtime.js';
import { botMessages, demoSchoolId, personOf, sh, tickAt } from './helpers.js';

describe('ad-hoc reminders and incident nags', async () => {
  const database = await createTestDb();
  const clock = testClock(sh('2026-10-12T10:00'));
  const runtime = await createTestRuntime({ database, now: clock.now });
  afterAll(() => database.close());
  const db = database.db;

  async function say(chat: string, user: string, text: string, at: string): Promise<string | undefined> {
    clock.set(sh(at));
    await call(runtime, 'POST', '/sandbox/api/messages', { chat, user, text, wait: true });
    const last = (await botMessages(runtime, chat)).at(-1);
    return last?.text ?? last?.card?.title;
  }

  it('lets the safety officer set a reminder for the staff group and sends it when due', async () => {
    const answer = await say('staff', 'zhang', '@校安 提醒 明天上午9点 检查各楼层灭火器', '2026-10-12T10:00');
    expect(answer).toContain('好的，将在');
    expect(answer).toContain('提醒本群：检查各楼层灭火器');
    await tickAt(runtime, clock, '2026-10-13T08:59');
    expect((await botMessages(runtime, 'staff')).some((message) => message.card?.title === '提醒')).toBe(false);
    await tickAt(runtime, clock, '2026-10-13T09:00');
    await tickAt(runtime, clock, '2026-10-13T09:01');
    const reminders = (await botMessages(runtime, 'staff')).filter((message) => message.card?.title === '提醒');
    expect(reminders).toHaveLength(1);
    expect(JSON.stringify(reminders[0]!.card)).toContain('检查各楼层灭火器');
    expect(reminders[0]!.card?.footer).toContain('张主任');
  });

  it('sends a reminder naming a colleague to that colleague privately', async () => {
    const answer = await say('staff', 'chen', '@校安 提醒 @李老师 周五下午3点 交安全台账', '2026-10-13T10:00');
    expect(answer).toContain('提醒李老师：交安全台账');
    await tickAt(runtime, clock, '2026-10-16T15:00');
    const li = (await botMessages(runtime, 'dm:li')).filter((message) => message.card?.title === '提醒');
    expect(li.map((message) => JSON.stringify(message.card).includes('交安全台账'))).toEqual([true]);
  });

  it('refuses reminders from teachers and in the past', async () => {
    expect(await say('staff', 'wang', '@校安 提醒 明天 开会', '2026-10-13T10:00')).toBe(
      '只有安全员或校长可以设置提醒。',
    );
    expect(await say('staff', 'zhang', '@校安 提醒 巡查校门', '2026-10-13T10:00')).toContain('请写明提醒时间');
  });

  it('holds a reminder due in quiet hours until 07:00', async () => {
    const schoolId = await demoSchoolId(db);
    const zhang = await personOf(db, 'zhang');
    const [row] = await db
      .insert(adhocReminders)
      .values({
        schoolId,
        createdBy: zhang,
        text: '关好门窗',
        audience: JSON.stringify({ kind: 'chat', platform: 'sandbox', tenant: '', chatId: 'staff' }),
        dueAt: sh('2026-10-19T22:00'),
        createdAt: sh('2026-10-19T12:00'),
      })
      .returning({ id: adhocReminders.id });
    await tickAt(runtime, clock, '2026-10-19T22:00');
    const [outbox] = rowsOf<{ next: string }>(
      await db.execute(
        sql`select next_attempt_at as next from outbox where idempotency_key like ${`adhoc:reminder:${row!.id}%`}`,
      ),
    );
    expect(new Date(outbox!.next).toISOString()).toBe(sh('2026-10-20T07:00').toISOString());
    const [fired] = await db.select().from(adhocReminders).where(eq(adhocReminders.id, row!.id));
    expect(fired?.firedAt?.toISOString()).toBe(sh('2026-10-19T22:00').toISOString());
  });

  it('drops a reminder more than 12 hours late and counts it stale', async () => {
    const schoolId = await demoSchoolId(db);
    const zhang = await personOf(db, 'zhang');
    await db.insert(adhocReminders).values({
      schoolId,
      createdBy: zhang,
      text: '早已过时',
      audience: JSON.stringify({ kind: 'chat', platform: 'sandbox', tenant: '', chatId: 'staff' }),
      dueAt: sh('2026-10-20T08:00'),
      createdAt: sh('2026-10-19T12:00'),
    });
    const summary = await tickAt(runtime, clock, '2026-10-21T09:00');
    expect(summary.rules.adhoc).toMatchObject({ enqueued: 0, stale: 1 });
  });

  it('nags 15 minutes before the first-report limit and again when it passes, until the report is recorded', async () => {
    const schoolId = await demoSchoolId(db);
    const wang = await personOf(db, 'wang');
    const [incident] = await db
      .insert(incidents)
      .values({
        schoolId,
        code: 'SG-2026-0001',
        category: 'health',
        location: '操场',
        description: '学生摔倒骨折',
        reporterId: wang,
        reportedAt: sh('2026-10-22T10:00'),
        firstReportDue: sh('2026-10-22T11:00'),
      })
      .returning({ id: incidents.id });
    const titles = async (chat: string) =>
      (await botMessages(runtime, chat))
        .filter((m) => m.card?.title.includes('SG-2026-0001'))
        .map((m) => m.card!.title);
    await tickAt(runtime, clock, '2026-10-22T10:44');
    expect(await titles('dm:chen')).toEqual([]);
    await tickAt(runtime, clock, '2026-10-22T10:45');
    await tickAt(runtime, clock, '2026-10-22T10:46');
    expect(await titles('dm:wang')).toEqual(['事故首报提醒 · SG-2026-0001']);
    expect(await titles('dm:chen')).toEqual(['事故首报提醒 · SG-2026-0001']);
    await tickAt(runtime, clock, '2026-10-22T11:00');
    expect(await titles('dm:chen')).toEqual(['事故首报提醒 · SG-2026-0001', '事故首报已超时 · SG-2026-0001']);
    expect(await titles('dm:zhang')).toEqual(['事故首报已超时 · SG-2026-0001']);
    expect((await botMessages(runtime, 'dm:chen')).at(-1)?.urgent).toBeTruthy();

    await db
      .update(incidents)
      .set({ status: 'reported', firstReportAt: sh('2026-10-22T11:05') })
      .where(eq(incidents.id, incident!.id));
    const summary = await tickAt(runtime, clock, '2026-10-22T11:10');
    expect(summary.rules.incident_first_report).toMatchObject({ enqueued: 0, alreadyFired: 0 });
  });
});
