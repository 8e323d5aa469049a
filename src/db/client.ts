import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';
import type { Database, Db } from './types.js';

/** PostgreSQL through postgres.js: the Node server with DATABASE_URL, and Workers through Hyperdrive. */
export function connectPostgres(url: string, options: { max?: number } = {}): Database {
  const open = (max: number) => postgres(url, { max, onnotice: () => {}, prepare: true });
  const sql = open(options.max ?? 10);
  // postgres.js connects lazily: a burst pool costs nothing until its first flush.
  const burstClients: postgres.Sql[] = [];
  return {
    db: drizzle(sql, { schema }) as unknown as Db,
    driver: 'postgres',
    burstPool(connections) {
      const client = open(connections);
      burstClients.push(client);
      return drizzle(client, { schema }) as unknown as Db;
    },
    close: async () => {
      await Promise.all([sql, ...burstClients].map((client) => client.end({ timeout: 5 })));
    },
  };
}
