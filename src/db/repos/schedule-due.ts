/**
 * Index-driven reads of what may be due: hazards in rectification by deadline (hazards_open_deadline),
 * open incidents by first-report due time (incidents_open_due), unfired ad-hoc reminders by due time
 * (adhoc_reminders_due). Each reads a range of its partial index, so a tick costs what is due.
 */
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import { adhocReminders, hazards, incidents, people } from '../schema.js';
import type { Db } from '../types.js';

export interface DueHazard {
  id: string;
  schoolId: string;
  code: string;
  status: string;
  level: 'general' | 'major';
  location: string;
  description: string;
  deadline: Date;
  cycle: number;
  ownerId: string | null;
  ownerName: string | null;
}

/** Hazards in rectification whose deadline is at or before `horizon` (overdue ones included). */
export async function rectifyingDueBy(db: Db, horizon: Date): Promise<DueHazard[]> {
  const rows = await db
    .select({
      id: hazards.id,
      schoolId: hazards.schoolId,
      code: hazards.code,
      status: hazards.status,
      level: hazards.level,
      location: hazards.location,
      description: hazards.description,
      deadline: hazards.deadline,
      cycle: hazards.cycle,
      ownerId: hazards.ownerId,
      ownerName: people.name,
    })
    .from(hazards)
    .leftJoin(people, eq(people.id, hazards.ownerId))
    .where(and(eq(hazards.status, 'rectifying'), lte(hazards.deadline, horizon)));
  return rows.flatMap((row) => (row.deadline === null ? [] : [{ ...row, deadline: row.deadline }]));
}

export interface DueIncident {
  id: string;
  schoolId: string;
  code: string;
  category: string;
  location: string;
  description: string;
  reporterId: string;
  reporterName: string;
  reportedAt: Date;
  firstReportDue: Date;
}

/** Open incidents whose first report is due at or before `horizon`. */
export async function openIncidentsDueBy(db: Db, horizon: Date): Promise<DueIncident[]> {
  return db
    .select({
      id: incidents.id,
      schoolId: incidents.schoolId,
      code: incidents.code,
      category: incidents.category,
      location: incidents.location,
      description: incidents.description,
      reporterId: incidents.reporterId,
      reporterName: people.name,
      reportedAt: incidents.reportedAt,
      firstReportDue: incidents.firstReportDue,
    })
    .from(incidents)
    .innerJoin(people, eq(people.id, incidents.reporterId))
    .where(and(eq(incidents.status, 'open'), lte(incidents.firstReportDue, horizon)));
}

export type AdhocRow = typeof adhocReminders.$inferSelect;

/** Unfired ad-hoc reminders due by `now`, oldest first, at most `limit` per tick. */
export async function dueAdhocReminders(db: Db, now: Date, limit: number): Promise<AdhocRow[]> {
  return db
    .select()
    .from(adhocReminders)
    .where(and(isNull(adhocReminders.firedAt), lte(adhocReminders.dueAt, now)))
    .orderBy(asc(adhocReminders.dueAt))
    .limit(limit);
}

export async function markAdhocFired(db: Db, id: string, at: Date): Promise<void> {
  await db.update(adhocReminders).set({ firedAt: at }).where(eq(adhocReminders.id, id));
}
