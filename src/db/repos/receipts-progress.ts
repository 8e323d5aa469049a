import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { ClassStudent } from '../../domain/receipts/missing-list.js';
import type { ClassReceiptCount } from '../../domain/receipts/stats.js';
import { rowsOf } from '../rows.js';
import {
  campaignClasses,
  campaigns,
  classes,
  guardians,
  platformAccounts,
  receipts,
  roleGrants,
  schools,
  studentGuardians,
  students,
} from '../schema.js';
import type { Db } from '../types.js';

/** Read models over receipts: counts per class, the missing list, reminder targets and the export. */

export interface CampaignClassCount extends ClassReceiptCount {
  campaignId: string;
}

/** Students and receipts per class of each campaign (receipts counted by the student's class). */
export async function campaignClassCounts(db: Db, campaignIds: readonly string[]): Promise<CampaignClassCount[]> {
  if (campaignIds.length === 0) return [];
  const ids = sql.join(
    campaignIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = rowsOf<{
    campaign_id: string;
    class_id: string;
    class_name: string;
    school_id: string;
    school_name: string;
    student_count: number;
    confirmed_count: number;
  }>(
    await db.execute(sql`
      select cc.campaign_id, c.id as class_id, c.name as class_name, s.id as school_id, s.name as school_name,
        (select count(*) from students st where st.class_id = c.id)::int as student_count,
        (select count(*) from receipts r join students st on st.id = r.student_id
          where r.campaign_id = cc.campaign_id and st.class_id = c.id)::int as confirmed_count
      from campaign_classes cc
      join classes c on c.id = cc.class_id
      join schools s on s.id = c.school_id
      where cc.campaign_id in (${ids})`),
  );
  return rows.map((row) => ({
    campaignId: row.campaign_id,
    classId: row.class_id,
    className: row.class_name,
    schoolId: row.school_id,
    schoolName: row.school_name,
    studentCount: Number(row.student_count),
    confirmedCount: Number(row.confirmed_count),
  }));
}

export async function classStudents(db: Db, classId: string): Promise<ClassStudent[]> {
  return db
    .select({ studentId: students.id, name: students.name, studentNo: students.studentNo })
    .from(students)
    .where(eq(students.classId, classId));
}

export async function confirmedStudentIds(db: Db, campaignId: string, classId: string): Promise<string[]> {
  const rows = await db
    .select({ studentId: receipts.studentId })
    .from(receipts)
    .innerJoin(students, eq(students.id, receipts.studentId))
    .where(and(eq(receipts.campaignId, campaignId), eq(students.classId, classId)));
  return rows.map((row) => row.studentId);
}

/** People holding the class_teacher grant for this class. */
export async function classTeachersOf(db: Db, classId: string): Promise<string[]> {
  const rows = await db
    .select({ personId: roleGrants.personId })
    .from(roleGrants)
    .where(and(eq(roleGrants.role, 'class_teacher'), eq(roleGrants.classId, classId)));
  return [...new Set(rows.map((row) => row.personId))];
}

export interface PendingStudent {
  studentId: string;
  studentName: string;
  classId: string;
  className: string;
}

export interface PendingGuardianAccount {
  guardianId: string;
  personId: string;
  studentId: string;
  platform: string;
  tenant: string;
  userId: string;
}

/** Students of the campaign's classes without a receipt. */
export async function pendingStudents(db: Db, campaignId: string): Promise<PendingStudent[]> {
  return db
    .select({ studentId: students.id, studentName: students.name, classId: classes.id, className: classes.name })
    .from(campaignClasses)
    .innerJoin(classes, eq(classes.id, campaignClasses.classId))
    .innerJoin(students, eq(students.classId, classes.id))
    .leftJoin(receipts, and(eq(receipts.campaignId, campaignId), eq(receipts.studentId, students.id)))
    .where(and(eq(campaignClasses.campaignId, campaignId), isNull(receipts.studentId)));
}

/** Bound guardians of students still missing, with each of their chat identities. */
export async function pendingGuardianAccounts(db: Db, campaignId: string): Promise<PendingGuardianAccount[]> {
  return db
    .select({
      guardianId: guardians.id,
      personId: platformAccounts.personId,
      studentId: students.id,
      platform: platformAccounts.platform,
      tenant: platformAccounts.tenant,
      userId: platformAccounts.userId,
    })
    .from(campaignClasses)
    .innerJoin(students, eq(students.classId, campaignClasses.classId))
    .leftJoin(receipts, and(eq(receipts.campaignId, campaignId), eq(receipts.studentId, students.id)))
    .innerJoin(studentGuardians, eq(studentGuardians.studentId, students.id))
    .innerJoin(guardians, and(eq(guardians.id, studentGuardians.guardianId), isNotNull(guardians.personId)))
    .innerJoin(platformAccounts, eq(platformAccounts.personId, guardians.personId))
    .where(and(eq(campaignClasses.campaignId, campaignId), isNull(receipts.studentId)));
}

export interface ExportRow {
  classId: string;
  className: string;
  studentName: string;
  studentNo: string;
  guardianName: string | null;
  guardianLast4: string | null;
  relation: string | null;
  confirmedAt: Date | null;
  channel: string | null;
}

/** Every student of the campaign's classes with their receipt (if any) and who gave it. */
export async function exportRows(db: Db, campaignId: string): Promise<ExportRow[]> {
  return db
    .select({
      classId: classes.id,
      className: classes.name,
      studentName: students.name,
      studentNo: students.studentNo,
      guardianName: guardians.name,
      guardianLast4: guardians.phoneLast4,
      relation: receipts.relation,
      confirmedAt: receipts.confirmedAt,
      channel: receipts.channel,
    })
    .from(campaignClasses)
    .innerJoin(classes, eq(classes.id, campaignClasses.classId))
    .innerJoin(students, eq(students.classId, classes.id))
    .leftJoin(receipts, and(eq(receipts.campaignId, campaignId), eq(receipts.studentId, students.id)))
    .leftJoin(guardians, eq(guardians.id, receipts.guardianId))
    .where(eq(campaignClasses.campaignId, campaignId))
    .orderBy(asc(classes.name), asc(students.studentNo), asc(students.name));
}

export interface CampaignSummaryRow {
  id: string;
  schoolId: string;
  schoolName: string;
  letter: string;
  title: string;
  deadline: Date;
  status: 'open' | 'closed';
  createdAt: Date;
}

/** Campaigns of these schools, newest first. */
export async function campaignsOfSchools(db: Db, schoolIds: readonly string[]): Promise<CampaignSummaryRow[]> {
  if (schoolIds.length === 0) return [];
  return db
    .select({
      id: campaigns.id,
      schoolId: campaigns.schoolId,
      schoolName: schools.name,
      letter: campaigns.letter,
      title: campaigns.title,
      deadline: campaigns.deadline,
      status: campaigns.status,
      createdAt: campaigns.createdAt,
    })
    .from(campaigns)
    .innerJoin(schools, eq(schools.id, campaigns.schoolId))
    .where(inArray(campaigns.schoolId, [...schoolIds]))
    .orderBy(sql`${campaigns.createdAt} desc`);
}

export async function schoolsOfDistrict(db: Db, districtId: string): Promise<string[]> {
  const rows = await db.select({ id: schools.id }).from(schools).where(eq(schools.districtId, districtId));
  return rows.map((row) => row.id);
}
