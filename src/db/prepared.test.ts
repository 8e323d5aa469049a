import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDatabase, testDriver } from '../../test/helpers/db.js';
import { executePrepared } from './prepared.js';
import { rowsOf } from './rows.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => {
  await database.close();
});

const doubled = (values: number[]) =>
  sql`select v::int * 2 as twice from json_array_elements_text(${JSON.stringify(values)}::json) as v(v) order by 1`;

describe('executePrepared', () => {
  it('returns the rows db.execute would, parameters included', async () => {
    const prepared = rowsOf<{ twice: number }>(await executePrepared(database.db, doubled([3, 1, 2])));
    const plain = rowsOf<{ twice: number }>(await database.db.execute(doubled([3, 1, 2])));
    expect(prepared.map((row) => Number(row.twice))).toEqual([2, 4, 6]);
    expect(prepared.map((row) => Number(row.twice))).toEqual(plain.map((row) => Number(row.twice)));
  });

  it('runs inside a transaction, on its connection, and rolls back with it', async () => {
    await database.db.execute(sql`create table prepared_probe (n int not null)`);
    await expect(
      database.db.transaction(async (tx) => {
        await executePrepared(tx, sql`insert into prepared_probe (n) values (${1})`);
        const seen = rowsOf<{ n: number }>(
          await executePrepared(tx, sql`select count(*)::int as n from prepared_probe`),
        );
        expect(Number(seen[0]!.n)).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from prepared_probe`));
    expect(Number(after[0]!.n)).toBe(0);
  });

  it('keeps one named statement per text on PostgreSQL (planned once); PGlite takes the plain path', async () => {
    const names = await database.db.transaction(async (tx) => {
      await executePrepared(tx, doubled([5]));
      await executePrepared(tx, doubled([6, 7]));
      return rowsOf<{ name: string }>(
        await tx.execute(
          sql`select name from pg_prepared_statements where statement like '%json_array_elements_text%' and name <> ''`,
        ),
      );
    });
    expect(names).toHaveLength(testDriver === 'postgres' ? 1 : 0);
  });
});
