import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { connectPostgres } from './client.js';
import * as schema from './schema.js';
import type { Database, Db } from './types.js';

export function openPglite(client: PGlite): Database {
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    driver: 'pglite',
    close: () => client.close(),
  };
}

/** No DATABASE_URL: embedded PGlite in the data dir (nothing to install). */
export async function connectDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl);
  const dir = resolve(options.dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  return openPglite(client);
}
