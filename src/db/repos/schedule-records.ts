/**
 * Records the reminders produce: the daily inspection record (全员日排查, daily_checks), the 1530
 * education ledger (education_records) and ad-hoc reminders set with 提醒.
 */
import { and, eq, sql } from 'drizzle-orm';
import { adhocReminders, dailyChecks, educationRecords, roleGrants } from '../schema.js';
import type { Db } from '../types.js';

export type DailyCheckResult = 'ok' | 'reported';

/**
 * One row per person per school day. A report wins over "no issue": 'reported' replaces 'ok', an 'ok'
 * after a report leaves it. Returns the result the day now holds.
 */
export async function recordDailyCheck(
  db: Db,
  entry: { schoolId: string; day: string; personId: string; result: DailyCheckResult; at: Date; detail?: object },
): Promise<{ result: DailyCheckResult; changed: boolean }> {
  const values = {
    schoolId: entry.schoolId,
    day: entry.day,
    personId: entry.personId,
    result: entry.result,
    detail: (entry.detail ?? {}) as Record<string, unknown>,
    at: entry.at,
  };
  const target = [dailyChecks.schoolId, dailyChecks.day, dailyChecks.personId];
  const written =
    entry.result === 'reported'
      ? await db
          .insert(dailyChecks)
          .values(values)
          .onConflictDoUpdate({
            target,
            set: { result: 'reported', detail: values.detail, at: values.at },
            setWhere: sql`${dailyChecks.result} <> 'reported'`,
          })
          .returning({ result: dailyChecks.result })
      : await db
          .insert(dailyChecks)
          .values(values)
          .onConflictDoNothing({ target })
          .returning({ result: dailyChecks.result });
  if (written.length > 0) return { result: entry.result, changed: true };
  const [existing] = await db
    .select({ result: dailyChecks.result })
    .from(dailyChecks)
    .where(
      and(
        eq(dailyChecks.schoolId, entry.schoolId),
        eq(dailyChecks.day, entry.day),
        eq(dailyChecks.personId, entry.personId),
      ),
    );
  return { result: existing?.result ?? entry.result, changed: false };
}

/** The first class a person is class teacher of at a school (the class a 1530 talk is recorded for). */
export async function classOfTeacher(db: Db, schoolId: string, personId: string): Promise<string | null> {
  const [row] = await db
    .select({ classId: roleGrants.classId })
    .from(roleGrants)
    .where(
      and(eq(roleGrants.schoolId, schoolId), eq(roleGrants.personId, personId), eq(roleGrants.role, 'class_teacher')),
    )
    .limit(1);
  return row?.classId ?? null;
}

/** A talk marked 已讲 (or a reminder passed on to parents); false when that day's record exists already. */
export async function recordEducation(
  db: Db,
  entry: {
    schoolId: string;
    classId: string | null;
    day: string;
    programme: string;
    topic: string;
    personId: string;
    at: Date;
  },
): Promise<boolean> {
  const inserted = await db
    .insert(educationRecords)
    .values(entry)
    .onConflictDoNothing({
      target: [educationRecords.schoolId, educationRecords.personId, educationRecords.day, educationRecords.programme],
    })
    .returning({ id: educationRecords.id });
  return inserted.length > 0;
}

export async function insertAdhocReminder(
  db: Db,
  entry: { schoolId: string; createdBy: string; text: string; audience: string; dueAt: Date; createdAt: Date },
): Promise<string> {
  const [row] = await db.insert(adhocReminders).values(entry).returning({ id: adhocReminders.id });
  return row!.id;
}
