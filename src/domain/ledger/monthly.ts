import type { HazardLevel } from '../hazard/types.js';
import { type CategoryGroup, type LevelGroup, tally } from './groups.js';
import { isOpen, openedWithin, overdueBefore, statusBefore, timelineOf } from './history.js';
import { DEFAULT_CATEGORIES, ratio } from './labels.js';
import { cutOff, monthPeriod, type YearMonth } from './period.js';
import type { CategoryName, HazardFacts } from './types.js';

/**
 * The monthly summary (隐患月报). Every hazard active during the month is counted once by where it came
 * from and once by where it stands at the month's end (or now, while the month runs):
 *
 *   carriedOver + added + reopened = closed + dismissed + open
 *
 * - carriedOver 上月结转: reported before the month and open (登记/整改中/待复查) at its start.
 * - added 本月新增: reported during the month (whatever became of it).
 * - reopened 本月重开: closed or dismissed at the start and reopened during the month.
 * - closed 本月销号 / dismissed 本月驳回: in that state at the end (the step happened in the month).
 * - open 月末未销号: still open at the end; overdue 逾期 of those: 整改中 with the deadline passed.
 * - closureRate 销号率 = closed / (carriedOver + added + reopened), null (shown "—") when nothing was
 *   active. Without reopened hazards this is closed / (carriedOver + added).
 */
export interface MonthlyCounts {
  carriedOver: number;
  added: number;
  reopened: number;
  closed: number;
  dismissed: number;
  open: number;
  overdue: number;
  closureRate: number | null;
}

export interface MonthlySummary extends MonthlyCounts {
  month: YearMonth;
  timeZone: string;
  /** Local midnight of the month's first day. */
  start: Date;
  /** Local midnight of the next month's first day. */
  end: Date;
  /** States are read just before this instant: `end`, or just after `now` while the month runs. */
  asOf: Date;
  /** False while the month is still running (figures are "so far"). */
  complete: boolean;
  /** Every taxonomy category in order (zeros included), then unknown codes. */
  byCategory: CategoryGroup<MonthlyCounts>[];
  byLevel: LevelGroup<MonthlyCounts>[];
  /** Codes of the hazards overdue at the end, oldest report first. */
  overdueCodes: string[];
}

export interface MonthlyOptions {
  /** Categories in report order; defaults to the bot-flows taxonomy. */
  categories?: readonly CategoryName[];
}

interface Classified {
  code: string;
  category: string;
  level: HazardLevel;
  reportedAt: Date;
  origin: 'carriedOver' | 'added' | 'reopened';
  outcome: 'closed' | 'dismissed' | 'open';
  overdue: boolean;
}

function classify(facts: HazardFacts, start: Date, asOf: Date): Classified | null {
  const reported = facts.reportedAt.getTime();
  if (reported >= asOf.getTime()) return null;
  const timeline = timelineOf(facts);
  const openAtStart = isOpen(statusBefore(timeline, start));
  const addedNow = reported >= start.getTime();
  if (!openAtStart && !addedNow && !openedWithin(timeline, start, asOf)) return null;
  const status = statusBefore(timeline, asOf);
  return {
    code: facts.code,
    category: facts.category,
    level: facts.level,
    reportedAt: facts.reportedAt,
    origin: openAtStart ? 'carriedOver' : addedNow ? 'added' : 'reopened',
    outcome: status === 'closed' ? 'closed' : status === 'dismissed' ? 'dismissed' : 'open',
    overdue: overdueBefore(timeline, asOf),
  };
}

function countMonthly(items: readonly Classified[]): MonthlyCounts {
  const origin = (key: Classified['origin']) => items.filter((item) => item.origin === key).length;
  const outcome = (key: Classified['outcome']) => items.filter((item) => item.outcome === key).length;
  return withRate({
    carriedOver: origin('carriedOver'),
    added: origin('added'),
    reopened: origin('reopened'),
    closed: outcome('closed'),
    dismissed: outcome('dismissed'),
    open: outcome('open'),
    overdue: items.filter((item) => item.overdue).length,
  });
}

function withRate(counts: Omit<MonthlyCounts, 'closureRate'>): MonthlyCounts {
  return { ...counts, closureRate: ratio(counts.closed, counts.carriedOver + counts.added + counts.reopened) };
}

/**
 * Pure monthly maths over one school's hazards. `rows` may hold any of the school's hazards (those
 * not active in the month are ignored); `month` is 'YYYY-MM' (RangeError otherwise); months boundaries
 * are local midnights in `timeZone`; `now` caps a running month. A month that has not begun is empty.
 */
export function monthlySummary(
  rows: readonly HazardFacts[],
  month: YearMonth,
  timeZone: string,
  now: Date,
  options: MonthlyOptions = {},
): MonthlySummary {
  const { start, end } = monthPeriod(month, timeZone);
  const asOf = cutOff({ start, end }, now);
  const started = now.getTime() >= start.getTime();
  const items = started
    ? rows.map((row) => classify(row, start, asOf)).filter((item): item is Classified => item !== null)
    : [];
  const { byCategory, byLevel } = tally(items, options.categories ?? DEFAULT_CATEGORIES, countMonthly);
  return {
    month,
    timeZone,
    start,
    end,
    asOf,
    complete: asOf.getTime() === end.getTime(),
    ...countMonthly(items),
    byCategory,
    byLevel,
    overdueCodes: items
      .filter((item) => item.overdue)
      .sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || a.code.localeCompare(b.code))
      .map((item) => item.code),
  };
}

function sumMonthly(list: readonly MonthlyCounts[]): MonthlyCounts {
  const sum = (key: keyof Omit<MonthlyCounts, 'closureRate'>) => list.reduce((total, item) => total + item[key], 0);
  return withRate({
    carriedOver: sum('carriedOver'),
    added: sum('added'),
    reopened: sum('reopened'),
    closed: sum('closed'),
    dismissed: sum('dismissed'),
    open: sum('open'),
    overdue: sum('overdue'),
  });
}

/** District totals: counts summed over the schools' summaries and the rates recomputed from the sums. */
export function combineMonthly(summaries: readonly MonthlySummary[]): {
  totals: MonthlyCounts;
  byCategory: CategoryGroup<MonthlyCounts>[];
  byLevel: LevelGroup<MonthlyCounts>[];
} {
  return {
    totals: sumMonthly(summaries),
    ...combineGroups(summaries, sumMonthly),
  };
}

/** Sums the per-category and per-level counts of several reports, keeping the first report's order. */
export function combineGroups<C>(
  reports: readonly { byCategory: CategoryGroup<C>[]; byLevel: LevelGroup<C>[] }[],
  sum: (list: readonly C[]) => C,
): { byCategory: CategoryGroup<C>[]; byLevel: LevelGroup<C>[] } {
  const categories = new Map<string, { label: string; list: C[] }>();
  const levels = new Map<HazardLevel, { label: string; list: C[] }>();
  for (const report of reports) {
    for (const group of report.byCategory) {
      const entry = categories.get(group.category) ?? { label: group.label, list: [] };
      entry.list.push(group.counts);
      categories.set(group.category, entry);
    }
    for (const group of report.byLevel) {
      const entry = levels.get(group.level) ?? { label: group.label, list: [] };
      entry.list.push(group.counts);
      levels.set(group.level, entry);
    }
  }
  return {
    byCategory: [...categories].map(([category, { label, list }]) => ({ category, label, counts: sum(list) })),
    byLevel: [...levels].map(([level, { label, list }]) => ({ level, label, counts: sum(list) })),
  };
}
