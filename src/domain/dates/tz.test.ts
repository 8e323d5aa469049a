import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  formatCivilDate,
  isValidCivilDate,
  localParts,
  weekdayOf,
  zonedTimeToUtc,
} from './tz.js';

describe('localParts', () => {
  it('reads the Shanghai wall clock across the UTC date line', () => {
    expect(localParts(new Date('2026-12-31T16:30:05Z'), 'Asia/Shanghai')).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      hour: 0,
      minute: 30,
      second: 5,
      weekday: 5,
    });
  });

  it('uses 0–23 hours at midnight', () => {
    expect(localParts(new Date('2026-06-09T16:00:00Z'), 'Asia/Shanghai').hour).toBe(0);
  });

  it('rejects unknown zones', () => {
    expect(() => localParts(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedTimeToUtc', () => {
  it('converts Shanghai local time (UTC+8)', () => {
    expect(zonedTimeToUtc(2026, 6, 30, 23, 59, 'Asia/Shanghai', 59).toISOString()).toBe('2026-06-30T15:59:59.000Z');
    expect(zonedTimeToUtc(2027, 1, 1, 0, 0, 'Asia/Shanghai').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('round-trips with localParts in a zone with DST', () => {
    const at = zonedTimeToUtc(2026, 7, 4, 9, 15, 'America/New_York');
    expect(at.toISOString()).toBe('2026-07-04T13:15:00.000Z');
    expect(localParts(at, 'America/New_York')).toMatchObject({ year: 2026, month: 7, day: 4, hour: 9, minute: 15 });
  });

  it('moves a time inside a DST gap forward', () => {
    expect(zonedTimeToUtc(2026, 3, 8, 2, 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the earlier instant in a DST overlap', () => {
    expect(zonedTimeToUtc(2026, 11, 1, 1, 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedTimeToUtc(2026, 10, 25, 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month and year ends', () => {
    expect(addDays({ year: 2026, month: 12, day: 30 }, 3)).toEqual({ year: 2027, month: 1, day: 2 });
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
  });

  it('adds months, clamping to the last day', () => {
    expect(addMonths({ year: 2026, month: 1, day: 31 }, 1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonths({ year: 2026, month: 12, day: 15 }, 1)).toEqual({ year: 2027, month: 1, day: 15 });
    expect(addMonths({ year: 2026, month: 1, day: 15 }, -1)).toEqual({ year: 2025, month: 12, day: 15 });
  });

  it('knows month lengths, weekdays, validity and distances', () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(weekdayOf({ year: 2026, month: 6, day: 14 })).toBe(7);
    expect(isValidCivilDate({ year: 2026, month: 2, day: 29 })).toBe(false);
    expect(isValidCivilDate({ year: 2026, month: 13, day: 1 })).toBe(false);
    expect(daysBetween({ year: 2026, month: 12, day: 31 }, { year: 2027, month: 1, day: 2 })).toBe(2);
    expect(formatCivilDate({ year: 2026, month: 3, day: 5 })).toBe('2026-03-05');
  });
});
