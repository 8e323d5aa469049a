import type { IsoDate } from '../calendar/civil-date.js';
import type { HazardLevel } from '../hazard/types.js';
import { type CategoryGroup, type LevelGroup, tally } from './groups.js';
import { overdueBefore, statusBefore, timelineOf } from './history.js';
import { DEFAULT_CATEGORIES, ratio } from './labels.js';
import { combineGroups } from './monthly.js';
import { cutOff, dayPeriod } from './period.js';
import type { CategoryName, HazardFacts } from './types.js';

/**
 * Campaign statistics (专项整治统计): the hazards found in a span of days, and where they stand at its
 * end (or now, while it runs):
 *
 *   found = dismissed + closed + outstanding,   fixed = closed + 待复查
 *
 * - found 发现: reported in the span (including reports later dismissed).
 * - dismissed 驳回: dismissed as 不属实/重复.
 * - fixed 已整改: the fix is in (待复查 or 已销号).
 * - closed 已销号: verified and closed.
 * - outstanding 未销号: still open (登记/整改中/待复查); overdue 逾期 of those: 整改中 past the deadline.
 * - fixRate 整改率 = fixed / (found − dismissed); closureRate 销号率 = closed / (found − dismissed);
 *   null (shown "—") when nothing valid was found.
 */
export interface StatsCounts {
  found: number;
  dismissed: number;
  fixed: number;
  closed: number;
  outstanding: number;
  overdue: number;
  fixRate: number | null;
  closureRate: number | null;
}

export interface CampaignStats extends StatsCounts {
  from: IsoDate;
  to: IsoDate;
  timeZone: string;
  start: Date;
  end: Date;
  asOf: Date;
  complete: boolean;
  byCategory: CategoryGroup<StatsCounts>[];
  byLevel: LevelGroup<StatsCounts>[];
}

interface Found {
  category: string;
  level: HazardLevel;
  state: 'dismissed' | 'closed' | 'verifying' | 'open';
  overdue: boolean;
}

function withRates(counts: Omit<StatsCounts, 'fixRate' | 'closureRate'>): StatsCounts {
  const valid = counts.found - counts.dismissed;
  return { ...counts, fixRate: ratio(counts.fixed, valid), closureRate: ratio(counts.closed, valid) };
}

function countStats(items: readonly Found[]): StatsCounts {
  const state = (key: Found['state']) => items.filter((item) => item.state === key).length;
  return withRates({
    found: items.length,
    dismissed: state('dismissed'),
    fixed: state('closed') + state('verifying'),
    closed: state('closed'),
    outstanding: state('open') + state('verifying'),
    overdue: items.filter((item) => item.overdue).length,
  });
}

function sumStats(list: readonly StatsCounts[]): StatsCounts {
  const sum = (key: keyof Omit<StatsCounts, 'fixRate' | 'closureRate'>) =>
    list.reduce((total, item) => total + item[key], 0);
  return withRates({
    found: sum('found'),
    dismissed: sum('dismissed'),
    fixed: sum('fixed'),
    closed: sum('closed'),
    outstanding: sum('outstanding'),
    overdue: sum('overdue'),
  });
}

/**
 * Pure statistics over one school's hazards for the local days `from`..`to` (both included, 'YYYY-MM-DD';
 * RangeError when invalid or reversed). `now` caps a span still running.
 */
export function campaignStats(
  rows: readonly HazardFacts[],
  range: { from: IsoDate; to: IsoDate },
  timeZone: string,
  now: Date,
  options: { categories?: readonly CategoryName[] } = {},
): CampaignStats {
  const { start, end } = dayPeriod(range.from, range.to, timeZone);
  const asOf = cutOff({ start, end }, now);
  const items: Found[] = [];
  for (const row of rows) {
    const reported = row.reportedAt.getTime();
    if (reported < start.getTime() || reported >= asOf.getTime()) continue;
    const timeline = timelineOf(row);
    const status = statusBefore(timeline, asOf);
    items.push({
      category: row.category,
      level: row.level,
      state: status === 'dismissed' || status === 'closed' || status === 'verifying' ? status : ('open' as const),
      overdue: overdueBefore(timeline, asOf),
    });
  }
  return {
    from: range.from,
    to: range.to,
    timeZone,
    start,
    end,
    asOf,
    complete: asOf.getTime() === end.getTime(),
    ...countStats(items),
    ...tally(items, options.categories ?? DEFAULT_CATEGORIES, countStats),
  };
}

/** District totals of several schools' statistics, rates recomputed from the sums. */
export function combineStats(reports: readonly CampaignStats[]): {
  totals: StatsCounts;
  byCategory: CategoryGroup<StatsCounts>[];
  byLevel: LevelGroup<StatsCounts>[];
} {
  return { totals: sumStats(reports), ...combineGroups(reports, sumStats) };
}
