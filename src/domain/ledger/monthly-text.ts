import type { CategoryGroup, LevelGroup } from './groups.js';
import { formatRate } from './labels.js';
import type { MonthlyCounts, MonthlySummary } from './monthly.js';
import { formatLedgerTime } from './period.js';

/** How the closure rate is defined, in the words the reports print under it. */
export const MONTHLY_RATE_DEFINITION = '销号率 = 本月销号 ÷（上月结转 + 本月新增 + 本月重开）';

const MAX_CODES = 20;

function monthTitle(summary: MonthlySummary): string {
  const [year, month] = summary.month.split('-');
  const title = `${year}年${Number(month)}月隐患月报`;
  if (summary.complete) return title;
  return `${title}（截至 ${formatLedgerTime(new Date(summary.asOf.getTime() - 1), summary.timeZone)}）`;
}

const active = (counts: MonthlyCounts) => counts.carriedOver + counts.added + counts.reopened;

function groupLine(label: string, counts: MonthlyCounts): string {
  const parts = [`新增 ${counts.added}`];
  if (counts.carriedOver > 0) parts.push(`结转 ${counts.carriedOver}`);
  if (counts.reopened > 0) parts.push(`重开 ${counts.reopened}`);
  parts.push(`销号 ${counts.closed}`, `未销号 ${counts.open}`);
  if (counts.overdue > 0) parts.push(`逾期 ${counts.overdue}`);
  return `${label} ${active(counts)} 处（${parts.join('，')}）`;
}

function groupsLine(
  heading: string,
  groups: readonly (CategoryGroup<MonthlyCounts> | LevelGroup<MonthlyCounts>)[],
): string | null {
  const lines = groups.filter((group) => active(group.counts) > 0).map((group) => groupLine(group.label, group.counts));
  return lines.length > 0 ? `${heading}：${lines.join('；')}` : null;
}

function codesLine(codes: readonly string[]): string | null {
  if (codes.length === 0) return null;
  const shown = codes.slice(0, MAX_CODES).join('、');
  return `逾期隐患：${shown}${codes.length > MAX_CODES ? ` 等 ${codes.length} 处` : ''}`;
}

/** The monthly summary as a short Chinese chat message (the scheduler's monthly digest). */
export function monthlySummaryText(summary: MonthlySummary): string {
  const ending = summary.complete ? '月末' : '目前';
  const lines: (string | null)[] = [monthTitle(summary)];
  if (active(summary) === 0) {
    lines.push('本月没有新增、结转或重开的隐患。', '销号率 —');
    return lines.join('\n');
  }
  const sources = [`本月新增 ${summary.added} 处`, `上月结转 ${summary.carriedOver} 处`];
  if (summary.reopened > 0) sources.push(`本月重开 ${summary.reopened} 处`);
  lines.push(
    `${sources.join('，')}。`,
    `本月销号 ${summary.closed} 处${summary.dismissed > 0 ? `，驳回 ${summary.dismissed} 处` : ''}；` +
      `${ending}未销号 ${summary.open} 处，其中逾期 ${summary.overdue} 处。`,
    `销号率 ${formatRate(summary.closureRate)}（${MONTHLY_RATE_DEFINITION.replace('销号率 = ', '')}）`,
    groupsLine('按类别', summary.byCategory),
    groupsLine('按等级', summary.byLevel),
    codesLine(summary.overdueCodes),
  );
  return lines.filter((line): line is string => line !== null).join('\n');
}
