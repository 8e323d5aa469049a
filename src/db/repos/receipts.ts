import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { executePrepared } from '../prepared.js';
import { rowsOf } from '../rows.js';
import { campaignClasses, campaigns, chats, classes, schools, students } from '../schema.js';
import type { Db } from '../types.js';

/** Campaigns, their classes and the receipts themselves. */

export const RECEIPT_CHANNELS = ['card', 'h5', 'keyword'] as const;
export type ReceiptChannel = (typeof RECEIPT_CHANNELS)[number];

export interface NewReceipt {
  campaignId: string;
  studentId: string;
  guardianId: string | null;
  personId: string | null;
  relation: string | null;
  channel: ReceiptChannel;
  confirmedAt: Date;
}

/**
 * One INSERT … ON CONFLICT (campaign, student) DO NOTHING: whichever guardian, tap or page comes first
 * wins and every later one changes nothing. Returns the rows that were new, so callers can tell "已确认"
 * from "已确认，无需重复".
 */
export async function insertReceipts(
  db: Db,
  rows: readonly NewReceipt[],
): Promise<{ campaignId: string; studentId: string }[]> {
  if (rows.length === 0) return [];
  // One JSON parameter: the statement text, and so the prepared statement, is the same for any row count.
  const rowsJson = JSON.stringify(
    rows.map((row) => ({
      campaign_id: row.campaignId,
      student_id: row.studentId,
      guardian_id: row.guardianId,
      person_id: row.personId,
      relation: row.relation,
      channel: row.channel,
      confirmed_at: row.confirmedAt.toISOString(),
    })),
  );
  // One key order for every writer: two batches inserting overlapping students wait, never deadlock.
  const result = await executePrepared(
    db,
    sql`
    insert into receipts (campaign_id, student_id, guardian_id, person_id, relation, channel, confirmed_at)
    select campaign_id, student_id, guardian_id, person_id, relation, channel, confirmed_at
    from json_to_recordset(${rowsJson}::json)
      as r(campaign_id uuid, student_id uuid, guardian_id uuid, person_id uuid, relation text, channel text, confirmed_at timestamptz)
    order by campaign_id, student_id
    on conflict (campaign_id, student_id) do nothing
    returning campaign_id, student_id`,
  );
  return rowsOf<{ campaign_id: string; student_id: string }>(result).map((row) => ({
    campaignId: row.campaign_id,
    studentId: row.student_id,
  }));
}

export interface CampaignRecord {
  id: string;
  schoolId: string;
  schoolName: string;
  timezone: string;
  letter: string;
  title: string;
  deadline: Date;
  status: 'open' | 'closed';
  createdAt: Date;
}

const campaignColumns = {
  id: campaigns.id,
  schoolId: campaigns.schoolId,
  schoolName: schools.name,
  timezone: schools.timezone,
  letter: campaigns.letter,
  title: campaigns.title,
  deadline: campaigns.deadline,
  status: campaigns.status,
  createdAt: campaigns.createdAt,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from buttons, links and flags are checked before they reach a uuid column. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export async function findCampaign(db: Db, campaignId: string): Promise<CampaignRecord | null> {
  if (!isUuid(campaignId)) return null;
  const [row] = await db
    .select(campaignColumns)
    .from(campaigns)
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .where(eq(campaigns.id, campaignId))
    .limit(1);
  return row ?? null;
}

/** Open campaigns of a class whose deadline has not passed, newest first. */
export async function openCampaignsOfClass(db: Db, classId: string, now: Date): Promise<CampaignRecord[]> {
  return db
    .select(campaignColumns)
    .from(campaigns)
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .innerJoin(campaignClasses, eq(campaignClasses.campaignId, campaigns.id))
    .where(and(eq(campaignClasses.classId, classId), eq(campaigns.status, 'open'), gt(campaigns.deadline, now)))
    .orderBy(desc(campaigns.createdAt));
}

/** The school's campaigns, newest first (optionally one letter's). */
export async function campaignsOfSchool(db: Db, schoolId: string, letter?: string): Promise<CampaignRecord[]> {
  return db
    .select(campaignColumns)
    .from(campaigns)
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .where(and(eq(campaigns.schoolId, schoolId), letter ? eq(campaigns.letter, letter) : undefined))
    .orderBy(desc(campaigns.createdAt));
}

export interface CampaignClassKey {
  campaignId: string;
  classId: string;
}

/** The campaigns and class names of these (campaign, class) pairs, where the campaign covers the class. */
export async function findCampaignClasses(
  db: Db,
  pairs: readonly CampaignClassKey[],
): Promise<(CampaignClassKey & { campaign: CampaignRecord; className: string })[]> {
  const valid = pairs.filter((pair) => isUuid(pair.campaignId) && isUuid(pair.classId));
  if (valid.length === 0) return [];
  const wanted = JSON.stringify(valid.map((pair) => ({ campaign_id: pair.campaignId, class_id: pair.classId })));
  const rows = await db
    .select({ ...campaignColumns, classId: classes.id, className: classes.name })
    .from(campaignClasses)
    .innerJoin(campaigns, eq(campaigns.id, campaignClasses.campaignId))
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .innerJoin(classes, eq(classes.id, campaignClasses.classId))
    .where(
      sql`(${campaignClasses.campaignId}, ${campaignClasses.classId}) in (select campaign_id, class_id from json_to_recordset(${wanted}::json) as w(campaign_id uuid, class_id uuid))`,
    )
    // On every receipt page batch and card tap: named, so PostgreSQL plans it once per connection (src/db/prepared.ts).
    .prepare('find_campaign_classes')
    .execute();
  return rows.map(({ classId, className, ...campaign }) => ({ campaignId: campaign.id, classId, className, campaign }));
}

export interface CampaignClass {
  classId: string;
  className: string;
}

export async function classesOfCampaign(db: Db, campaignId: string): Promise<CampaignClass[]> {
  return db
    .select({ classId: classes.id, className: classes.name })
    .from(campaignClasses)
    .innerJoin(classes, eq(classes.id, campaignClasses.classId))
    .where(eq(campaignClasses.campaignId, campaignId));
}

export async function classesOfSchool(db: Db, schoolId: string): Promise<{ id: string; name: string }[]> {
  return db.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.schoolId, schoolId));
}

export async function studentCounts(db: Db, classIds: readonly string[]): Promise<Map<string, number>> {
  if (classIds.length === 0) return new Map();
  const rows = await db
    .select({ classId: students.classId, n: sql<number>`count(*)::int` })
    .from(students)
    .where(inArray(students.classId, [...classIds]))
    .groupBy(students.classId);
  return new Map(rows.map((row) => [row.classId, Number(row.n)]));
}

export interface ParentChat {
  platform: string;
  tenant: string;
  chatId: string;
  classId: string;
}

/** The bound parents' groups (chats of kind class_parents) of these classes, on every platform. */
export async function parentChatsOf(db: Db, classIds: readonly string[]): Promise<ParentChat[]> {
  if (classIds.length === 0) return [];
  const rows = await db
    .select({ platform: chats.platform, tenant: chats.tenant, chatId: chats.chatId, classId: chats.classId })
    .from(chats)
    .where(and(eq(chats.kind, 'class_parents'), eq(chats.active, true), inArray(chats.classId, [...classIds])));
  return rows.map((row) => ({ ...row, classId: row.classId! }));
}

/** Open campaigns of this letter that already cover any of these classes (a second card would confuse parents). */
export async function overlappingCampaigns(
  db: Db,
  input: { letter: string; classIds: readonly string[]; now: Date },
): Promise<{ campaignId: string; classId: string; deadline: Date }[]> {
  if (input.classIds.length === 0) return [];
  return db
    .select({ campaignId: campaigns.id, classId: campaignClasses.classId, deadline: campaigns.deadline })
    .from(campaigns)
    .innerJoin(campaignClasses, eq(campaignClasses.campaignId, campaigns.id))
    .where(
      and(
        eq(campaigns.letter, input.letter),
        eq(campaigns.status, 'open'),
        gt(campaigns.deadline, input.now),
        inArray(campaignClasses.classId, [...input.classIds]),
      ),
    );
}

export async function insertCampaign(
  db: Db,
  input: {
    schoolId: string;
    letter: string;
    title: string;
    deadline: Date;
    createdBy: string | null;
    createdAt: Date;
    classIds: readonly string[];
  },
): Promise<string> {
  const [campaign] = await db
    .insert(campaigns)
    .values({
      schoolId: input.schoolId,
      letter: input.letter,
      title: input.title,
      deadline: input.deadline,
      createdBy: input.createdBy,
      createdAt: input.createdAt,
    })
    .returning({ id: campaigns.id });
  await db.insert(campaignClasses).values(input.classIds.map((classId) => ({ campaignId: campaign!.id, classId })));
  return campaign!.id;
}

export interface SchoolRecord {
  id: string;
  code: string;
  name: string;
  timezone: string;
  districtId: string;
}

export async function findSchoolById(db: Db, schoolId: string): Promise<SchoolRecord | null> {
  if (!isUuid(schoolId)) return null;
  const [row] = await db
    .select({
      id: schools.id,
      code: schools.code,
      name: schools.name,
      timezone: schools.timezone,
      districtId: schools.districtId,
    })
    .from(schools)
    .where(eq(schools.id, schoolId))
    .limit(1);
  return row ?? null;
}

/** Campaigns covering a class, newest first. */
export async function campaignsOfClass(db: Db, classId: string): Promise<CampaignRecord[]> {
  return db
    .select(campaignColumns)
    .from(campaigns)
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .innerJoin(campaignClasses, eq(campaignClasses.campaignId, campaigns.id))
    .where(eq(campaignClasses.classId, classId))
    .orderBy(desc(campaigns.createdAt));
}

/** The campaign a progress question is about: the newest still running, else the newest. */
export function currentCampaign<C extends Pick<CampaignRecord, 'status' | 'deadline'>>(
  list: readonly C[],
  now: Date,
): C | undefined {
  return list.find((c) => c.status === 'open' && c.deadline.getTime() > now.getTime()) ?? list[0];
}

/** Campaigns still collecting receipts at `now` (the partial index on open deadlines serves this). */
export async function openCampaigns(db: Db, now: Date): Promise<CampaignRecord[]> {
  return db
    .select(campaignColumns)
    .from(campaigns)
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .where(and(eq(campaigns.status, 'open'), gt(campaigns.deadline, now)));
}
