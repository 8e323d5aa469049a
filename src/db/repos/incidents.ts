import { eq } from 'drizzle-orm';
import { auditLog, incidents } from '../schema.js';
import type { Db } from '../types.js';

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncidentRow = typeof incidents.$inferInsert;

export async function insertIncident(db: Db, values: NewIncidentRow): Promise<IncidentRow> {
  const [row] = await db.insert(incidents).values(values).returning();
  return row!;
}

export async function findIncident(db: Db, id: string, options: { lock?: boolean } = {}): Promise<IncidentRow | null> {
  const query = db.select().from(incidents).where(eq(incidents.id, id)).limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

/** 首报: the first report to the bureau is done; the scheduler stops nagging (incidents_open_due). */
export async function markFirstReport(db: Db, id: string, at: Date): Promise<IncidentRow> {
  const [row] = await db
    .update(incidents)
    .set({ firstReportAt: at, status: 'reported' })
    .where(eq(incidents.id, id))
    .returning();
  return row!;
}

/** Who recorded the first report: the incidents table keeps the time, the audit log keeps the person. */
export async function auditFirstReport(db: Db, incidentId: string, actorPersonId: string, at: Date): Promise<void> {
  await db.insert(auditLog).values({
    at,
    actorPersonId,
    action: 'incident.first_report',
    subject: `incident:${incidentId}`,
    detail: { firstReportAt: at.toISOString() },
  });
}
