import { sql } from 'drizzle-orm';
import { rowsOf } from '../rows.js';
import type { Db } from '../types.js';

/** Named, expiring locks shared by every instance; the database clock decides expiry so instances agree. */
export interface LeaseStore {
  tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

export function createLeaseStore(db: Db): LeaseStore {
  const interval = (ttlMs: number) => sql`(${String(Math.max(1, Math.round(ttlMs)))} || ' milliseconds')::interval`;
  return {
    async tryAcquire(name, holder, ttlMs) {
      const result = await db.execute(sql`
        insert into leases (name, holder, expires_at) values (${name}, ${holder}, now() + ${interval(ttlMs)})
        on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
        where leases.expires_at < now() or leases.holder = excluded.holder
        returning name`);
      return rowsOf(result).length > 0;
    },
    async renew(name, holder, ttlMs) {
      const result = await db.execute(sql`
        update leases set expires_at = now() + ${interval(ttlMs)}
        where name = ${name} and holder = ${holder} and expires_at > now()
        returning name`);
      return rowsOf(result).length > 0;
    },
    async release(name, holder) {
      await db.execute(sql`delete from leases where name = ${name} and holder = ${holder}`);
    },
  };
}
