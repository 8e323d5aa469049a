import { and, isNull, lt, or, sql } from 'drizzle-orm';
import { iso, rowsOf } from '../rows.js';
import type { RateBucket } from '../../model/outbound.js';
import { rateBuckets } from '../schema.js';
import type { Db } from '../types.js';

/**
 * A clock this far behind a bucket's last take did not drift: it was set back (sandbox time travel, a clock
 * fix). The bucket's history then says nothing about the present and it starts full again.
 */
const CLOCK_SET_BACK = '1 minute';

const limitsJson = (buckets: readonly RateBucket[]) =>
  JSON.stringify(buckets.map(({ key, ratePerSecond, burst }) => ({ key, rate: ratePerSecond, burst })));

/**
 * Takes one token from every bucket, or none: 0 on success, else how long to wait (ms). The buckets live in
 * PostgreSQL, so every dispatching process draws from the same ones; their rows are locked in key order
 * while a take decides, so concurrent takes wait for each other instead of overdrawing or deadlocking.
 */
export async function takeTokens(db: Db, buckets: readonly RateBucket[], now: Date): Promise<number> {
  if (buckets.length === 0) return 0;
  const limits = limitsJson(buckets);
  const at = iso(now);
  const take = async () => {
    const result = await db.execute(sql`
      with req as (
        select * from json_to_recordset(${limits}::json) as r(key text, rate float8, burst float8)
      ),
      cur as (
        select b.key, r.rate, b.blocked_until,
               case when b.updated_at > ${at}::timestamptz + ${CLOCK_SET_BACK}::interval then r.burst
                    else least(r.burst, b.tokens + r.rate * greatest(0, extract(epoch from (${at}::timestamptz - b.updated_at))))
               end as available
        from rate_buckets b join req r on r.key = b.key
        order by b.key
        for update of b
      ),
      verdict as (
        select count(*)::int as found,
               coalesce(max(case
                 when blocked_until > ${at}::timestamptz
                   then ceil(extract(epoch from (blocked_until - ${at}::timestamptz)) * 1000)
                 when available < 1 then ceil((1 - available) / rate * 1000)
                 else 0 end), 0)::float8 as wait_ms
        from cur
      ),
      taken as (
        update rate_buckets b set tokens = cur.available - 1, updated_at = ${at}::timestamptz
        from cur, verdict
        where b.key = cur.key and verdict.wait_ms = 0 and verdict.found = ${buckets.length}
      )
      select found, wait_ms from verdict`);
    const row = rowsOf<{ found: number; wait_ms: number }>(result)[0]!;
    return { found: Number(row.found), waitMs: Number(row.wait_ms) };
  };
  const first = await take();
  if (first.found === buckets.length) return first.waitMs;
  // A bucket seen for the first time starts full.
  await db.execute(sql`
    insert into rate_buckets (key, tokens, updated_at)
    select key, burst, ${at}::timestamptz
    from json_to_recordset(${limits}::json) as r(key text, rate float8, burst float8)
    order by key
    on conflict (key) do nothing`);
  return (await take()).waitMs;
}

/** A platform said "slow down" for a target: its buckets empty and hold until `until`, for every process. */
export async function blockBuckets(db: Db, buckets: readonly RateBucket[], until: Date, now: Date): Promise<void> {
  if (buckets.length === 0) return;
  await db.execute(sql`
    insert into rate_buckets (key, tokens, updated_at, blocked_until)
    select key, 0, ${iso(now)}::timestamptz, ${iso(until)}::timestamptz
    from json_to_recordset(${limitsJson(buckets)}::json) as r(key text)
    order by key
    on conflict (key) do update set
      tokens = 0,
      updated_at = excluded.updated_at,
      blocked_until = greatest(rate_buckets.blocked_until, excluded.blocked_until)`);
}

/** Drops buckets untouched since `idleSince` and not held by a platform: refilled by now, they equal a new one. */
export async function forgetIdleBuckets(db: Db, idleSince: Date, now: Date): Promise<void> {
  await db
    .delete(rateBuckets)
    .where(
      and(
        lt(rateBuckets.updatedAt, idleSince),
        or(isNull(rateBuckets.blockedUntil), lt(rateBuckets.blockedUntil, now)),
      ),
    );
}
