import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentKey } from '../../domain/roster/parse.js';
import { parseRosterBytes, readRosterFile } from './roster-file.node.js';

const HEADER = ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xiaoan-roster-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeWorkbook(name: string, fill: (workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook);
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('reading .xlsx', () => {
  it('reads numbers, rich text, formulas, hyperlinks and merged cells', async () => {
    const path = await writeWorkbook('roster.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('名单');
      sheet.addRow(HEADER);
      sheet.addRow(['三年级2班', '张三', 2023001, '张父', '父亲', 13812345678]);
      sheet.addRow(['', '', '', '张母', '母亲', '138-1234-5679']);
      sheet.mergeCells('A2:A3');
      sheet.mergeCells('B2:B3');
      sheet.mergeCells('C2:C3');
      sheet.addRow([
        '三年级2班',
        { richText: [{ text: '李' }, { text: '四', font: { bold: true } }] },
        { formula: '"S"&"9"', result: 'S9' },
        '李父',
        '爸爸',
        { text: '13900000001', hyperlink: 'tel:13900000001' },
      ]);
      sheet.addRow([]);
      sheet.addRow(['三年级2班', '王五', '', '王母', '妈妈', '12345']);
    });
    const result = await readRosterFile(path);
    expect(result.format).toBe('xlsx');
    expect(result.fatal).toBeNull();
    expect(result.rows.map((r) => [r.className, r.studentName, r.studentNo, r.guardians.map((g) => g.phone)])).toEqual([
      ['三年级2班', '张三', '2023001', ['13812345678', '13812345679']],
      ['三年级2班', '李四', 'S9', ['13900000001']],
      ['三年级2班', '王五', '', []],
    ]);
    expect(result.problems).toEqual([
      { line: 6, reason: expect.stringMatching(/^手机号格式不正确/), severity: 'error' },
    ]);
  });

  it('reads every visible worksheet and names sheets in problems', async () => {
    const path = await writeWorkbook('by-class.xlsx', (workbook) => {
      workbook.addWorksheet('一年级1班').addRows([HEADER, ['一年级1班', '刘一', '', '刘母', '母亲', '13600000001']]);
      workbook.addWorksheet('一年级2班').addRows([HEADER, ['一年级2班', '刘二', '', '刘母', '母亲', '13600000001']]);
      const hidden = workbook.addWorksheet('旧名单');
      hidden.state = 'hidden';
      hidden.addRows([HEADER, ['一年级9班', '旧生', '', '旧父', '父亲', '13600000009']]);
    });
    const result = await readRosterFile(path);
    expect(result.rows.map((r) => r.key)).toEqual([
      studentKey('一年级1班', '刘一', ''),
      studentKey('一年级2班', '刘二', ''),
    ]);
    expect(result.guardians).toHaveLength(1);
    expect(result.sheets.map((s) => s.name)).toEqual(['一年级1班', '一年级2班']);
  });

  it('reports missing columns as one fatal error', async () => {
    const path = await writeWorkbook('missing.xlsx', (workbook) => {
      workbook.addWorksheet('Sheet1').addRows([
        ['班级', '学生姓名', '电话'],
        ['一年级1班', '甲', '13600000001'],
      ]);
    });
    const result = await readRosterFile(path);
    expect(result.rows).toEqual([]);
    expect(result.fatal?.reason).toMatch(/^缺少必需的列：家长姓名、关系。/);
  });
});

describe('reading .csv', () => {
  const csv = `${HEADER.join(',')}\r\n一年级1班,张三,,张父,父亲,13800000001\r\n一年级1班,"李 四",,李母,母亲,"138 0000 0002"\r\n`;

  it('reads UTF-8 with and without a BOM alike', async () => {
    const plain = join(dir, 'plain.csv');
    const withBom = join(dir, 'bom.csv');
    await writeFile(plain, csv);
    await writeFile(withBom, `\uFEFF${csv}`);
    const a = await readRosterFile(plain);
    const b = await readRosterFile(withBom);
    expect(a.format).toBe('csv');
    expect(a.encoding).toBe('utf-8');
    expect(a.rows.map((r) => r.studentName)).toEqual(['张三', '李四']);
    expect(b.rows).toEqual(a.rows);
    expect(b.problems).toEqual([]);
  });

  it('reads GBK with a notice', async () => {
    const gbk = Buffer.from(
      'b0e0bcb62cd1a7c9fad0d5c3fb2cbcd2b3a4d0d5c3fb2cb9d8cfb52ccad6bbfabac50d0ad2bbc4eabcb631b0e02cd5c5c8fd2cd5c5b8b82cb8b8c7d72c31333830303030303030310d0a',
      'hex',
    );
    const result = await parseRosterBytes(gbk, 'gbk.csv');
    expect(result.encoding).toBe('gb18030');
    expect(result.notices).toEqual([expect.stringMatching(/GBK/)]);
    expect(result.rows.map((r) => [r.className, r.studentName])).toEqual([['一年级1班', '张三']]);
  });

  it('ships a template that parses cleanly', async () => {
    const template = await readFile(new URL('../../../bot-flows/roster-template.csv', import.meta.url));
    const result = await parseRosterBytes(new Uint8Array(template), 'roster-template.csv');
    expect(result.fatal).toBeNull();
    expect(result.problems).toEqual([]);
    expect(result.rows.length).toBeGreaterThan(1);
    expect(result.guardians.some((g) => g.students.length > 1)).toBe(true);
  });
});

describe('unusable files', () => {
  it('names a missing file', async () => {
    const result = await readRosterFile(join(dir, 'nope.xlsx'));
    expect(result.fatal).toMatchObject({ line: 0, severity: 'fatal', reason: expect.stringMatching(/^找不到文件/) });
  });

  it('refuses the old .xls format with advice', async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const result = await parseRosterBytes(xls, 'roster.xls');
    expect(result.fatal?.reason).toMatch(/不支持旧版 Excel（.xls）/);
  });

  it('refuses an .xlsx name with other content, and a corrupt workbook', async () => {
    expect((await parseRosterBytes(new TextEncoder().encode('hello'), 'a.xlsx')).fatal?.reason).toMatch(
      /不是 .xlsx 格式/,
    );
    const corrupt = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
    expect((await parseRosterBytes(corrupt, 'a.xlsx')).fatal?.reason).toMatch(/无法读取该 Excel 文件/);
  });

  it('refuses an empty file', async () => {
    expect((await parseRosterBytes(new Uint8Array(), 'a.csv')).fatal?.reason).toBe('文件是空的');
  });
});
