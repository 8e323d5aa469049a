/**
 * Exactly-once under repeated, concurrent and missed ticks. On PostgreSQL (DATABASE_URL) the concurrent
 * ticks run on two independent connection pools, like two instances; on PGlite they interleave on one.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBotFlows } from '../../bot-flows/index.js';
import { connectPostgres } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { inboundEvents, occurrences, people, platformAccounts, rateBuckets, roleGrants } from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import { createTick } from '../../src/scheduler/tick.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime } from '../helpers/runtime.js';
import { demoSchoolId, insertHazard, personOf, sh } from './helpers.js';
import { seedSchools } from './seed.js';

async function keysLike(db: Db, pattern: string): Promise<string[]> {
  const rows = rowsOf<{ key: string }>(
    await db.execute(sql`select idempotency_key as key from outbox where idempotency_key like ${pattern} order by 1`),
  );
  return rows.map((row) => row.key);
}

describe('exactly once: repeated, concurrent and missed ticks', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  const second = database.url ? connectPostgres(database.url, { max: 4 }) : null;
  afterAll(async () => {
    await second?.close();
    await database.close();
  });
  const schools = await seedSchools(database.db, 30);
  const botFlows = loadBotFlows();
  const tickOn = (db: Db) =>
    createTick({
      db,
      services: runtime.services,
      calendar: botFlows.calendar,
      reminders: botFlows.reminders,
      escalation: botFlows.escalation,
    });
  const tickA = tickOn(database.db);
  const tickB = tickOn(second?.db ?? database.db);
  const groups = schools.length + 1; // and the demo school
  const teachers = schools.length * 2 + 3;

  it('two ticks at once send every card once', async () => {
    for (const at of ['2026-09-28T07:50', '2026-09-28T08:10', '2026-09-28T15:29']) {
      const [a, b] = await Promise.all([tickA(sh(at)), tickB(sh(at))]);
      const sent = (rule: string) => (a.rules[rule]?.enqueued ?? 0) + (b.rules[rule]?.enqueued ?? 0);
      if (at.endsWith('07:50')) expect(sent('daily_check')).toBe(groups);
      if (at.endsWith('08:10')) expect(sent('daily_check')).toBe(0);
      if (at.endsWith('15:29')) expect(sent('talk1530')).toBe(teachers);
    }
    const daily = await keysLike(database.db, 'daily_check:%2026-09-28%');
    expect(daily).toHaveLength(groups);
    expect(new Set(daily).size).toBe(groups);
    expect(await keysLike(database.db, 'talk1530:%2026-09-28%')).toHaveLength(teachers);
  });

  it('a repeated tick finds everything already fired', async () => {
    const again = await tickA(sh('2026-09-28T07:50'));
    expect(again.rules.daily_check).toMatchObject({ enqueued: 0, alreadyFired: groups, errors: 0 });
    expect(again.totals.enqueued).toBe(0);
  });

  it('after a missed hour catches up what is still meaningful and skips what went stale', async () => {
    await tickA(sh('2026-09-29T07:00'));
    // Down from 07:01 to 08:55: 一日一醒 (07:50, fresh until 10:00) still goes out.
    const late = await tickA(sh('2026-09-29T08:55'));
    expect(late.rules.daily_check?.enqueued).toBe(groups);
    // Down from 15:20 to 15:45: the 1530 talk (15:29) is pointless after dismissal.
    await tickA(sh('2026-09-29T15:20'));
    const after = await tickA(sh('2026-09-29T15:45'));
    expect(after.rules.talk1530).toMatchObject({ enqueued: 0, alreadyFired: 0 });
    expect(await keysLike(database.db, 'talk1530:%2026-09-29%')).toEqual([]);
  });

  it('catches up a missed escalation and today’s nag, not yesterday’s', async () => {
    const schoolId = await demoSchoolId(database.db);
    const owner = await personOf(database.db, 'wu');
    const hazard = await insertHazard(database.db, {
      schoolId,
      reporterId: owner,
      ownerId: owner,
      deadline: sh('2026-10-09T18:00'),
    });
    // Down from Saturday 08:00 to Monday 10:30.
    await tickA(sh('2026-10-10T08:00'));
    await tickA(sh('2026-10-12T10:30'));
    const keys = (await keysLike(database.db, `%hazard:${hazard.id}:%`)).map((key) => key.split('>')[0] ?? key);
    expect(keys.map((key) => key.replace(`:hazard:${hazard.id}:0:20261009T1000Z`, ''))).toEqual([
      'escalate:principal',
      'escalate:safety_officer',
      'nag:due',
      'nag:overdue:2026-10-12',
    ]);
  });

  it('keeps going when one school is broken, and counts people it cannot reach', async () => {
    const [broken] = await seedSchools(database.db, 1, { prefix: 'broken', timezone: 'Mars/Olympus_Mons' });
    const [lonely] = await seedSchools(database.db, 1, { prefix: 'lonely' });
    const [noAccount] = await database.db.insert(people).values({ name: '没账号老师' }).returning({ id: people.id });
    const [grant] = await database.db
      .select()
      .from(roleGrants)
      .innerJoin(platformAccounts, eq(platformAccounts.personId, roleGrants.personId))
      .where(eq(platformAccounts.userId, lonely!.teachers[0]!));
    await database.db.insert(roleGrants).values({ ...grant!.role_grants, id: undefined, personId: noAccount!.id });

    const summary = await tickA(sh('2026-09-30T07:50'));
    expect(summary.rules.daily_check).toMatchObject({ enqueued: groups + 1, errors: 1 });
    expect(await keysLike(database.db, `daily_check:school:${broken!.id}:%`)).toEqual([]);

    const talk = await tickA(sh('2026-09-30T15:00'));
    // The teacher without an account is named in the staff group instead.
    expect(talk.rules.talk1530).toMatchObject({ enqueued: teachers + 2 + 1, noAccount: 0, errors: 1 });
    expect(await keysLike(database.db, `talk1530:staff:${lonely!.id}:2026-09-30>%`)).toHaveLength(1);
  });

  it('forgets dated keys after 90 days, once a day, but keeps escalation rungs', async () => {
    const old = sh('2026-06-01T09:00');
    await database.db.insert(occurrences).values([
      { key: 'daily_check:school:x:2026-06-01', rule: 'daily_check', firedAt: old },
      { key: 'nag:hazard:h:0:20260531T1000Z:overdue:2026-06-01', rule: 'hazard_deadlines', firedAt: old },
      { key: 'escalate:hazard:h:0:20260531T1000Z:bureau', rule: 'hazard_deadlines', firedAt: old },
      { key: 'receipt:remind:c:g:2026-06-01', rule: 'receipts', firedAt: old },
    ]);
    await tickA(sh('2026-10-20T12:00'));
    const left = rowsOf<{ key: string }>(
      await database.db.execute(
        sql`select key from occurrences where fired_at = ${old.toISOString()}::timestamptz order by key`,
      ),
    );
    expect(left.map((row) => row.key)).toEqual([
      'escalate:hazard:h:0:20260531T1000Z:bureau',
      'receipt:remind:c:g:2026-06-01',
    ]);
  });

  it('drops send-rate buckets idle for a day, but not a recent one or one a platform still holds', async () => {
    const now = sh('2026-10-21T12:00');
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);
    await database.db.insert(rateBuckets).values([
      { key: 'idle', tokens: 1, updatedAt: hoursAgo(25) },
      { key: 'recent', tokens: 1, updatedAt: hoursAgo(23) },
      { key: 'held', tokens: 0, updatedAt: hoursAgo(25), blockedUntil: hoursAgo(-1) },
    ]);
    await tickA(now);
    const left = await database.db.select({ key: rateBuckets.key }).from(rateBuckets).orderBy(rateBuckets.key);
    expect(left.map((row) => row.key)).toEqual(['held', 'recent']);
  });

  it('forgets inbound dedupe keys after 90 days, when no redelivery or valid action link can claim them', async () => {
    const now = sh('2026-10-22T12:00');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    await database.db.insert(inboundEvents).values([
      { platform: 'feishu', eventId: 'ev-old', receivedAt: daysAgo(91) },
      { platform: 'dingtalk', eventId: 'link:old-link', receivedAt: daysAgo(91) },
      { platform: 'feishu', eventId: 'ev-recent', receivedAt: daysAgo(89) },
    ]);
    await tickA(now);
    const left = await database.db
      .select({ eventId: inboundEvents.eventId })
      .from(inboundEvents)
      .where(sql`${inboundEvents.eventId} in ('ev-old', 'link:old-link', 'ev-recent')`);
    expect(left.map((row) => row.eventId)).toEqual(['ev-recent']);
  });
});
