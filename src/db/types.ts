import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/** Both drivers (PGlite and postgres.js) give this; a transaction is one too, so repositories take `Db`. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * A small pool of a burst's own (receipt taps, H5 confirmations): its group-committed flushes keep to the same
 * few backends, whose plans and caches stay warm, instead of rotating over every connection the main pool has
 * opened (PostgreSQL CPU per tap rose by a quarter when they did), and never queue behind other work.
 */
export type BurstPool = (connections: number) => Db;

export interface Database {
  db: Db;
  /** PostgreSQL only: embedded PGlite has one connection and runs bursts on `db`. */
  burstPool?: BurstPool;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}
