/**
 * Roster import speed for a 3,000-student school (6,000 rows, two guardians each, some siblings): parse
 * the .xlsx, write it (first import), write it again (re-import, all unchanged). On PGlite, and on the
 * PostgreSQL at DATABASE_URL when set. Run with `npx tsx test/bench/roster-import.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readRosterFile } from '../../src/cli/commands/roster-file.node.js';
import { ensureDistrict, ensureSchool } from '../../src/db/repos/org.js';
import { importRoster } from '../../src/db/repos/roster.js';
import { createTestDb } from '../helpers/db.js';
import { syntheticRoster } from '../receipts/roster-data.js';

const STUDENTS = 3000;
const SECRET = 'bench-secret-bench-secret-bench-secret!!';

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const result = await run();
  const cpu = process.cpuUsage(startCpu);
  console.log(
    `${label.padEnd(40)} wall ${(performance.now() - start).toFixed(0).padStart(6)} ms   cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} ms`,
  );
  return result;
}

const dir = await mkdtemp(join(tmpdir(), 'xiaoan-roster-import-bench-'));
try {
  const path = join(dir, 'roster.xlsx');
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('名单').addRows(syntheticRoster(STUDENTS));
  await workbook.xlsx.writeFile(path);
  const parsed = await timed('read + parse .xlsx', () => readRosterFile(path));
  console.log(
    `${parsed.rows.length} students, ${parsed.guardians.length} guardians, ${parsed.classNames.length} classes`,
  );

  const database = await createTestDb();
  try {
    console.log(`database: ${database.driver}`);
    const districtId = await ensureDistrict(database.db, 'bench', '测试区');
    const schoolId = await ensureSchool(database.db, { districtId, code: 'bench', name: '测试学校' });
    const input = { schoolId, ...parsed, secret: SECRET };
    const first = await timed('first import (all new)', () => importRoster(database.db, input));
    const again = await timed('re-import (all unchanged)', () => importRoster(database.db, input));
    console.log(
      `first: students +${first.students.created}, guardians +${first.guardians.created}, links +${first.links.created}; ` +
        `again: students unchanged ${again.students.unchanged}, links unchanged ${again.links.unchanged}`,
    );
  } finally {
    await database.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
