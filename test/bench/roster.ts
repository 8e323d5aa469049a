/**
 * Roster parsing speed for a 3,000-student school (two guardians each, some siblings), from rows and
 * from real .xlsx and .csv files. Prints timings; run with `npx tsx test/bench/roster.ts`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readRosterFile } from '../../src/cli/commands/roster-file.node.js';
import { parseRoster } from '../../src/domain/roster/parse.js';

const STUDENTS = 3000;
const GRADES = ['一', '二', '三', '四', '五', '六'];

function syntheticRoster(): string[][] {
  const rows = [['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号']];
  for (let i = 0; i < STUDENTS; i++) {
    const className = `${GRADES[i % 6]}年级${(Math.floor(i / 6) % 10) + 1}班`;
    const name = `学生${i}`;
    // Every tenth student is the younger sibling of the one before: same mother.
    const mother = i % 10 === 1 ? i - 1 : i;
    rows.push([
      className,
      name,
      `2024${String(i).padStart(4, '0')}`,
      `${name}父`,
      '父亲',
      `139 ${String(i).padStart(4, '0')} 0000`,
    ]);
    rows.push([className, name, '', `家长${mother}`, '妈妈', `+86 138${String(mother).padStart(8, '0')}`]);
  }
  return rows;
}

/** Wall time and this process's CPU time: on a busy shared machine the CPU time is the fairer figure. */
async function time<T>(label: string, run: () => Promise<T> | T, repeat = 5): Promise<T> {
  let result!: T;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    result = await run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `${label.padEnd(34)} wall median ${median(wall).toFixed(1)} ms (first ${wall[0]!.toFixed(1)})` +
      `  cpu median ${median(cpu).toFixed(1)} ms`,
  );
  return result;
}

const rows = syntheticRoster();
const dir = await mkdtemp(join(tmpdir(), 'xiaoan-roster-bench-'));
try {
  const csvPath = join(dir, 'roster.csv');
  await writeFile(csvPath, `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  const xlsxPath = join(dir, 'roster.xlsx');
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('名单').addRows(rows);
  await workbook.xlsx.writeFile(xlsxPath);

  console.log(`${STUDENTS} students, ${rows.length - 1} rows`);
  const parsed = await time('parseRoster (rows in memory)', () => parseRoster(rows), 10);
  await time('readRosterFile (.csv, UTF-8 BOM)', () => readRosterFile(csvPath));
  const fromXlsx = await time('readRosterFile (.xlsx)', () => readRosterFile(xlsxPath));
  console.log(
    `students ${parsed.rows.length}, guardians ${parsed.guardians.length}, classes ${parsed.classNames.length}, ` +
      `problems ${parsed.problems.length}; xlsx students ${fromXlsx.rows.length}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
