import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { findCampaign } from '../../db/repos/receipts.js';
import { type ExportRow, exportRows } from '../../db/repos/receipts-progress.js';
import { compareClassNames } from '../../domain/roster/class-name.js';
import { maskPhone } from '../../domain/roster/phone.js';
import { formatRate } from '../../domain/receipts/stats.js';
import { CHANNEL_LABELS, formatDeadline, formatTimestamp } from '../../flows/receipts/format.js';
import { parseFlags } from '../args.js';
import { type Command, UsageError } from '../context.js';

/**
 * `xiaoan export receipts --campaign <id> --out <file.xlsx>`: the archive that replaces paper receipts —
 * a summary sheet, then one sheet per class listing every student, who confirmed (name and phone masked),
 * their relation, when and through which channel.
 */

export const RECEIPT_SHEET_COLUMNS = ['学生', '学号', '家长', '关系', '确认时间', '渠道'] as const;
export const SUMMARY_SHEET = '汇总';

/** "张**": the family name stays, the rest is masked. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

function guardianText(row: ExportRow): string {
  if (!row.confirmedAt) return '';
  const name = row.guardianName ? maskName(row.guardianName) : '';
  const phone = row.guardianLast4 ? maskPhone(row.guardianLast4) : '';
  return [name, phone].filter(Boolean).join(' ');
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(className: string, used: Set<string>): string {
  const base = className.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || '班级';
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base.slice(0, 28)}(${n})`;
  used.add(name);
  return name;
}

export async function buildReceiptWorkbook(
  rows: readonly ExportRow[],
  meta: { schoolName: string; title: string; deadline: string; exportedAt: string; timezone: string },
): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'xiaoan';
  const byClass = new Map<string, ExportRow[]>();
  for (const row of rows) byClass.set(row.className, [...(byClass.get(row.className) ?? []), row]);
  const classNames = [...byClass.keys()].sort(compareClassNames);

  const summary = workbook.addWorksheet(SUMMARY_SHEET);
  summary.addRows([
    ['学校', meta.schoolName],
    ['告知书', meta.title],
    ['截止时间', meta.deadline],
    ['导出时间', meta.exportedAt],
    [],
    ['班级', '学生数', '已确认', '未确认', '完成率'],
  ]);
  let students = 0;
  let confirmed = 0;
  for (const className of classNames) {
    const list = byClass.get(className)!;
    const done = list.filter((row) => row.confirmedAt).length;
    students += list.length;
    confirmed += done;
    summary.addRow([
      className,
      list.length,
      done,
      list.length - done,
      formatRate(list.length ? done / list.length : 0),
    ]);
  }
  summary.addRow(['合计', students, confirmed, students - confirmed, formatRate(students ? confirmed / students : 0)]);
  summary.getRow(6).font = { bold: true };
  summary.columns.forEach((column, index) => {
    column.width = index === 0 ? 16 : 12;
  });

  const used = new Set([SUMMARY_SHEET]);
  for (const className of classNames) {
    const sheet = workbook.addWorksheet(sheetName(className, used));
    sheet.addRow([...RECEIPT_SHEET_COLUMNS]).font = { bold: true };
    for (const row of byClass.get(className)!) {
      sheet.addRow([
        row.studentName,
        row.studentNo,
        guardianText(row),
        row.confirmedAt ? (row.relation ?? '') : '',
        row.confirmedAt ? formatTimestamp(row.confirmedAt, meta.timezone) : '未确认',
        row.channel ? (CHANNEL_LABELS[row.channel] ?? row.channel) : '',
      ]);
    }
    [10, 12, 18, 10, 18, 10].forEach((width, index) => {
      sheet.getColumn(index + 1).width = width;
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return workbook;
}

export const exportReceiptsCommand: Command = {
  path: ['export', 'receipts'],
  summary: '导出家长回执（每班一个工作表，家长信息已脱敏）',
  usage: 'xiaoan export receipts --campaign <回执编号> --out <文件.xlsx>',
  usesDatabase: true,
  async run(ctx, args) {
    const { values } = parseFlags(args, { campaign: { type: 'string' }, out: { type: 'string' } }, ['campaign', 'out']);
    if (!/\.xlsx$/i.test(values.out!)) throw new UsageError('--out 应为 .xlsx 文件');
    const out = resolve(values.out!);
    const { db } = await ctx.database();
    const campaign = await findCampaign(db, values.campaign!);
    if (!campaign)
      throw new UsageError(`找不到回执「${values.campaign}」（用 xiaoan campaign list --school <学校代码> 查看编号）`);
    const rows = await exportRows(db, campaign.id);
    const workbook = await buildReceiptWorkbook(rows, {
      schoolName: campaign.schoolName,
      title: campaign.title,
      deadline: formatDeadline(campaign.deadline, campaign.timezone),
      exportedAt: formatTimestamp(new Date(), campaign.timezone),
      timezone: campaign.timezone,
    });
    await workbook.xlsx.writeFile(out);
    const confirmed = rows.filter((row) => row.confirmedAt).length;
    const classCount = new Set(rows.map((row) => row.classId)).size;
    ctx.io.out(
      `已导出《${campaign.title}》回执：${classCount} 个班、${rows.length} 名学生，已确认 ${confirmed} → ${out}`,
    );
    return 0;
  },
};
