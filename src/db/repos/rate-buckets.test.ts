import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.js';
import { connectPostgres } from '../client.js';
import { blockBuckets, takeTokens } from './rate-buckets.js';

const at = (seconds: number) => new Date(Date.parse('2026-11-23T08:00:00Z') + seconds * 1000);
const chat = { key: 'feishu:app:chat:oc_1', ratePerSecond: 2, burst: 3 };
const app = { key: 'feishu:app', ratePerSecond: 50, burst: 50 };

describe('shared token buckets', async () => {
  const database = await createTestDb();
  const { db } = database;
  afterAll(() => database.close());
  beforeEach(async () => {
    await db.execute(sql`delete from rate_buckets`);
  });

  it('starts full, spends the burst, then says how long to wait, and refills at the rate', async () => {
    for (let i = 0; i < 3; i++) expect(await takeTokens(db, [chat, app], at(0))).toBe(0);
    expect(await takeTokens(db, [chat, app], at(0))).toBe(500);
    expect(await takeTokens(db, [chat, app], at(0.25))).toBe(250);
    expect(await takeTokens(db, [chat, app], at(0.5))).toBe(0);
    expect(await takeTokens(db, [chat], at(0.5))).toBe(500);
  });

  it('takes from every bucket or from none', async () => {
    const other = { key: 'feishu:app:chat:oc_2', ratePerSecond: 2, burst: 3 };
    const narrowApp = { key: 'feishu:narrow', ratePerSecond: 1, burst: 1 };
    expect(await takeTokens(db, [chat, narrowApp], at(0))).toBe(0);
    expect(await takeTokens(db, [other, narrowApp], at(0))).toBe(1000);
    for (let i = 0; i < 3; i++) expect(await takeTokens(db, [other], at(0))).toBe(0);
  });

  it('holds a blocked target for everyone until the time the platform gave', async () => {
    await takeTokens(db, [chat], at(0));
    await blockBuckets(db, [chat, app], at(30), at(1));
    expect(await takeTokens(db, [chat], at(2))).toBe(28_000);
    expect(await takeTokens(db, [app], at(29))).toBe(1000);
    expect(await takeTokens(db, [chat, app], at(30))).toBe(0);
  });

  it('starts a bucket full again when the clock was set back, not waiting for the old time to return', async () => {
    for (let i = 0; i < 3; i++) await takeTokens(db, [chat], at(600));
    expect(await takeTokens(db, [chat], at(600))).toBeGreaterThan(0);
    expect(await takeTokens(db, [chat], at(0))).toBe(0);
  });

  it('never overdraws under concurrent takes from separate connections', async () => {
    const others = database.url
      ? [connectPostgres(database.url, { max: 4 }), connectPostgres(database.url, { max: 4 })]
      : [];
    try {
      const pools = [db, ...others.map((other) => other.db)];
      const outcomes = await Promise.all(
        Array.from({ length: 24 }, (_, i) => takeTokens(pools[i % pools.length]!, [chat, app], at(0))),
      );
      expect(outcomes.filter((wait) => wait === 0)).toHaveLength(3);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });
});
