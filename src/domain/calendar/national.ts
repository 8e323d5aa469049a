/**
 * National public holidays and make-up workdays (调休) for mainland China: the chinese-days data set,
 * corrected or extended by overrides kept in bot-flows/calendar.ts. The data is imported as JSON so
 * the Workers bundle carries it without file access.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { IsoDate } from './civil-date.js';

/** Per year: dates added as holidays or make-up workdays, each with a display name. */
export type NationalOverrides = Record<
  string,
  { holidays?: Record<IsoDate, string>; workdays?: Record<IsoDate, string> }
>;

export interface NationalCalendar {
  holidays: ReadonlyMap<IsoDate, string>;
  workdays: ReadonlyMap<IsoDate, string>;
  /** Years with a published arrangement (in chinese-days or in the overrides). */
  coveredYears: ReadonlySet<number>;
}

/** "National Day,国庆节,3" → "国庆节". */
function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

function loadChineseDays(holidays: Map<IsoDate, string>, workdays: Map<IsoDate, string>, years: Set<number>): void {
  for (const [date, entry] of Object.entries(chineseDays.holidays)) {
    holidays.set(date, chineseName(entry));
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, entry] of Object.entries(chineseDays.workdays)) workdays.set(date, chineseName(entry));
}

/** Years covered by the bundled chinese-days data. */
export function chineseDaysYears(): number[] {
  return [...new Set(Object.keys(chineseDays.holidays).map((date) => Number(date.slice(0, 4))))].sort();
}

/**
 * Builds the national calendar. An override wins over chinese-days for the same date: listing a date
 * under `workdays` removes it from the holidays and vice versa, so a wrong entry can be corrected.
 */
export function buildNationalCalendar(overrides: NationalOverrides = {}): NationalCalendar {
  const holidays = new Map<IsoDate, string>();
  const workdays = new Map<IsoDate, string>();
  const coveredYears = new Set<number>();
  loadChineseDays(holidays, workdays, coveredYears);
  for (const [year, entry] of Object.entries(overrides)) {
    coveredYears.add(Number(year));
    for (const [date, name] of Object.entries(entry.holidays ?? {})) {
      holidays.set(date, name);
      workdays.delete(date);
    }
    for (const [date, name] of Object.entries(entry.workdays ?? {})) {
      workdays.set(date, name);
      holidays.delete(date);
    }
  }
  return { holidays, workdays, coveredYears };
}

/** A calendar with weekends only: for schools outside mainland China and for tests. */
export const WEEKENDS_ONLY: NationalCalendar = { holidays: new Map(), workdays: new Map(), coveredYears: new Set() };

/** Years in [from, to] that have no published arrangement yet: log these at start-up each December. */
export function uncoveredYears(national: NationalCalendar, from: number, to: number): number[] {
  const missing: number[] = [];
  for (let year = from; year <= to; year++) if (!national.coveredYears.has(year)) missing.push(year);
  return missing;
}
