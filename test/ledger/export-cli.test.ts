import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { createTestDb } from '../helpers/db.js';
import { seedLedger } from './seed.js';

const LEDGER_HEADER = [
  '隐患编号',
  '发现时间',
  '发现人',
  '部位',
  '隐患描述',
  '类别',
  '等级',
  '整改措施',
  '整改责任人',
  '整改时限',
  '整改资金',
  '临时防范措施/预案',
  '整改完成时间',
  '复查人',
  '复查结果',
  '销号时间',
  '状态',
  '照片',
];

/** Cell texts of a row, without exceljs' leading empty slot. */
function cells(sheet: ExcelJS.Worksheet, row: number, width: number): string[] {
  return Array.from({ length: width }, (_, index) => {
    const value = sheet.getRow(row).getCell(index + 1).value;
    return value === null || value === undefined ? '' : String(value);
  });
}

async function readBack(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

describe('xiaoan export', async () => {
  const database = await createTestDb();
  await seedLedger(database.db);
  afterAll(() => database.close());
  const dir = mkdtempSync(join(tmpdir(), 'xiaoan-export-'));
  const env = { XIAOAN_DATA_DIR: join(dir, 'data'), TZ: 'Asia/Shanghai' };
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
      stdin: process.stdin,
      stdout: process.stdout,
      isTty: false,
    };
    const code = await runCli(argv, io, env, { database });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('exports the ledger with the standard columns, local times, Chinese labels and photo links', async () => {
    const path = join(dir, 'ledger.xlsx');
    const result = await run(['export', 'ledger', '--school', 'ledger-a', '--out', path]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`测试一中 隐患台账：${path}（隐患 5 条，处理记录 13 条）`);

    const workbook = await readBack(path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['隐患台账', '处理记录']);
    const ledger = workbook.getWorksheet('隐患台账')!;
    expect(cells(ledger, 1, 19)).toEqual([...LEDGER_HEADER, '']);
    expect(ledger.getRow(1).font?.bold).toBe(true);
    expect(ledger.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ledger.getColumn(5).width).toBe(40);
    expect(ledger.rowCount).toBe(6);
    expect(cells(ledger, 2, 18)).toEqual([
      'YH-2026-0001',
      '2026-09-20 08:05',
      '王老师',
      '三楼东侧楼梯',
      '灭火器压力不足',
      '消防安全',
      '一般隐患',
      '更换灭火器',
      '刘师傅',
      '2026-10-10 23:59',
      '300元',
      '临时调配两具灭火器',
      '2026-10-08 16:00',
      '张主任',
      '通过',
      '2026-10-09 09:30',
      '已销号',
      '上报：https://files.example/report-1.jpg\n整改：img_fix_1',
    ]);
    expect(cells(ledger, 3, 18).slice(0, 12)).toEqual([
      'YH-2026-0002',
      '2026-10-03 09:00',
      '王老师',
      '食堂后厨',
      '燃气管道接口有气味',
      '设施设备与校园运行',
      '重大隐患',
      '更换管道',
      '刘师傅',
      '2026-10-20 23:59',
      '5000元',
      '关闭总阀，暂停使用',
    ]);
    expect(cells(ledger, 3, 18)[16]).toBe('整改中');
    expect(cells(ledger, 4, 18)[16]).toBe('已驳回');
    expect(cells(ledger, 6, 18).slice(12)).toEqual(['', '', '', '', '登记', '']);

    const timeline = workbook.getWorksheet('处理记录')!;
    expect(cells(timeline, 1, 6)).toEqual(['隐患编号', '时间', '操作人', '操作', '状态变化', '说明']);
    expect(timeline.getRow(1).font?.bold).toBe(true);
    expect(timeline.rowCount).toBe(14);
    expect(cells(timeline, 2, 6)).toEqual([
      'YH-2026-0001',
      '2026-09-20 08:05',
      '王老师',
      '登记',
      '登记',
      '附照片 1 张',
    ]);
    expect(cells(timeline, 3, 6)).toEqual([
      'YH-2026-0001',
      '2026-09-20 10:00',
      '张主任',
      '指派',
      '登记 → 整改中',
      '责任人：刘师傅；时限：2026-10-10 23:59；措施：更换灭火器；资金：300元；预案：临时调配两具灭火器',
    ]);
    const dismissal = Array.from({ length: timeline.rowCount }, (_, index) => cells(timeline, index + 1, 6)).find(
      (row) => row[3] === '驳回',
    );
    expect(dismissal).toEqual([
      'YH-2026-0003',
      '2026-10-16 09:00',
      '张主任',
      '驳回',
      '登记 → 已驳回',
      '不属实：是伸缩缝',
    ]);
  });

  it('filters the ledger by the day the hazard was found, both days included', async () => {
    const path = join(dir, 'october.xlsx');
    const result = await run([
      'export',
      'ledger',
      '--school',
      'ledger-a',
      '--from',
      '2026-10-03',
      '--to',
      '2026-10-28',
      '--out',
      path,
    ]);
    expect(result.code).toBe(0);
    const ledger = (await readBack(path)).getWorksheet('隐患台账')!;
    const codes = Array.from({ length: ledger.rowCount - 1 }, (_, index) =>
      String(ledger.getRow(index + 2).getCell(1).value),
    );
    expect(codes).toEqual(['YH-2026-0002', 'YH-2026-0003', 'YH-2026-0004']);
  });

  it('resolves a relative output path against the working directory and prints it absolute', async () => {
    const previous = process.cwd();
    const work = mkdtempSync(join(tmpdir(), 'xiaoan-export-cwd-'));
    process.chdir(work);
    try {
      const result = await run(['export', 'ledger', '--school', 'ledger-b', '--out', 'b.xlsx']);
      expect(result.code).toBe(0);
      expect(result.out).toContain(join(work, 'b.xlsx'));
      expect(existsSync(join(work, 'b.xlsx'))).toBe(true);
    } finally {
      process.chdir(previous);
    }
  });

  it('prints the monthly summary as Markdown and writes the xlsx', async () => {
    const path = join(dir, 'monthly.xlsx');
    const result = await run(['export', 'monthly', '--school', 'ledger-a', '--month', '2026-10', '--out', path]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('# 测试一中 2026年10月隐患月报');
    expect(result.out).toContain('| 上月结转 | 1 |');
    expect(result.out).toContain('| 本月新增 | 4 |');
    expect(result.out).toContain('| 本月销号 | 1 |');
    expect(result.out).toContain('| 月末未销号 | 3 |');
    expect(result.out).toContain('| 其中逾期 | 1 |');
    expect(result.out).toContain('| 销号率 | 20.0% |');
    expect(result.out).toContain('| 重大隐患 | 0 | 1 | 0 | 0 | 0 | 1 | 1 | 0.0% |');
    expect(result.out).toContain('YH-2026-0002');
    expect(result.out).toContain(`已导出月报：${path}`);

    const sheet = (await readBack(path)).getWorksheet('月度汇总')!;
    expect(String(sheet.getRow(1).getCell(1).value)).toBe('测试一中 2026年10月隐患月报');
    const rows = Array.from({ length: sheet.rowCount }, (_, index) => cells(sheet, index + 1, 9));
    const header = rows.findIndex((row) => row[0] === '指标');
    expect(rows.slice(header, header + 9).map((row) => row.slice(0, 2))).toEqual([
      ['指标', '数量'],
      ['上月结转', '1'],
      ['本月新增', '4'],
      ['本月重开', '0'],
      ['本月销号', '1'],
      ['本月驳回', '1'],
      ['月末未销号', '3'],
      ['其中逾期', '1'],
      ['销号率', '20.0%'],
    ]);
    expect(rows.find((row) => row[0] === '消防安全')).toEqual(['消防安全', '1', '1', '0', '1', '0', '1', '0', '50.0%']);
  });

  it('prints the monthly summary as JSON, with no rate for an empty month', async () => {
    const result = await run(['export', 'monthly', '--school', 'ledger-b', '--month', '2026-08', '--format', 'json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ school: { code: 'ledger-b' }, month: '2026-08', added: 0, closureRate: null });
    const october = JSON.parse(
      (await run(['export', 'monthly', '--school', 'ledger-b', '--month', '2026-10', '--format', 'json'])).out,
    );
    expect(october).toMatchObject({ added: 1, closed: 1, open: 0, closureRate: 1, complete: true });
  });

  it('prints campaign statistics and writes them as xlsx', async () => {
    const path = join(dir, 'stats.xlsx');
    const result = await run([
      'export',
      'stats',
      '--school',
      'ledger-a',
      '--from',
      '2026-10-01',
      '--to',
      '2026-11-05',
      '--out',
      path,
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('# 测试一中 隐患排查整治统计（2026-10-01 至 2026-11-05）');
    expect(result.out).toContain('| 发现 | 4 |');
    expect(result.out).toContain('| 已整改 | 1 |');
    expect(result.out).toContain('| 已销号 | 1 |');
    expect(result.out).toContain('| 未销号 | 2 |');
    expect(result.out).toContain('| 整改率 | 33.3% |');
    const sheet = (await readBack(path)).getWorksheet('整治统计')!;
    const rows = Array.from({ length: sheet.rowCount }, (_, index) => cells(sheet, index + 1, 9));
    expect(rows.find((row) => row[0] === '治安防范')).toEqual([
      '治安防范',
      '1',
      '0',
      '1',
      '1',
      '0',
      '0',
      '100.0%',
      '100.0%',
    ]);

    const json = JSON.parse(
      (
        await run([
          'export',
          'stats',
          '--school',
          'ledger-a',
          '--from',
          '2026-10-01',
          '--to',
          '2026-10-31',
          '--format',
          'json',
        ])
      ).out,
    );
    expect(json).toMatchObject({ found: 4, dismissed: 1, fixed: 0, closed: 0, outstanding: 3, overdue: 1 });
  });

  it('refuses misuse with exit code 2 and a Chinese reason', async () => {
    const cases: [string[], string][] = [
      [['export', 'ledger', '--school', 'nope', '--out', join(dir, 'x.xlsx')], '找不到学校代码「nope」'],
      [['export', 'monthly', '--school', 'ledger-a', '--month', '2026-13'], '--month 应为 YYYY-MM 格式的月份'],
      [['export', 'monthly', '--school', 'ledger-a', '--month', '2099-01'], '2099-01 还没有开始'],
      [
        ['export', 'monthly', '--school', 'ledger-a', '--month', '2026-10', '--format', 'csv'],
        '--format 取值应为 md | json',
      ],
      [
        ['export', 'stats', '--school', 'ledger-a', '--from', '2026-10-31', '--to', '2026-10-01'],
        '开始日期 --from 2026-10-31 晚于结束日期 --to 2026-10-01',
      ],
      [['export', 'stats', '--school', 'ledger-a', '--from', '2026-10-01'], '缺少参数：--to'],
      [
        ['export', 'ledger', '--school', 'ledger-a', '--from', '10/01/2026', '--out', join(dir, 'x.xlsx')],
        '--from 应为 YYYY-MM-DD',
      ],
      [['export', 'ledger', '--school', 'ledger-a', '--out', join(dir, 'x.csv')], '--out 应为 .xlsx 文件'],
      [['export', 'ledger', '--school', 'ledger-a', '--out', join(dir, 'missing', 'x.xlsx')], '输出目录不存在'],
    ];
    for (const [argv, reason] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toContain(reason);
      expect(result.err).toContain('用法：xiaoan export');
    }
    expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);
  });
});
