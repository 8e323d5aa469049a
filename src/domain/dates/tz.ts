/**
 * Calendar dates as plain `{ year, month, day }` values (month 1–12) and instants as Date objects, for
 * the ledger, reports and replies. The zone maths itself is ../calendar/zoned.ts (one Intl formatter
 * cache and offset memo for the whole service).
 */
import { isoDate } from '../calendar/civil-date.js';
import {
  DEFAULT_TIME_ZONE,
  localParts as zonedLocalParts,
  offsetMs,
  zonedTimeToUtc as zonedMinuteToUtc,
} from '../calendar/zoned.js';

export { DEFAULT_TIME_ZONE, offsetMs };

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalParts extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** Wall-clock fields of `date` as seen in `timeZone`. Throws RangeError for an unknown zone. */
export function localParts(date: Date, timeZone: string = DEFAULT_TIME_ZONE): LocalParts {
  const parts = zonedLocalParts(date, timeZone);
  return { ...parts, weekday: weekdayOf(parts) };
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. In a DST overlap it
 * takes the earlier instant; in a DST gap it moves forward by the gap (02:30 → 03:30), like Temporal.
 */
export function zonedTimeToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string = DEFAULT_TIME_ZONE,
  second = 0,
): Date {
  const instant = zonedMinuteToUtc(isoDate(year, month, day), hour * 60 + minute, timeZone);
  return new Date(instant.getTime() + second * 1000);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Same day-of-month `months` later, clamped to the month's last day (1月31日 + 1 → 2月28/29日). */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function isValidCivilDate(date: CivilDate): boolean {
  return (
    Number.isInteger(date.year) &&
    date.month >= 1 &&
    date.month <= 12 &&
    date.day >= 1 &&
    date.day <= daysInMonth(date.year, date.month)
  );
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return Math.round(
    (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000,
  );
}

/** ISO weekday (1 = Monday) of a calendar date. */
export function weekdayOf(date: CivilDate): number {
  const sundayBased = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return sundayBased === 0 ? 7 : sundayBased;
}

export function civilDateOf(date: Date, timeZone: string = DEFAULT_TIME_ZONE): CivilDate {
  const { year, month, day } = localParts(date, timeZone);
  return { year, month, day };
}

/** `YYYY-MM-DD` of a calendar date, the key scheduler occurrence keys and day comparisons use. */
export function formatCivilDate(date: CivilDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
