/**
 * School calendar data.
 *
 * National holidays and make-up workdays (调休) come from the chinese-days package (it covers 2004–2026
 * at version 1.5.7). Each year the State Council publishes the next year's arrangement, usually in
 * November or December. To add it:
 *   1. Under `national`, add the year, e.g. `'2027': { holidays: { '2027-01-01': '元旦', … },
 *      workdays: { '2027-02-20': '春节调休', … } }`: every day off (weekends inside the holiday included)
 *      under `holidays`, every make-up weekend workday under `workdays`.
 *   2. Run `npx vitest run test/bot-flows/calendar.test.ts` — it validates the file.
 *   3. Once a chinese-days release covers that year, the entry may stay (it wins for the same date) or go.
 * A date listed here overrides chinese-days, so a correction goes here too.
 *
 * `districts` holds each district's term dates and vacations, keyed by district code; `default`
 * applies to every district without its own entry (an entry replaces the default, it does not merge).
 * The default vacations below are typical dates, not any district's official 校历: replace them with
 * the district's published calendar each term. `extraDaysOff` (停课) and `extraSchoolDays` take
 * 'YYYY-MM-DD': '原因'.
 */
import { type CalendarConfig, calendarConfigSchema, districtCalendarFor } from '../src/domain/calendar/schema.js';
import { buildNationalCalendar, type NationalCalendar } from '../src/domain/calendar/national.js';
import type { SchoolCalendar } from '../src/domain/calendar/school-calendar.js';
import { parseConfig } from '../src/domain/schedule/config.js';

export const CALENDAR_FILE = 'bot-flows/calendar.ts';

export const calendar: CalendarConfig = {
  national: {},
  districts: {
    default: {
      vacations: [
        { name: '寒假', start: '2026-01-31', end: '2026-03-01' },
        { name: '暑假', start: '2026-07-04', end: '2026-08-31' },
        { name: '寒假', start: '2027-01-23', end: '2027-02-21' },
        { name: '暑假', start: '2027-07-03', end: '2027-08-31' },
      ],
    },
  },
};

export interface LoadedCalendar {
  config: CalendarConfig;
  national: NationalCalendar;
  /** The calendar a school in this district follows (the default district's when it has none). */
  forDistrict(districtCode: string | undefined): SchoolCalendar;
}

/** Validates the calendar data (throws naming file and field) and builds the national calendar once. */
export function loadCalendar(source: unknown = calendar): LoadedCalendar {
  const config = parseConfig(calendarConfigSchema, source, CALENDAR_FILE);
  const national = buildNationalCalendar(config.national);
  return {
    config,
    national,
    forDistrict: (districtCode) => ({ national, district: districtCalendarFor(config, districtCode) }),
  };
}
