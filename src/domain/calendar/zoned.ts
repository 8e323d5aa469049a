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

/**
 * Intl formatting dominates a tick that evaluates thousands of schools, so the zone's UTC offset is
 * asked of Intl once per six-hour span and reused when the span has no transition (no real zone
 * changes offset twice within six hours); a span with a transition asks Intl for every instant.
 * Resolved wall times are memoised too (bounded maps of plain numbers; results stay deterministic).
 */
const SPAN_MS = 6 * 3_600_000;
const SPAN_MEMO_LIMIT = 8192;
const spanOffsets = new Map<string, number | null>();

/** Throws RangeError for a zone Intl does not know, so bad configuration fails at start-up. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  const shifted = new Date(instant.getTime() + offsetMs(instant.getTime(), timeZone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** Offset from UTC (east positive) at an instant, straight from Intl. */
function intlOffsetMs(epochMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  // Some engines still print midnight as "24" even with h23.
  const wall = Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    (fields.hour ?? 0) % 24,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** Offset of `timeZone` from UTC at `epochMs`, in milliseconds (east positive). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const span = Math.floor(epochMs / SPAN_MS);
  const key = `${timeZone}|${span}`;
  let offset = spanOffsets.get(key);
  if (offset === undefined) {
    const atStart = intlOffsetMs(span * SPAN_MS, timeZone);
    const atEnd = intlOffsetMs((span + 1) * SPAN_MS - 1000, timeZone);
    offset = atStart === atEnd ? atStart : null;
    if (spanOffsets.size >= SPAN_MEMO_LIMIT) spanOffsets.clear();
    spanOffsets.set(key, offset);
  }
  return offset ?? intlOffsetMs(epochMs, timeZone);
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

const clockTimes = new Map<string, number>();

/** 'HH:MM' → minutes since midnight. */
export function parseClockTime(value: string): number {
  const known = clockTimes.get(value);
  if (known !== undefined) return known;
  const match = HH_MM.exec(value);
  if (!match) throw new RangeError(`Not a time of day (HH:MM): ${value}`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (clockTimes.size < SPAN_MEMO_LIMIT) clockTimes.set(value, minutes);
  return minutes;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` plus `minutes` after midnight.
 * Minutes may run past 1440 or below 0 (they roll into the next or previous day). Like Temporal's
 * 'compatible' disambiguation: a time skipped by a spring-forward gap moves forward by the gap; a time
 * that occurs twice at fall-back resolves to the earlier instant.
 */
export function zonedTimeToUtc(date: IsoDate, minutes: number, timeZone: string): Date {
  const key = `${timeZone}|${date}|${minutes}`;
  let epochMs = wallTimes.get(key);
  if (epochMs === undefined) {
    epochMs = resolveWallTime(date, minutes, timeZone);
    if (wallTimes.size >= SPAN_MEMO_LIMIT) wallTimes.clear();
    wallTimes.set(key, epochMs);
  }
  return new Date(epochMs);
}

const wallTimes = new Map<string, number>();

function resolveWallTime(date: IsoDate, minutes: number, timeZone: string): number {
  const dayShift = Math.floor(minutes / 1440);
  const day = addDays(date, dayShift);
  const minuteOfDay = minutes - dayShift * 1440;
  const wall =
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + minuteOfDay * 60_000;
  const before = offsetMs(wall - 86_400_000, timeZone);
  const after = offsetMs(wall + 86_400_000, timeZone);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((epochMs) => offsetMs(epochMs, timeZone) === wall - epochMs);
  return candidates.length > 0 ? Math.min(...candidates) : wall - before;
}
