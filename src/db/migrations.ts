import { sql } from 'drizzle-orm';
import journal from '../../migrations/meta/_journal.json' with { type: 'json' };
import type { Db } from './types.js';

export const expectedMigrationCount = journal.entries.length;

/** How many of our migrations the database has applied (0 when none ever ran). */
export async function appliedMigrationCount(db: Db): Promise<number> {
  const rows = await db
    .execute<{ count: number }>(sql`
    select count(*)::int as count from drizzle.__drizzle_migrations
    where exists (select 1 from information_schema.tables
                  where table_schema = 'drizzle' and table_name = '__drizzle_migrations')`)
    .catch(() => null);
  if (!rows) return 0;
  const list = Array.isArray(rows) ? rows : (rows as { rows: { count: number }[] }).rows;
  return Number(list[0]?.count ?? 0);
}

export async function migrationsCurrent(db: Db): Promise<boolean> {
  return (await appliedMigrationCount(db)) >= expectedMigrationCount;
}
