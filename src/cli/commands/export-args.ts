import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isIsoDate } from '../../domain/calendar/civil-date.js';
import { isYearMonth } from '../../domain/ledger/period.js';
import type { Db } from '../../db/types.js';
import { findLedgerSchoolByCode, type LedgerSchool } from '../../db/repos/ledger-scope.js';
import { UsageError } from '../context.js';

/** Flag checks shared by the export commands; every misuse is a UsageError (exit 2) in Chinese. */

export function dateFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value))
    throw new UsageError(`--${flag} 应为 YYYY-MM-DD 格式的日期（如 2026-09-01），收到「${value}」`);
  return value;
}

export function dateRange(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const start = dateFlag('from', from);
  const end = dateFlag('to', to);
  if (start && end && start > end) throw new UsageError(`开始日期 --from ${start} 晚于结束日期 --to ${end}`);
  return { ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) };
}

export function monthFlag(value: string): string {
  if (!isYearMonth(value)) throw new UsageError(`--month 应为 YYYY-MM 格式的月份（如 2026-11），收到「${value}」`);
  return value;
}

/**
 * The output file as an absolute path ending in .xlsx. Commands may run inside the server that holds
 * the data dir, so nothing may depend on a relative path later on.
 */
export function xlsxPath(value: string): string {
  if (!/\.xlsx$/i.test(value)) throw new UsageError(`--out 应为 .xlsx 文件，收到「${value}」`);
  const path = resolve(value);
  const folder = dirname(path);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`输出目录不存在：${folder}`);
  return path;
}

export async function schoolFlag(db: Db, code: string): Promise<LedgerSchool> {
  const school = await findLedgerSchoolByCode(db, code);
  if (!school) throw new UsageError(`找不到学校代码「${code}」`);
  return school;
}
