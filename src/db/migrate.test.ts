import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, testDriver } from '../../test/helpers/db.js';
import { migrate } from './migrate.node.js';
import { appliedMigrationCount, expectedMigrationCount, migrationsCurrent } from './migrations.js';

describe(`migrations on ${testDriver}`, async () => {
  const database = await createTestDb();
  afterAll(() => database.close());

  it('applies every migration and reports the schema current', async () => {
    expect(await appliedMigrationCount(database.db)).toBe(expectedMigrationCount);
    expect(await migrationsCurrent(database.db)).toBe(true);
  });

  it('creates the foundation tables', async () => {
    const result = await database.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: { table_name: string }[] }).rows).map(
      (row) => row.table_name,
    );
    for (const table of [
      'districts',
      'schools',
      'classes',
      'people',
      'platform_accounts',
      'role_grants',
      'chats',
      'inbound_events',
      'outbox',
      'audit_log',
    ]) {
      expect(rows).toContain(table);
    }
  });

  it('is idempotent: running again changes nothing', async () => {
    await migrate(database);
    expect(await appliedMigrationCount(database.db)).toBe(expectedMigrationCount);
  });
});
