import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectPostgres } from '../../src/db/client.js';
import { openPglite } from '../../src/db/client.node.js';
import { migrate } from '../../src/db/migrate.node.js';
import type { Database } from '../../src/db/types.js';
import { migratedPgliteSnapshot } from './pglite-snapshot.js';

/** Which database the suite runs on: PGlite by default, the PostgreSQL at DATABASE_URL when set. */
export const testDriver: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

let pgliteSnapshot: Promise<Blob> | undefined;

/** Under vitest the run's global setup made the snapshot once; scripts (benchmarks) make their own. */
async function snapshot(): Promise<Blob> {
  const provided = process.env.VITEST ? inject('pgliteSnapshot') : undefined;
  return provided ? new Blob([await readFile(provided)]) : migratedPgliteSnapshot();
}

/**
 * A fresh, migrated database for one test file or test: an in-memory PGlite restored from a migrated
 * snapshot, or a new PostgreSQL database (dropped again on close).
 */
export interface TestDatabase extends Database {
  /** Set on PostgreSQL: lets a test open a second, independent pool on the same database. */
  url?: string;
}

export async function createTestDb(): Promise<TestDatabase> {
  if (testDriver === 'pglite') {
    pgliteSnapshot ??= snapshot();
    const client = await PGlite.create({ loadDataDir: await pgliteSnapshot });
    return openPglite(client);
  }
  const database = await createBlankTestDb();
  await migrate(database);
  return database;
}

/** A fresh database without any migration applied (for upgrade tests). */
export async function createBlankTestDb(): Promise<TestDatabase> {
  if (testDriver === 'pglite') return openPglite(await PGlite.create());
  const adminUrl = process.env.DATABASE_URL!;
  const name = `xiaoan_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = connectPostgres(url.toString(), { max: 8 });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
