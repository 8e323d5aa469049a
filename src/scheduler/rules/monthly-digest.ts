/**
 * 隐患排查治理月报 on the 1st: the ledger's monthly numbers for the month just ended (new, carried over,
 * closed, overdue, closure rate, by category and level), in the ledger's own words.
 */
import { addDays } from '../../domain/calendar/civil-date.js';
import { monthlySummary } from '../../domain/ledger/monthly.js';
import { monthlySummaryText } from '../../domain/ledger/monthly-text.js';
import { monthPeriod } from '../../domain/ledger/period.js';
import { loadHazardFacts } from '../../db/repos/ledger-facts.js';
import type { TickContext } from '../rule.js';
import type { ContentSource, DueItem, SchoolContent } from './programme.js';

/** The month before the slot's date ('2026-11-01' → '2026-10'). */
function previousMonth(slotDate: string): string {
  return addDays(`${slotDate.slice(0, 7)}-01`, -1).slice(0, 7);
}

export const monthlyDigest: ContentSource = {
  async forSchools(ctx: TickContext, due: DueItem[]) {
    const contents = new Map<string, SchoolContent>();
    const groups = new Map<string, DueItem[]>();
    for (const item of due) {
      const key = `${item.school.timezone}|${previousMonth(item.slot.slot)}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    for (const [key, items] of groups) {
      const [timezone = '', month = ''] = key.split('|');
      const facts = await loadHazardFacts(
        ctx.db,
        items.map((item) => item.school.id),
        monthPeriod(month, timezone),
      );
      for (const { school } of items) {
        const summary = monthlySummary(facts.get(school.id) ?? [], month, timezone, ctx.now);
        contents.set(school.id, { summary: monthlySummaryText(summary) });
      }
    }
    return contents;
  },
};
