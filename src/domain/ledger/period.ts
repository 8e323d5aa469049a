import { addDays, type IsoDate, isIsoDate, isoDate } from '../calendar/civil-date.js';
import { localParts, zonedTimeToUtc } from '../calendar/zoned.js';

/** A 'YYYY-MM' month. */
export type YearMonth = string;

/** A span of local days in a time zone: [start, end) as instants. */
export interface Period {
  start: Date;
  end: Date;
}

const YEAR_MONTH = /^(\d{4})-(\d{2})$/;

export function isYearMonth(value: string): boolean {
  const match = YEAR_MONTH.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= 1970 && month >= 1 && month <= 12;
}

/** The month's first day and the first day of the next month. */
export function monthDays(month: YearMonth): { first: IsoDate; next: IsoDate } {
  if (!isYearMonth(month)) throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  return {
    first: isoDate(year, number, 1),
    next: number === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, number + 1, 1),
  };
}

/** Local midnight of the month's first day up to local midnight of the next month's. */
export function monthPeriod(month: YearMonth, timeZone: string): Period {
  const { first, next } = monthDays(month);
  return { start: zonedTimeToUtc(first, 0, timeZone), end: zonedTimeToUtc(next, 0, timeZone) };
}

/** Local midnight of `from` up to local midnight after `to` (both days included). */
export function dayPeriod(from: IsoDate, to: IsoDate, timeZone: string): Period {
  if (!isIsoDate(from) || !isIsoDate(to)) throw new RangeError(`Not a date range: ${from}..${to}`);
  if (from > to) throw new RangeError(`Range ends before it starts: ${from}..${to}`);
  return { start: zonedTimeToUtc(from, 0, timeZone), end: zonedTimeToUtc(addDays(to, 1), 0, timeZone) };
}

/** The month an instant falls in, locally. */
export function monthOfInstant(instant: Date, timeZone: string): YearMonth {
  const parts = localParts(instant, timeZone);
  return `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}`;
}

/**
 * The instant a report describes the state at: the period's end, or — while the period is still
 * running — just after `now`, so that what happened at `now` counts.
 */
export function cutOff(period: Period, now: Date): Date {
  return now.getTime() < period.end.getTime() ? new Date(now.getTime() + 1) : period.end;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD HH:mm` in the school's zone, the way the ledger prints times. */
export function formatLedgerTime(instant: Date | null, timeZone: string): string {
  if (!instant) return '';
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `YYYY-MM-DD` in the school's zone. */
export function formatLedgerDate(instant: Date, timeZone: string): IsoDate {
  const p = localParts(instant, timeZone);
  return isoDate(p.year, p.month, p.day);
}
