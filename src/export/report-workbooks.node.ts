import ExcelJS from 'exceljs';
import { groupTable, MONTHLY_FIELDS, STATS_FIELDS, type Table, totalsTable } from '../domain/ledger/report-tables.js';
import type { MonthlySummary } from '../domain/ledger/monthly.js';
import { MONTHLY_RATE_DEFINITION } from '../domain/ledger/monthly-text.js';
import { formatLedgerTime } from '../domain/ledger/period.js';
import type { CampaignStats } from '../domain/ledger/stats.js';
import { STATS_RATE_DEFINITION } from '../domain/ledger/stats-text.js';
import { appendTable } from './sheet-layout.node.js';

/**
 * Report sheets hold several tables, so row 1 is a title and each table starts with its own bold
 * header: 指标/数量, then 类别 …, then 等级 ….
 */
function reportSheet(
  title: string,
  sheetName: string,
  notes: readonly string[],
  tables: readonly Table[],
): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.title = title;
  workbook.creator = '校安';
  const sheet = workbook.addWorksheet(sheetName);
  const heading = sheet.addRow([title]);
  heading.font = { bold: true, size: 14 };
  for (const note of notes) sheet.addRow([note]);
  sheet.addRow([]);
  for (const table of tables) appendTable(sheet, table);
  sheet.getColumn(1).width = 18;
  for (let column = 2; column <= 10; column += 1) sheet.getColumn(column).width = 11;
  return workbook;
}

export const MONTHLY_SHEET = '月度汇总';
export const STATS_SHEET = '整治统计';

export function buildMonthlyWorkbook(summary: MonthlySummary, schoolName: string): ExcelJS.Workbook {
  const [year, month] = summary.month.split('-');
  const asOf = formatLedgerTime(new Date(summary.asOf.getTime() - 1), summary.timeZone);
  const notes = [
    summary.complete ? `统计期：${summary.month} 全月` : `统计期：${summary.month}，截至 ${asOf}`,
    MONTHLY_RATE_DEFINITION,
  ];
  if (summary.overdueCodes.length > 0) notes.push(`逾期隐患：${summary.overdueCodes.join('、')}`);
  return reportSheet(`${schoolName} ${year}年${Number(month)}月隐患月报`, MONTHLY_SHEET, notes, [
    totalsTable(summary, MONTHLY_FIELDS),
    groupTable('类别', summary.byCategory, MONTHLY_FIELDS),
    groupTable('等级', summary.byLevel, MONTHLY_FIELDS),
  ]);
}

export function buildStatsWorkbook(stats: CampaignStats, schoolName: string): ExcelJS.Workbook {
  const asOf = formatLedgerTime(new Date(stats.asOf.getTime() - 1), stats.timeZone);
  const notes = [
    stats.complete ? `统计期：${stats.from} 至 ${stats.to}` : `统计期：${stats.from} 至 ${stats.to}，截至 ${asOf}`,
    STATS_RATE_DEFINITION,
  ];
  return reportSheet(`${schoolName} 隐患排查整治统计`, STATS_SHEET, notes, [
    totalsTable(stats, STATS_FIELDS),
    groupTable('类别', stats.byCategory, STATS_FIELDS),
    groupTable('等级', stats.byLevel, STATS_FIELDS),
  ]);
}
