import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';
import type { Database, Db } from './types.js';

/** PostgreSQL through postgres.js: the Node server with DATABASE_URL, and Workers through Hyperdrive. */
export function connectPostgres(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {}, prepare: true });
  return {
    db: drizzle(sql, { schema }) as unknown as Db,
    driver: 'postgres',
    close: () => sql.end({ timeout: 5 }),
  };
}
