import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlankTestDb, testDriver } from '../../test/helpers/db.js';
import { migrate, migrationsFolder } from './migrate.node.js';
import { rowsOf } from './rows.js';

/** A copy of the migrations folder holding only the first `count` migrations: an older release's schema. */
function migrationsUpTo(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'xiaoan-migrations-'));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

describe(`upgrading a database that already holds receipts, on ${testDriver}`, async () => {
  const database = await createBlankTestDb();
  const olderRelease = migrationsUpTo(4);
  afterAll(async () => {
    await database.close();
    rmSync(olderRelease, { recursive: true, force: true });
  });
  const { db } = database;

  it('keeps every receipt when the receipt identity becomes (campaign, student)', async () => {
    await migrate(database, olderRelease);
    await db.execute(sql`
      with d as (insert into districts (code, name) values ('up', '升级区') returning id),
      s as (insert into schools (district_id, code, name) select id, 'up', '升级学校' from d returning id),
      c as (insert into classes (school_id, name) select id, '一年级1班' from s returning id, school_id),
      cp as (insert into campaigns (id, school_id, letter, title, deadline, created_at)
             select '00000000-0000-4000-8000-000000000001', school_id, 'drowning', '防溺水', now() + interval '7 days', now() from c),
      st as (insert into students (id, school_id, class_id, name)
             select '00000000-0000-4000-8000-000000000002', school_id, id, '张小明' from c)
      select 1`);
    await db.execute(sql`
      insert into receipts (campaign_id, student_id, channel, confirmed_at)
      values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'card', '2026-06-01T10:00:00Z')`);

    await migrate(database);

    const receipts = rowsOf<{ channel: string; confirmed_at: string }>(
      await db.execute(sql`select channel, confirmed_at::text from receipts`),
    );
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.channel).toBe('card');
    const again = sql`
      insert into receipts (campaign_id, student_id, channel, confirmed_at)
      values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'h5', now())`;
    await expect(db.execute(again)).rejects.toThrow();
  });

  it('leaves one index on receipts and a BRIN index for dedupe-key retention', async () => {
    const indexes = rowsOf<{ tablename: string; indexname: string; indexdef: string }>(
      await db.execute(
        sql`select tablename, indexname, indexdef from pg_indexes where tablename in ('receipts', 'inbound_events') order by indexname`,
      ),
    );
    expect(indexes.filter((index) => index.tablename === 'receipts').map((index) => index.indexname)).toEqual([
      'receipts_one_per_student',
    ]);
    const retention = indexes.find((index) => index.indexname === 'inbound_events_received');
    expect(retention?.indexdef).toMatch(/USING brin \(received_at\)/);
  });

  it('keeps foreign keys on what a receipt is about (campaign, student), not on who confirmed it', async () => {
    const keys = rowsOf<{ definition: string }>(
      await db.execute(sql`
        select pg_get_constraintdef(oid) as definition from pg_constraint
        where conrelid = 'receipts'::regclass and contype = 'f' order by 1`),
    );
    expect(keys.map((key) => key.definition)).toEqual([
      'FOREIGN KEY (campaign_id) REFERENCES campaigns(id)',
      'FOREIGN KEY (student_id) REFERENCES students(id)',
    ]);
    const unknownStudent = sql`
      insert into receipts (campaign_id, student_id, channel, confirmed_at)
      values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000ff', 'card', now())`;
    await expect(db.execute(unknownStudent)).rejects.toThrow();
  });
});
