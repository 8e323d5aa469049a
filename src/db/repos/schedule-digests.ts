/**
 * Reads behind the digests: open items per person (daily), a school's week in numbers (weekly). Each
 * query takes the batch of schools whose digest is due and goes through an index on the school.
 */
import { and, count, countDistinct, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { dailyChecks, educationRecords, hazards, people } from '../schema.js';
import type { Db } from '../types.js';

const OPEN = ['reported', 'rectifying', 'verifying'] as const;

export interface OwnerRow {
  schoolId: string;
  personId: string;
  name: string;
}

export interface OpenItem {
  id: string;
  schoolId: string;
  code: string;
  status: (typeof OPEN)[number];
  level: 'general' | 'major';
  location: string;
  description: string;
  deadline: Date | null;
  ownerId: string | null;
  reporterId: string;
}

/** Everyone owning a hazard in rectification at these schools (hazards_school_status). */
export async function rectifyingOwners(db: Db, schoolIds: readonly string[]): Promise<OwnerRow[]> {
  if (schoolIds.length === 0) return [];
  return db
    .selectDistinct({ schoolId: hazards.schoolId, personId: people.id, name: people.name })
    .from(hazards)
    .innerJoin(people, eq(people.id, hazards.ownerId))
    .where(and(inArray(hazards.schoolId, [...schoolIds]), eq(hazards.status, 'rectifying')));
}

/** Open hazards (登记, 整改中, 待复查) of these schools (hazards_school_status). */
export async function openItems(db: Db, schoolIds: readonly string[]): Promise<OpenItem[]> {
  if (schoolIds.length === 0) return [];
  return db
    .select({
      id: hazards.id,
      schoolId: hazards.schoolId,
      code: hazards.code,
      status: sql<OpenItem['status']>`${hazards.status}`,
      level: hazards.level,
      location: hazards.location,
      description: hazards.description,
      deadline: hazards.deadline,
      ownerId: hazards.ownerId,
      reporterId: hazards.reporterId,
    })
    .from(hazards)
    .where(and(inArray(hazards.schoolId, [...schoolIds]), inArray(hazards.status, [...OPEN])))
    .orderBy(hazards.deadline, hazards.code);
}

export interface WeekNumbers {
  reported: number;
  closed: number;
  open: number;
  overdue: number;
  majorOpen: number;
  /** 一日一醒: confirmations and reports in the week, and how many different people answered. */
  checksOk: number;
  checksReported: number;
  checkPeople: number;
  /** 1530 talks marked 已讲. */
  talks: number;
}

/** One school's numbers for [start, end) (local dates from..to for the day-keyed records). */
export async function weekNumbers(
  db: Db,
  schoolId: string,
  span: { start: Date; end: Date; fromDay: string; toDay: string },
  now: Date,
): Promise<WeekNumbers> {
  const [reported] = await db
    .select({ n: count() })
    .from(hazards)
    .where(and(eq(hazards.schoolId, schoolId), gte(hazards.reportedAt, span.start), lt(hazards.reportedAt, span.end)));
  const [closed] = await db
    .select({ n: count() })
    .from(hazards)
    .where(
      and(
        eq(hazards.schoolId, schoolId),
        eq(hazards.status, 'closed'),
        isNotNull(hazards.closedAt),
        gte(hazards.closedAt, span.start),
        lt(hazards.closedAt, span.end),
      ),
    );
  const [open] = await db
    .select({
      open: count(),
      overdue: sql<number>`count(*) filter (where ${hazards.status} = 'rectifying' and ${hazards.deadline} < ${now.toISOString()}::timestamptz)`,
      major: sql<number>`count(*) filter (where ${hazards.level} = 'major')`,
    })
    .from(hazards)
    .where(and(eq(hazards.schoolId, schoolId), inArray(hazards.status, [...OPEN])));
  const [checks] = await db
    .select({
      ok: sql<number>`count(*) filter (where ${dailyChecks.result} = 'ok')`,
      reported: sql<number>`count(*) filter (where ${dailyChecks.result} = 'reported')`,
      people: countDistinct(dailyChecks.personId),
    })
    .from(dailyChecks)
    .where(
      and(eq(dailyChecks.schoolId, schoolId), gte(dailyChecks.day, span.fromDay), lt(dailyChecks.day, span.toDay)),
    );
  const [talks] = await db
    .select({ n: count() })
    .from(educationRecords)
    .where(
      and(
        eq(educationRecords.schoolId, schoolId),
        gte(educationRecords.day, span.fromDay),
        lt(educationRecords.day, span.toDay),
      ),
    );
  return {
    reported: Number(reported?.n ?? 0),
    closed: Number(closed?.n ?? 0),
    open: Number(open?.open ?? 0),
    overdue: Number(open?.overdue ?? 0),
    majorOpen: Number(open?.major ?? 0),
    checksOk: Number(checks?.ok ?? 0),
    checksReported: Number(checks?.reported ?? 0),
    checkPeople: Number(checks?.people ?? 0),
    talks: Number(talks?.n ?? 0),
  };
}
