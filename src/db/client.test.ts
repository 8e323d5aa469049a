import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, testDriver } from '../../test/helpers/db.js';
import { connectPostgres } from './client.js';
import { rowsOf } from './rows.js';
import type { Db } from './types.js';

async function backendPid(db: Db): Promise<number> {
  const [row] = rowsOf<{ pid: number }>(await db.execute(sql`select pg_backend_pid() as pid, pg_sleep(0.02)`));
  return Number(row!.pid);
}

describe(`burst pools on ${testDriver}`, async () => {
  const database = await createTestDb();
  afterAll(() => database.close());

  if (testDriver === 'pglite') {
    it('are not offered by embedded PGlite, which has one connection', () => {
      expect(database.burstPool).toBeUndefined();
    });
    return;
  }

  it('keep a burst on its own few backends while the main pool is wide open, and close with it', async () => {
    const connection = connectPostgres(database.url!, { max: 8 });
    const mainPids = new Set(await Promise.all(Array.from({ length: 8 }, () => backendPid(connection.db))));
    expect(mainPids.size).toBe(8);

    const burst = connection.burstPool!(2);
    const burstPids = new Set<number>();
    for (let round = 0; round < 10; round += 1) {
      for (const pid of await Promise.all([backendPid(burst), backendPid(burst)])) burstPids.add(pid);
    }
    expect(burstPids.size).toBe(2);
    expect([...burstPids].filter((pid) => mainPids.has(pid))).toEqual([]);

    await connection.close();
    // A backend exits shortly after its client says goodbye.
    const ours = async () =>
      rowsOf<{ pid: number }>(
        await database.db.execute(sql`select pid from pg_stat_activity where datname = current_database()`),
      )
        .map((row) => Number(row.pid))
        .filter((pid) => mainPids.has(pid) || burstPids.has(pid));
    await expect.poll(ours, { timeout: 3000 }).toEqual([]);
  });
});
