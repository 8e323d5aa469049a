import { sql } from 'drizzle-orm';
import { codeSequences } from '../schema.js';
import type { Db } from '../types.js';

/**
 * Draws the next number of a school's yearly register (YH, SG …). The upsert takes the row lock, so
 * concurrent transactions queue on it and each gets its own number; a rolled-back transaction gives its
 * number back, so codes stay consecutive.
 */
export async function nextCodeNumber(db: Db, schoolId: string, prefix: string, year: number): Promise<number> {
  const [row] = await db
    .insert(codeSequences)
    .values({ schoolId, prefix, year, last: 1 })
    .onConflictDoUpdate({
      target: [codeSequences.schoolId, codeSequences.prefix, codeSequences.year],
      set: { last: sql`${codeSequences.last} + 1` },
    })
    .returning({ last: codeSequences.last });
  return row!.last;
}
