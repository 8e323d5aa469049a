/** Quiet hours (default 21:30–07:00): non-urgent messages produced inside them wait for the end. */
import { addDays } from '../calendar/civil-date.js';
import { localDate, localMinutes, parseClockTime, zonedTimeToUtc } from '../calendar/zoned.js';
import type { Urgency } from '../../model/outbound.js';

export interface QuietWindow {
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietWindow = { start: '21:30', end: '07:00' };

/** Inside [start, end) in the school's zone; a window whose start is later than its end spans midnight. */
export function isQuietTime(now: Date, quiet: QuietWindow, timeZone: string): boolean {
  const minute = localMinutes(now, timeZone);
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** When a message produced at `now` may go out: at once if allowed or urgent, else when quiet hours end. */
export function releaseTime(now: Date, urgency: Urgency, quiet: QuietWindow, timeZone: string): Date {
  if (urgency === 'urgent' || !isQuietTime(now, quiet, timeZone)) return now;
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  const today = localDate(now, timeZone);
  const endsTomorrow = start > end && localMinutes(now, timeZone) >= start;
  return zonedTimeToUtc(endsTomorrow ? addDays(today, 1) : today, end, timeZone);
}
