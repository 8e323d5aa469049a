import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { ensureDistrict, ensureSchool, findSchoolByCode } from '../../src/db/repos/org.js';
import { insertReceipts } from '../../src/db/repos/receipts.js';
import { importRoster } from '../../src/db/repos/roster.js';
import { seedDemo } from '../../src/db/repos/seed-demo.js';
import { campaigns, classes, guardians, studentGuardians, students } from '../../src/db/schema.js';
import { parseRoster } from '../../src/domain/roster/parse.js';
import { createTestDb } from '../helpers/db.js';
import { syntheticGuardianCount, syntheticRoster } from './roster-data.js';

function capture(isTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  let terminal = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      terminal += String(chunk);
      done();
    },
  });
  return {
    out,
    err,
    terminal: () => terminal,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), stdin: process.stdin, stdout, isTty },
  };
}

describe('xiaoan import-roster, campaign and export receipts', async () => {
  const database = await createTestDb();
  await seedDemo(database.db);
  const db = database.db;
  const districtId = await ensureDistrict(db, 'cli-district', '测试区');
  const schoolId = await ensureSchool(db, { districtId, code: 'cli', name: '测试小学' });
  afterAll(() => database.close());
  const dir = mkdtempSync(join(tmpdir(), 'xiaoan-receipts-cli-'));
  const env = { XIAOAN_DATA_DIR: join(dir, 'data') };
  const run = async (argv: string[], isTty = false) => {
    const captured = capture(isTty);
    const code = await runCli(argv, captured.io, env, { database });
    return { code, out: captured.out.join('\n'), err: captured.err.join('\n'), terminal: captured.terminal() };
  };
  const csv = (name: string, rows: string[][]) => {
    const path = join(dir, name);
    writeFileSync(path, `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
    return path;
  };
  const counts = async () => {
    const n = async (table: typeof students | typeof guardians | typeof classes) =>
      Number(
        (await db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.schoolId, schoolId)))[0]!.n,
      );
    const links = Number(
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(studentGuardians)
          .innerJoin(students, eq(students.id, studentGuardians.studentId))
          .where(eq(students.schoolId, schoolId))
      )[0]!.n,
    );
    return { classes: await n(classes), students: await n(students), guardians: await n(guardians), links };
  };

  it('imports a 3,000-student school from .xlsx with a progress bar, and re-imports it without duplicates', async () => {
    const path = join(dir, 'school.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('名单').addRows(syntheticRoster(3000));
    await workbook.xlsx.writeFile(path);

    const first = await run(['import-roster', '--school', 'cli', path], true);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.terminal).toContain('导入中 [');
    expect(first.terminal).toContain('100%');
    expect(first.out).toContain('学生：新增 3000，更新 0，未变 0');
    expect(first.out).toContain(`家长：新增 ${syntheticGuardianCount(3000)}，更新 0，未变 0`);
    expect(first.out).toContain('班级：新增 60，已有 0');
    expect(await counts()).toEqual({
      classes: 60,
      students: 3000,
      guardians: syntheticGuardianCount(3000),
      links: 6000,
    });
    const [stored] = await db.select().from(guardians).where(eq(guardians.schoolId, schoolId)).limit(1);
    expect(stored!.phoneHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.phoneLast4).toMatch(/^\d{4}$/);
    const stored3000 = JSON.stringify(await db.select().from(guardians).where(eq(guardians.schoolId, schoolId)));
    for (const phone of ['13900000000', '13800000000', '13900010000', '13800000002']) {
      expect(stored3000).not.toContain(phone);
    }

    const again = await run(['import-roster', '--school', 'cli', path]);
    expect(again.code).toBe(0);
    expect(again.terminal).toBe('');
    expect(again.out).toContain('学生：新增 0，更新 0，未变 3000');
    expect(again.out).toContain('家长与学生的关联：新增 0，更新 0，未变 6000');
    expect((await counts()).students).toBe(3000);
  });

  it('updates in place: a 学号 added later, a renamed guardian and a changed relation', async () => {
    const before = await counts();
    const v1 = csv('v1.csv', [
      ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'],
      ['七年级1班', '张小明', '', '张建国', '父亲', '13800138000'],
    ]);
    expect((await run(['import-roster', '--school', 'cli', v1])).out).toContain('学生：新增 1');
    const v2 = csv('v2.csv', [
      ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'],
      ['七年级1班', '张小明', '20240999', '张建国（父）', '爸爸', '138-0013-8000'],
      ['七年级1班', '张小明', '20240999', '李秀英', '继母', '13800138001'],
    ]);
    const updated = await run(['import-roster', '--school', 'cli', v2]);
    expect(updated.out).toContain('学生：新增 0，更新 1，未变 0');
    expect(updated.out).toContain('家长：新增 1，更新 1，未变 0');
    expect(updated.out).toContain('家长与学生的关联：新增 1，更新 0，未变 1');
    const [student] = await db.select().from(students).where(eq(students.name, '张小明'));
    expect(student!.studentNo).toBe('20240999');
    expect((await counts()).students).toBe(before.students + 1);
  });

  it('reports unusable rows with their line and reason, imports the rest, and says so', async () => {
    const path = csv('messy.csv', [
      ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'],
      ['八年级1班', '王小红', '1', '王芳', '母亲', '13900139000'],
      ['八年级1班', '王小红', '1', '王芳', '母亲', '139 0013 9000'],
      ['八年级1班', '李四', '2', '李父', '父亲', '12345'],
      ['', '赵五', '3', '赵父', '父亲', '13700137000'],
      ['八年级1班', '孙六', '4', '孙母', '母亲', ''],
    ]);
    const result = await run(['import-roster', '--school', 'cli', path]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('[提醒] 第 3 行：与第 2 行重复（同一学生、同一手机号），已合并');
    expect(result.err).toContain('[跳过] 第 4 行：手机号格式不正确');
    expect(result.err).toContain('[跳过] 第 5 行：班级为空，已跳过该行');
    expect(result.err).toContain('[跳过] 第 6 行：手机号为空');
    expect(result.err).not.toContain('12345');
    expect(result.out).toContain('学生：新增 3');
    expect(result.out).toContain('跳过：3 行');
  });

  it('refuses a file without the required columns and changes nothing', async () => {
    const before = await counts();
    const path = csv('bad.csv', [
      ['班级', '学生姓名', '家长姓名'],
      ['九年级1班', '周七', '周父'],
    ]);
    const result = await run(['import-roster', '--school', 'cli', path]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('缺少必需的列：关系、手机号');
    expect(result.err).toContain('数据库没有任何改动');
    expect(await counts()).toEqual(before);
    const missing = await run(['import-roster', '--school', 'cli', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('找不到文件');
    expect((await run(['import-roster', '--school', 'nope', path])).code).toBe(2);
    expect((await run(['import-roster', '--school', 'cli'])).err).toContain('请给出一个名单文件');
  });

  it('writes a roster in one transaction: a failure half-way leaves nothing behind', async () => {
    const before = await counts();
    const parsed = parseRoster(syntheticRoster(1500).map((row) => [row[0]!.replace('年级', '级部'), ...row.slice(1)]));
    await expect(
      importRoster(db, {
        schoolId,
        ...parsed,
        secret: 'x'.repeat(32),
        onProgress: (done) => {
          if (done > 1000) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await counts()).toEqual(before);
  });

  let campaignId = '';
  const future = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

  it('starts a campaign from the command line, and refuses one with no parents group', async () => {
    const unknown = await run(['campaign', 'create', '--school', 'demo', '--letter', '春游', '--deadline', future]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('防溺水');
    const past = await run([
      'campaign',
      'create',
      '--school',
      'demo',
      '--letter',
      '防溺水',
      '--deadline',
      '2020-01-01',
    ]);
    expect(past.code).toBe(2);

    const before = (await db.select({ n: sql<number>`count(*)::int` }).from(campaigns))[0]!.n;
    const noGroups = await run(['campaign', 'create', '--school', 'cli', '--letter', '防溺水', '--deadline', future]);
    expect(noGroups.code).toBe(1);
    expect(noGroups.err).toContain('都没有绑定家长群');
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(campaigns))[0]!.n).toBe(before);

    const created = await run([
      'campaign',
      'create',
      '--school',
      'demo',
      '--letter',
      '防溺水',
      '--deadline',
      future,
      '--class',
      '三年级1班',
    ]);
    expect(created.err).toBe('');
    expect(created.out).toContain('共 1 个班、10 名学生；卡片已发到 1 个家长群');
    campaignId = /回执编号：([0-9a-f-]{36})/.exec(created.out)![1]!;
  });

  it('lists campaigns and exports the receipts per class, masked, readable by Excel', async () => {
    const demo = (await findSchoolByCode(db, 'demo'))!;
    const [liu] = await db
      .select({ id: students.id })
      .from(students)
      .where(and(eq(students.schoolId, demo.id), eq(students.name, '刘小雨')));
    const [mother] = await db
      .select({ id: studentGuardians.guardianId })
      .from(studentGuardians)
      .where(and(eq(studentGuardians.studentId, liu!.id), eq(studentGuardians.relation, '母亲')));
    await insertReceipts(db, [
      {
        campaignId,
        studentId: liu!.id,
        guardianId: mother!.id,
        personId: null,
        relation: '母亲',
        channel: 'card',
        confirmedAt: new Date('2026-06-03T11:05:00Z'),
      },
    ]);
    const list = await run(['campaign', 'list', '--school', 'demo']);
    expect(list.out).toContain(campaignId);
    expect(list.out).toContain('已确认 1/10');

    const out = join(dir, 'receipts.xlsx');
    const exported = await run(['export', 'receipts', '--campaign', campaignId, '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('1 个班、10 名学生，已确认 1');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '三年级(1)班']);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(7).values).toEqual([undefined, '三年级(1)班', 10, 1, 9, '10%']);
    const sheet = workbook.getWorksheet('三年级(1)班')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '学生', '学号', '家长', '关系', '确认时间', '渠道']);
    const rows = sheet.getSheetValues().slice(2) as (string | undefined)[][];
    expect(rows).toHaveLength(10);
    const liuRow = rows.find((row) => row[1] === '刘小雨')!;
    expect(liuRow.slice(1)).toEqual(['刘小雨', '20230101', '王** ****1001', '母亲', '2026-06-03 19:05', '群卡片']);
    const missing = rows.find((row) => row[1] === '王一鸣')!;
    expect(missing[5]).toBe('未确认');
    expect(JSON.stringify(rows)).not.toContain('王秀英');

    expect((await run(['export', 'receipts', '--campaign', 'nope', '--out', out])).code).toBe(2);
    expect((await run(['export', 'receipts', '--campaign', campaignId, '--out', join(dir, 'x.csv')])).code).toBe(2);
  });
});
