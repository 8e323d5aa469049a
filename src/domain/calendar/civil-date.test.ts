import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, daysInMonth, isIsoDate, weekday } from './civil-date.js';

describe('civil dates', () => {
  it('accepts only real dates', () => {
    expect(isIsoDate('2026-10-10')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  it('counts days across months, years and DST dates without drift', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(daysBetween('2026-10-09', '2026-10-16')).toBe(7);
    expect(daysInMonth(2026, 2)).toBe(28);
  });

  it('numbers weekdays Monday = 1 … Sunday = 7', () => {
    expect(weekday('2026-09-28')).toBe(1);
    expect(weekday('2026-10-09')).toBe(5);
    expect(weekday('2026-10-10')).toBe(6);
    expect(weekday('2026-10-11')).toBe(7);
    expect(weekday('1969-12-28')).toBe(7);
  });
});
