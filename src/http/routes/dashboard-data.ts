import { addDays } from '../../domain/calendar/civil-date.js';
import { zonedTimeToUtc } from '../../domain/calendar/zoned.js';
import { DEFAULT_CATEGORIES } from '../../domain/ledger/labels.js';
import { type LedgerJsonRow, ledgerJsonRow } from '../../domain/ledger/ledger-json.js';
import { combineMonthly, type MonthlySummary, monthlySummary } from '../../domain/ledger/monthly.js';
import { monthlySummaryText } from '../../domain/ledger/monthly-text.js';
import { dayPeriod, monthPeriod } from '../../domain/ledger/period.js';
import { type CampaignStats, campaignStats, combineStats } from '../../domain/ledger/stats.js';
import { campaignStatsText } from '../../domain/ledger/stats-text.js';
import type { HazardLevel } from '../../domain/hazard/types.js';
import { loadHazardFacts } from '../../db/repos/ledger-facts.js';
import { loadLedger } from '../../db/repos/ledger-records.js';
import type { LedgerSchool } from '../../db/repos/ledger-scope.js';
import type { Db } from '../../db/types.js';

/** The dashboard's figures for a list of schools (one for a school link, all of a district for a bureau link). */

const schoolRef = (school: LedgerSchool) => ({ code: school.code, name: school.name });

export async function ledgerOf(
  db: Db,
  schools: readonly LedgerSchool[],
  filter: { from?: string; to?: string; level?: HazardLevel },
  now: Date,
): Promise<{ school: { code: string; name: string }; count: number; hazards: LedgerJsonRow[] }[]> {
  const result = [];
  for (const school of schools) {
    const tz = school.timezone;
    const data = await loadLedger(db, school.id, {
      ...(filter.from ? { start: zonedTimeToUtc(filter.from, 0, tz) } : {}),
      ...(filter.to ? { end: zonedTimeToUtc(addDays(filter.to, 1), 0, tz) } : {}),
    });
    const context = { timeZone: tz, categories: DEFAULT_CATEGORIES, names: data.names };
    const hazards = data.hazards
      .filter((hazard) => !filter.level || hazard.level === filter.level)
      .map((hazard) => ledgerJsonRow(hazard, data.events.get(hazard.id) ?? [], context, now));
    result.push({ school: schoolRef(school), count: hazards.length, hazards });
  }
  return result;
}

export async function monthlyOf(db: Db, schools: readonly LedgerSchool[], month: string, now: Date) {
  const perSchool: { school: { code: string; name: string }; summary: MonthlySummary; text: string }[] = [];
  for (const school of schools) {
    const facts = await loadHazardFacts(db, [school.id], monthPeriod(month, school.timezone));
    const summary = monthlySummary(facts.get(school.id) ?? [], month, school.timezone, now);
    perSchool.push({ school: schoolRef(school), summary, text: monthlySummaryText(summary) });
  }
  return { schools: perSchool, combined: combineMonthly(perSchool.map((entry) => entry.summary)) };
}

export async function statsOf(
  db: Db,
  schools: readonly LedgerSchool[],
  range: { from: string; to: string },
  now: Date,
) {
  const perSchool: { school: { code: string; name: string }; stats: CampaignStats; text: string }[] = [];
  for (const school of schools) {
    const facts = await loadHazardFacts(db, [school.id], dayPeriod(range.from, range.to, school.timezone));
    const stats = campaignStats(facts.get(school.id) ?? [], range, school.timezone, now);
    perSchool.push({ school: schoolRef(school), stats, text: campaignStatsText(stats) });
  }
  return { schools: perSchool, combined: combineStats(perSchool.map((entry) => entry.stats)) };
}
