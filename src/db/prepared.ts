import type { SQL } from 'drizzle-orm';
import type { Db } from './types.js';

/**
 * A hot statement as a named prepared statement on postgres.js. drizzle sends every `db.execute` unnamed,
 * so PostgreSQL plans it again on each call; for the set-based receipt statements (a dozen joined tables and
 * data-modifying CTEs) planning costs several times the execution. Named, PostgreSQL plans it a few times per
 * connection and then keeps a generic plan, which the JSON-array parameters make as good as a custom one.
 * Only for statements whose text does not depend on the data (each distinct text is kept per connection).
 * A client created with `prepare: false` (a pooler without prepared statements) still sends them unnamed.
 * PGlite has no round trips or plan cache to gain from, and takes drizzle's own path.
 */

interface PostgresJsClient {
  unsafe(query: string, params: unknown[], options: { prepare: boolean }): PromiseLike<unknown>;
}

interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: { client?: unknown };
}

function postgresJsClient(client: unknown): PostgresJsClient | null {
  return typeof (client as Partial<PostgresJsClient> | undefined)?.unsafe === 'function'
    ? (client as PostgresJsClient)
    : null;
}

export async function executePrepared(db: Db, query: SQL): Promise<unknown> {
  const { dialect, session } = db as unknown as DrizzleInternals;
  const client = postgresJsClient(session.client);
  if (!client) return db.execute(query);
  const { sql, params } = dialect.sqlToQuery(query);
  return client.unsafe(sql, params, { prepare: true });
}
