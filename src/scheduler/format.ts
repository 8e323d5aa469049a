/**
 * `10月9日（周五）18:00` in a school's zone, as the hazard cards print times (the year only when it is
 * not the current one). Built on the calendar's memoised zone offsets: a digest formats thousands.
 */
import { isoDate, weekday } from '../domain/calendar/civil-date.js';
import { localParts } from '../domain/calendar/zoned.js';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

export function formatLocalTime(at: Date, timeZone: string, now: Date): string {
  const p = localParts(at, timeZone);
  const year = localParts(now, timeZone).year === p.year ? '' : `${p.year}年`;
  const day = WEEKDAYS[weekday(isoDate(p.year, p.month, p.day)) - 1];
  return `${year}${p.month}月${p.day}日（周${day}）${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** '2026-10-09' → '10月9日'. */
export function monthDay(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

export function weekdayName(date: string): string {
  return `周${WEEKDAYS[weekday(date) - 1]}`;
}
