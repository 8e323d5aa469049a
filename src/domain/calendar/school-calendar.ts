/**
 * Which dates are school days for a school: the national calendar (holidays, 调休 make-up workdays,
 * weekends) narrowed by its district's term dates, vacations (寒假/暑假) and one-off changes.
 */
import { addDays, type IsoDate, isWeekend, weekday } from './civil-date.js';
import type { NationalCalendar } from './national.js';

export interface DateRange {
  name: string;
  start: IsoDate;
  /** Inclusive. */
  end: IsoDate;
}

export interface DistrictCalendar {
  /** When given, only dates inside a term can be school days. */
  terms?: DateRange[];
  /** No school days inside a vacation, make-up workdays included. */
  vacations?: DateRange[];
  /** One-off closures (台风停课, 运动会补休): win over everything but extraSchoolDays. */
  extraDaysOff?: Record<IsoDate, string>;
  /** One-off school days: win over everything. */
  extraSchoolDays?: Record<IsoDate, string>;
}

export interface SchoolCalendar {
  national: NationalCalendar;
  district: DistrictCalendar;
}

export type DayReason =
  | 'school_day'
  | 'makeup_workday'
  | 'extra_school_day'
  | 'weekend'
  | 'holiday'
  | 'vacation'
  | 'out_of_term'
  | 'extra_day_off';

export interface DayInfo {
  schoolDay: boolean;
  reason: DayReason;
  /** Holiday, vacation or term name when there is one. */
  name?: string;
}

/** Search horizon for the next school day: longer than any vacation. */
const HORIZON_DAYS = 400;

function rangeContaining(ranges: DateRange[] | undefined, date: IsoDate): DateRange | undefined {
  return ranges?.find((range) => range.start <= date && date <= range.end);
}

export function dayInfo(date: IsoDate, calendar: SchoolCalendar): DayInfo {
  const { national, district } = calendar;
  const extraSchool = district.extraSchoolDays?.[date];
  if (extraSchool !== undefined) return { schoolDay: true, reason: 'extra_school_day', name: extraSchool };
  const extraOff = district.extraDaysOff?.[date];
  if (extraOff !== undefined) return { schoolDay: false, reason: 'extra_day_off', name: extraOff };
  const vacation = rangeContaining(district.vacations, date);
  if (vacation) return { schoolDay: false, reason: 'vacation', name: vacation.name };
  if (district.terms && district.terms.length > 0 && !rangeContaining(district.terms, date)) {
    return { schoolDay: false, reason: 'out_of_term' };
  }
  const holiday = national.holidays.get(date);
  if (holiday !== undefined) return { schoolDay: false, reason: 'holiday', name: holiday };
  const workday = national.workdays.get(date);
  if (workday !== undefined) return { schoolDay: true, reason: 'makeup_workday', name: workday };
  if (isWeekend(date)) return { schoolDay: false, reason: 'weekend' };
  return { schoolDay: true, reason: 'school_day' };
}

export function isSchoolDay(date: IsoDate, calendar: SchoolCalendar): boolean {
  return dayInfo(date, calendar).schoolDay;
}

/** The first school day after `date`, or undefined when none falls within a year or so. */
export function nextSchoolDay(date: IsoDate, calendar: SchoolCalendar): IsoDate | undefined {
  for (let offset = 1; offset <= HORIZON_DAYS; offset++) {
    const candidate = addDays(date, offset);
    if (isSchoolDay(candidate, calendar)) return candidate;
  }
  return undefined;
}

/**
 * The last school day before a break longer than an ordinary weekend: some day before the next school
 * day is a non-school weekday or belongs to a holiday or vacation. This is the day of the 30-minute
 * 1530 lesson. A plain Friday before a plain weekend is not.
 */
export function isDayBeforeHoliday(date: IsoDate, calendar: SchoolCalendar): boolean {
  if (!isSchoolDay(date, calendar)) return false;
  for (let offset = 1; offset <= HORIZON_DAYS; offset++) {
    const info = dayInfo(addDays(date, offset), calendar);
    if (info.schoolDay) return false;
    if (info.reason !== 'weekend') return true;
  }
  return false;
}

/**
 * The last school day of its Monday–Sunday week: usually Friday, a Thursday when Friday is a holiday,
 * a Saturday or Sunday that is a make-up workday.
 */
export function isFridayOrLastDayOfWeek(date: IsoDate, calendar: SchoolCalendar): boolean {
  if (!isSchoolDay(date, calendar)) return false;
  for (let offset = 1; offset <= 7 - weekday(date); offset++) {
    if (isSchoolDay(addDays(date, offset), calendar)) return false;
  }
  return true;
}
