import { and, desc, eq, gte } from 'drizzle-orm';
import { hazardDrafts } from '../schema.js';
import type { Db } from '../types.js';

export type DraftRow = typeof hazardDrafts.$inferSelect;
export type NewDraftRow = typeof hazardDrafts.$inferInsert;
export type DraftPatch = Partial<Omit<NewDraftRow, 'id' | 'schoolId' | 'reporterId' | 'createdAt'>>;

export async function insertDraft(db: Db, values: NewDraftRow): Promise<DraftRow> {
  const [row] = await db.insert(hazardDrafts).values(values).returning();
  return row!;
}

/** `lock` serialises double clicks: the second click waits and then sees the first one's result. */
export async function findDraft(db: Db, id: string, options: { lock?: boolean } = {}): Promise<DraftRow | null> {
  const query = db.select().from(hazardDrafts).where(eq(hazardDrafts.id, id)).limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function updateDraft(db: Db, id: string, patch: DraftPatch): Promise<DraftRow> {
  const [row] = await db.update(hazardDrafts).set(patch).where(eq(hazardDrafts.id, id)).returning();
  return row!;
}

/** The reporter's newest draft in a chat still awaiting confirmation, if it was made since `since`. */
export async function latestPendingDraft(
  db: Db,
  where: { platform: string; tenant: string; chatId: string; reporterId: string; since: Date },
): Promise<DraftRow | null> {
  const [row] = await db
    .select()
    .from(hazardDrafts)
    .where(
      and(
        eq(hazardDrafts.reporterId, where.reporterId),
        eq(hazardDrafts.platform, where.platform),
        eq(hazardDrafts.tenant, where.tenant),
        eq(hazardDrafts.chatId, where.chatId),
        eq(hazardDrafts.status, 'pending'),
        gte(hazardDrafts.createdAt, where.since),
      ),
    )
    .orderBy(desc(hazardDrafts.createdAt))
    .limit(1)
    .for('update');
  return row ?? null;
}
