/**
 * Deadline nags and the escalation ladder through the sandbox tick: hazards are written straight into
 * the ledger, the owner is 吴老师, the safety officer 张主任, the principal 陈校长, the bureau 赵科长.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.js';
import { hazards } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { botMessages, demoSchoolId, insertHazard, personOf, sh, tickAt } from './helpers.js';

describe('deadline nags and the escalation ladder', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-10-01T06:00:00+08:00');
  const runtime = await createTestRuntime({ database, now: clock.now });
  afterAll(() => database.close());
  const db = database.db;
  const schoolId = await demoSchoolId(db);
  const wang = await personOf(db, 'wang');
  const wu = await personOf(db, 'wu');

  const seen = new Set<string>();

  /**
   * Ticks at each time (twice: a repeated tick changes nothing) and returns, per time, who newly heard
   * about the hazard: "<chat> <card title>[ (urgent)]", sorted (one tick's messages go out in parallel).
   */
  async function ticks(code: string, ...times: string[]): Promise<Record<string, string[]>> {
    const heard: Record<string, string[]> = {};
    for (const time of times) {
      await tickAt(runtime, clock, time);
      await tickAt(runtime, clock, time);
      const lines: string[] = [];
      for (const chat of ['dm:wu', 'dm:zhang', 'dm:chen', 'dm:zhao']) {
        for (const message of await botMessages(runtime, chat)) {
          if (seen.has(message.id) || !JSON.stringify(message.card).includes(code)) continue;
          if (message.card?.title.startsWith('我的待办')) continue; // the daily digest lists it too
          seen.add(message.id);
          lines.push(`${chat} ${message.card!.title}${message.urgent ? ' (urgent)' : ''}`);
        }
      }
      if (lines.length > 0) heard[time.slice(5).replace('T', ' ')] = lines.sort();
    }
    return heard;
  }

  it('climbs the ladder in order over a weekend: safety officer day 1, principal day 3, bureau day 7', async () => {
    const { code } = await insertHazard(db, {
      schoolId,
      reporterId: wang,
      ownerId: wu,
      deadline: sh('2026-10-09T18:00'),
    });
    const heard = await ticks(
      code,
      '2026-10-08T17:59',
      '2026-10-08T18:00',
      '2026-10-09T18:00',
      '2026-10-10T08:59',
      '2026-10-10T09:00',
      '2026-10-11T09:00',
      '2026-10-12T09:00',
      '2026-10-15T09:00',
      '2026-10-16T09:00',
    );
    expect(heard).toEqual({
      '10-08 18:00': ['dm:wu 整改期限提醒'],
      '10-09 18:00': ['dm:wu 整改已到期限'],
      '10-10 09:00': ['dm:wu 整改已逾期', `dm:zhang 逾期督办 · ${code}`],
      '10-11 09:00': ['dm:wu 整改已逾期'],
      '10-12 09:00': [`dm:chen 逾期督办 · ${code} (urgent)`, 'dm:wu 整改已逾期'],
      '10-15 09:00': ['dm:wu 整改已逾期'],
      '10-16 09:00': ['dm:wu 整改已逾期', `dm:zhao 逾期督办 · ${code} (urgent)`],
    });
  });

  it('tells the bureau at once when a major hazard passes its deadline', async () => {
    const { code } = await insertHazard(db, {
      schoolId,
      reporterId: wang,
      ownerId: wu,
      level: 'major',
      deadline: sh('2026-10-23T18:00'),
    });
    expect(await ticks(code, '2026-10-22T18:00', '2026-10-23T17:59', '2026-10-23T18:00')).toEqual({
      '10-22 18:00': ['dm:wu 整改期限提醒'],
      '10-23 18:00': [
        `dm:chen 逾期督办 · ${code} (urgent)`,
        'dm:wu 整改已到期限',
        `dm:zhang 逾期督办 · ${code}`,
        `dm:zhao 逾期督办 · ${code} (urgent)`,
      ],
    });
  });

  it('stops when a fix is submitted and restarts when the hazard is reopened', async () => {
    const hazard = await insertHazard(db, {
      schoolId,
      reporterId: wang,
      ownerId: wu,
      deadline: sh('2026-11-06T18:00'),
    });
    expect(await ticks(hazard.code, '2026-11-07T09:00')).toEqual({
      '11-07 09:00': ['dm:wu 整改已逾期', `dm:zhang 逾期督办 · ${hazard.code}`],
    });
    await db.update(hazards).set({ status: 'verifying' }).where(eq(hazards.id, hazard.id));
    expect(await ticks(hazard.code, '2026-11-08T09:00', '2026-11-09T09:00', '2026-11-13T09:00')).toEqual({});

    await db
      .update(hazards)
      .set({ status: 'rectifying', cycle: 1, deadline: sh('2026-11-20T18:00') })
      .where(eq(hazards.id, hazard.id));
    expect(await ticks(hazard.code, '2026-11-19T18:00', '2026-11-20T18:00', '2026-11-21T09:00')).toEqual({
      '11-19 18:00': ['dm:wu 整改期限提醒'],
      '11-20 18:00': ['dm:wu 整改已到期限'],
      '11-21 09:00': ['dm:wu 整改已逾期', `dm:zhang 逾期督办 · ${hazard.code}`],
    });
  });

  it('re-arms the reminders when the deadline is extended', async () => {
    const hazard = await insertHazard(db, {
      schoolId,
      reporterId: wang,
      ownerId: wu,
      deadline: sh('2026-11-26T18:00'),
    });
    expect(await ticks(hazard.code, '2026-11-25T18:00')).toEqual({ '11-25 18:00': ['dm:wu 整改期限提醒'] });
    await db
      .update(hazards)
      .set({ deadline: sh('2026-11-30T18:00') })
      .where(eq(hazards.id, hazard.id));
    expect(await ticks(hazard.code, '2026-11-26T18:00', '2026-11-29T18:00')).toEqual({
      '11-29 18:00': ['dm:wu 整改期限提醒'],
    });
  });

  it('holds night-time nags to 07:00 but sends urgent escalations at once', async () => {
    const endOfDay = new Date('2026-12-04T23:59:59+08:00');
    const general = await insertHazard(db, { schoolId, reporterId: wang, ownerId: wu, deadline: endOfDay });
    expect(await ticks(general.code, '2026-12-04T00:00')).toEqual({});
    const held = rowsOf<{ next: string }>(
      await db.execute(
        sql`select next_attempt_at as next from outbox where idempotency_key like ${`nag:hazard:${general.id}:%`}`,
      ),
    );
    expect(held.map((row) => new Date(row.next).toISOString())).toEqual([sh('2026-12-04T07:00').toISOString()]);
    expect(await ticks(general.code, '2026-12-04T07:00')).toEqual({ '12-04 07:00': ['dm:wu 整改期限提醒'] });

    const major = await insertHazard(db, {
      schoolId,
      reporterId: wang,
      ownerId: wu,
      level: 'major',
      deadline: endOfDay,
    });
    expect(await ticks(major.code, '2026-12-05T00:00')).toEqual({
      '12-05 00:00': [`dm:chen 逾期督办 · ${major.code} (urgent)`, `dm:zhao 逾期督办 · ${major.code} (urgent)`],
    });
    // The safety officer's rung is not urgent: held to 07:00. No separate "due" nag at midnight either:
    // the 09:00 overdue nag is the owner's first word.
    expect(await ticks(major.code, '2026-12-05T07:00', '2026-12-05T09:00')).toEqual({
      '12-05 07:00': [`dm:zhang 逾期督办 · ${major.code}`],
      '12-05 09:00': ['dm:wu 整改已逾期'],
    });
  });
});
