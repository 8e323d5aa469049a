import type { CategoryGroup, LevelGroup } from './groups.js';
import { formatRate } from './labels.js';
import type { MonthlyCounts, MonthlySummary } from './monthly.js';
import { MONTHLY_RATE_DEFINITION } from './monthly-text.js';
import type { CampaignStats, StatsCounts } from './stats.js';
import { STATS_RATE_DEFINITION } from './stats-text.js';

/**
 * The report tables as header + text rows, shared by the Markdown printed on stdout and the xlsx
 * sheets, so both always show the same figures under the same names.
 */

export interface Table {
  headers: string[];
  rows: string[][];
}

type Field<C> = { header: string; cell: (counts: C) => string };

const number = <C>(header: string, value: (counts: C) => number): Field<C> => ({
  header,
  cell: (counts) => String(value(counts)),
});

export const MONTHLY_FIELDS: readonly Field<MonthlyCounts>[] = [
  number('上月结转', (c) => c.carriedOver),
  number('本月新增', (c) => c.added),
  number('本月重开', (c) => c.reopened),
  number('本月销号', (c) => c.closed),
  number('本月驳回', (c) => c.dismissed),
  number('月末未销号', (c) => c.open),
  number('其中逾期', (c) => c.overdue),
  { header: '销号率', cell: (c) => formatRate(c.closureRate) },
];

export const STATS_FIELDS: readonly Field<StatsCounts>[] = [
  number('发现', (c) => c.found),
  number('驳回', (c) => c.dismissed),
  number('已整改', (c) => c.fixed),
  number('已销号', (c) => c.closed),
  number('未销号', (c) => c.outstanding),
  number('其中逾期', (c) => c.overdue),
  { header: '整改率', cell: (c) => formatRate(c.fixRate) },
  { header: '销号率', cell: (c) => formatRate(c.closureRate) },
];

/** 指标 | 数量, one line per field. */
export function totalsTable<C>(counts: C, fields: readonly Field<C>[]): Table {
  return { headers: ['指标', '数量'], rows: fields.map((field) => [field.header, field.cell(counts)]) };
}

export function groupTable<C>(
  heading: string,
  groups: readonly (CategoryGroup<C> | LevelGroup<C>)[],
  fields: readonly Field<C>[],
): Table {
  return {
    headers: [heading, ...fields.map((field) => field.header)],
    rows: groups.map((group) => [group.label, ...fields.map((field) => field.cell(group.counts))]),
  };
}

const monthlyActive = (c: MonthlyCounts) => c.carriedOver + c.added + c.reopened > 0;

function markdownTable(table: Table): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(table.headers), line(table.headers.map(() => '---')), ...table.rows.map(line)].join('\n');
}

function monthHeading(summary: MonthlySummary): string {
  const [year, month] = summary.month.split('-');
  return `${year}年${Number(month)}月隐患月报`;
}

/** The monthly summary as Markdown: totals, then by category (active ones), by level, overdue codes. */
export function monthlySummaryMarkdown(summary: MonthlySummary, schoolName: string): string {
  const categories = summary.byCategory.filter((group) => monthlyActive(group.counts));
  const sections = [
    `# ${schoolName} ${monthHeading(summary)}`,
    summary.complete ? '' : '> 本月尚未结束，数据截至生成时。',
    markdownTable(totalsTable(summary, MONTHLY_FIELDS)),
    MONTHLY_RATE_DEFINITION,
    '## 按类别',
    categories.length > 0 ? markdownTable(groupTable('类别', categories, MONTHLY_FIELDS)) : '（无）',
    '## 按等级',
    markdownTable(groupTable('等级', summary.byLevel, MONTHLY_FIELDS)),
  ];
  if (summary.overdueCodes.length > 0) sections.push('## 逾期隐患', summary.overdueCodes.join('、'));
  return sections.filter((section) => section !== '').join('\n\n');
}

/** The campaign statistics as Markdown. */
export function campaignStatsMarkdown(stats: CampaignStats, schoolName: string): string {
  const categories = stats.byCategory.filter((group) => group.counts.found > 0);
  return [
    `# ${schoolName} 隐患排查整治统计（${stats.from} 至 ${stats.to}）`,
    stats.complete ? '' : '> 统计期尚未结束，数据截至生成时。',
    markdownTable(totalsTable(stats, STATS_FIELDS)),
    STATS_RATE_DEFINITION,
    '## 按类别',
    categories.length > 0 ? markdownTable(groupTable('类别', categories, STATS_FIELDS)) : '（无）',
    '## 按等级',
    markdownTable(groupTable('等级', stats.byLevel, STATS_FIELDS)),
  ]
    .filter((section) => section !== '')
    .join('\n\n');
}
