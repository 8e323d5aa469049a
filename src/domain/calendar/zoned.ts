/**
 * Wall-clock maths in a named IANA time zone using only Intl (runs on Node and Workers alike).
 * Schedules are written in local time ("07:50 on school days"); these helpers turn them into instants
 * and back, correctly on both sides of a DST change.
 */
import { addDays, type IsoDate, isoDate } from './civil-date.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws RangeError for a zone Intl does not know, so bad configuration fails at start-up. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    // Some engines still print midnight as "24" even with h23.
    hour: (fields.hour ?? 0) % 24,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** The local calendar date of an instant. */
export function localDate(instant: Date, timeZone: string): IsoDate {
  const parts = localParts(instant, timeZone);
  return isoDate(parts.year, parts.month, parts.day);
}

/** Minutes since local midnight (0–1439). */
export function localMinutes(instant: Date, timeZone: string): number {
  const parts = localParts(instant, timeZone);
  return parts.hour * 60 + parts.minute;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isClockTime(value: string): boolean {
  return HH_MM.test(value);
}

/** 'HH:MM' → minutes since midnight. */
export function parseClockTime(value: string): number {
  const match = HH_MM.exec(value);
  if (!match) throw new RangeError(`Not a time of day (HH:MM): ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function offsetMs(epochMs: number, timeZone: string): number {
  const parts = localParts(new Date(epochMs), timeZone);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` plus `minutes` after midnight.
 * Minutes may run past 1440 or below 0 (they roll into the next or previous day). Like Temporal's
 * 'compatible' disambiguation: a time skipped by a spring-forward gap moves forward by the gap; a time
 * that occurs twice at fall-back resolves to the earlier instant.
 */
export function zonedTimeToUtc(date: IsoDate, minutes: number, timeZone: string): Date {
  const dayShift = Math.floor(minutes / 1440);
  const day = addDays(date, dayShift);
  const minuteOfDay = minutes - dayShift * 1440;
  const wall =
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + minuteOfDay * 60_000;
  const before = offsetMs(wall - 86_400_000, timeZone);
  const after = offsetMs(wall + 86_400_000, timeZone);
  const candidates = [wall - before, wall - after].filter((epochMs) => offsetMs(epochMs, timeZone) === wall - epochMs);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(wall - before);
}
