import { defaultTaxonomy } from '../../../bot-flows/taxonomy.js';
import type { CategoryName } from './types.js';

/** The default taxonomy's categories; a district that overrides the taxonomy passes its own. */
export const DEFAULT_CATEGORIES: readonly CategoryName[] = defaultTaxonomy.categories.map(({ code, name }) => ({
  code,
  name,
}));

export function categoryLabel(categories: readonly CategoryName[], code: string): string {
  return categories.find((category) => category.code === code)?.name ?? code;
}

/** What a timeline entry records, as the ledger's 处理记录 names it. */
export const EVENT_LABELS: Record<string, string> = {
  report: '登记',
  assign: '指派',
  fix_on_spot: '现场整改',
  submit_fix: '提交整改',
  accept: '复查通过',
  reject: '复查退回',
  dismiss: '驳回',
  reopen: '重开',
  change_level: '调整等级',
  supplement: '补充情况',
};

/** 复查结果 as stored (`passed` / `rejected`, see domain/hazard/lifecycle.ts) in Chinese. */
export const VERIFY_RESULT_LABELS: Record<string, string> = { passed: '通过', rejected: '退回' };

/** A rate as a percentage with one decimal, or "—" when there is nothing to divide by. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** part / whole, or null when the whole is zero (never NaN). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
