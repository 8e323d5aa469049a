import { describe, expect, it } from 'vitest';
import { buildNationalCalendar, chineseDaysYears, uncoveredYears, WEEKENDS_ONLY } from './national.js';
import {
  dayInfo,
  isDayBeforeHoliday,
  isFridayOrLastDayOfWeek,
  isSchoolDay,
  nextSchoolDay,
  type SchoolCalendar,
} from './school-calendar.js';

const national = buildNationalCalendar();
const cal: SchoolCalendar = {
  national,
  district: {
    vacations: [
      { name: '寒假', start: '2026-01-31', end: '2026-03-01' },
      { name: '暑假', start: '2026-07-04', end: '2026-08-31' },
    ],
  },
};

describe('national calendar (chinese-days)', () => {
  it('covers 2004 to 2026 and says so for later years', () => {
    const years = chineseDaysYears();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(uncoveredYears(national, 2026, 2027)).toEqual([2027]);
  });

  it('knows 国庆 2026 and its make-up workdays', () => {
    expect(national.holidays.get('2026-10-01')).toBe('国庆节');
    expect(national.holidays.get('2026-10-07')).toBe('国庆节');
    expect(national.workdays.get('2026-09-20')).toBe('国庆节');
    expect(national.workdays.get('2026-10-10')).toBe('国庆节');
  });

  it('lets overrides add a year and correct a date', () => {
    const patched = buildNationalCalendar({
      '2027': { holidays: { '2027-01-01': '元旦' } },
      '2026': { workdays: { '2026-10-07': '更正' } },
    });
    expect(patched.holidays.get('2027-01-01')).toBe('元旦');
    expect(patched.holidays.has('2026-10-07')).toBe(false);
    expect(patched.workdays.get('2026-10-07')).toBe('更正');
    expect(uncoveredYears(patched, 2026, 2027)).toEqual([]);
  });
});

describe('school days', () => {
  it('follows holidays, make-up workdays and weekends', () => {
    expect(dayInfo('2026-09-30', cal)).toEqual({ schoolDay: true, reason: 'school_day' });
    expect(dayInfo('2026-10-01', cal)).toEqual({ schoolDay: false, reason: 'holiday', name: '国庆节' });
    expect(dayInfo('2026-10-10', cal)).toEqual({ schoolDay: true, reason: 'makeup_workday', name: '国庆节' });
    expect(dayInfo('2026-10-11', cal)).toEqual({ schoolDay: false, reason: 'weekend' });
    expect(isSchoolDay('2026-09-20', cal)).toBe(true);
  });

  it('has no school in a vacation, not even on a make-up Saturday', () => {
    expect(national.workdays.has('2026-02-14')).toBe(true);
    expect(dayInfo('2026-02-14', cal)).toEqual({ schoolDay: false, reason: 'vacation', name: '寒假' });
    expect(isSchoolDay('2026-08-31', cal)).toBe(false);
    expect(isSchoolDay('2026-09-01', cal)).toBe(true);
  });

  it('applies term dates and one-off district changes in order of precedence', () => {
    const district: SchoolCalendar = {
      national,
      district: {
        terms: [{ name: '秋季学期', start: '2026-09-01', end: '2027-01-22' }],
        extraDaysOff: { '2026-11-05': '台风停课' },
        extraSchoolDays: { '2026-10-03': '补课（特批）' },
      },
    };
    expect(dayInfo('2026-08-28', district).reason).toBe('out_of_term');
    expect(dayInfo('2026-11-05', district)).toEqual({ schoolDay: false, reason: 'extra_day_off', name: '台风停课' });
    expect(isSchoolDay('2026-10-03', district)).toBe(true);
  });

  it('finds the next school day over a holiday and a vacation', () => {
    expect(nextSchoolDay('2026-09-30', cal)).toBe('2026-10-08');
    expect(nextSchoolDay('2026-10-09', cal)).toBe('2026-10-10');
    expect(nextSchoolDay('2026-07-03', cal)).toBe('2026-09-01');
    expect(nextSchoolDay('2026-10-02', { national: WEEKENDS_ONLY, district: {} })).toBe('2026-10-05');
  });

  it('marks the day before a holiday or vacation, not an ordinary Friday', () => {
    expect(isDayBeforeHoliday('2026-09-30', cal)).toBe(true);
    expect(isDayBeforeHoliday('2026-09-24', cal)).toBe(true); // 中秋 on Friday 25th
    expect(isDayBeforeHoliday('2026-06-18', cal)).toBe(true); // 端午 on Friday 19th
    expect(isDayBeforeHoliday('2026-07-03', cal)).toBe(true); // 暑假 starts
    expect(isDayBeforeHoliday('2026-10-09', cal)).toBe(false); // make-up Saturday follows
    expect(isDayBeforeHoliday('2026-10-16', cal)).toBe(false); // plain weekend
    expect(isDayBeforeHoliday('2026-10-01', cal)).toBe(false); // not a school day itself
  });

  it('finds the last school day of each week', () => {
    expect(isFridayOrLastDayOfWeek('2026-10-16', cal)).toBe(true);
    expect(isFridayOrLastDayOfWeek('2026-10-09', cal)).toBe(false);
    expect(isFridayOrLastDayOfWeek('2026-10-10', cal)).toBe(true);
    expect(isFridayOrLastDayOfWeek('2026-09-30', cal)).toBe(true);
    expect(isFridayOrLastDayOfWeek('2026-09-24', cal)).toBe(true);
    expect(isFridayOrLastDayOfWeek('2026-09-18', cal)).toBe(false); // Sunday 20th is a make-up workday
    expect(isFridayOrLastDayOfWeek('2026-09-20', cal)).toBe(true);
  });
});
