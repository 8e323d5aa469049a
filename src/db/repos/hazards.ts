import { and, eq, inArray } from 'drizzle-orm';
import { hazards } from '../schema.js';
import type { Db } from '../types.js';

export type HazardRow = typeof hazards.$inferSelect;
export type NewHazardRow = typeof hazards.$inferInsert;
export type HazardPatch = Partial<Omit<NewHazardRow, 'id' | 'schoolId' | 'code' | 'createdAt'>>;

const OPEN = ['reported', 'rectifying', 'verifying'] as const;

export async function insertHazard(db: Db, values: NewHazardRow): Promise<HazardRow> {
  const [row] = await db.insert(hazards).values(values).returning();
  return row!;
}

/** `lock` takes the row lock: the caller is about to change the hazard in this transaction. */
export async function findHazardByCode(
  db: Db,
  schoolId: string,
  code: string,
  options: { lock?: boolean } = {},
): Promise<HazardRow | null> {
  const query = db
    .select()
    .from(hazards)
    .where(and(eq(hazards.schoolId, schoolId), eq(hazards.code, code)))
    .limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function findHazardById(db: Db, id: string, options: { lock?: boolean } = {}): Promise<HazardRow | null> {
  const query = db.select().from(hazards).where(eq(hazards.id, id)).limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function updateHazard(db: Db, id: string, patch: HazardPatch, now: Date): Promise<HazardRow> {
  const [row] = await db
    .update(hazards)
    .set({ ...patch, updatedAt: now })
    .where(eq(hazards.id, id))
    .returning();
  return row!;
}

/** Open hazards of one category at a school: the candidates a new report may repeat. */
export async function openHazardsInCategory(db: Db, schoolId: string, category: string): Promise<HazardRow[]> {
  return db
    .select()
    .from(hazards)
    .where(and(eq(hazards.schoolId, schoolId), eq(hazards.category, category), inArray(hazards.status, [...OPEN])));
}
