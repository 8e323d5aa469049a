/**
 * Slot maths: which occurrences of a programme are due at `now` for one school. Every occurrence has a
 * deterministic key `<rule>:<subject>:<slot>` (e.g. `daily_check:school:<schoolId>:2026-11-23`); the
 * scheduler stores keys under a unique constraint, so returning an occurrence again on the next tick is
 * harmless and a slot missed while the process was down is still returned until it goes stale.
 */
import { addDays, dayOfMonth, daysInMonth, type IsoDate, monthOf, weekday, yearOf } from '../calendar/civil-date.js';
import {
  isDayBeforeHoliday,
  isFridayOrLastDayOfWeek,
  isSchoolDay,
  type SchoolCalendar,
} from '../calendar/school-calendar.js';
import { localDate, parseClockTime, zonedTimeToUtc } from '../calendar/zoned.js';
import type { ReminderProgramme } from './programme.js';
import type { Occasion } from './topics.js';

export interface SchoolSchedule {
  id: string;
  /** IANA zone, Asia/Shanghai by default. */
  timezone: string;
  /** Local dismissal time 'HH:MM'. */
  dismissalTime: string;
}

export interface DueSlot {
  /** `<programme>:school:<schoolId>:<date>`: the occurrence key for group audiences. */
  key: string;
  programmeId: string;
  schoolId: string;
  /** The slot id: the school's local date of the occurrence. */
  slot: IsoDate;
  scheduledAt: Date;
  /** The occurrence is no longer sent from this instant on. */
  staleAt: Date;
  occasion: Occasion;
  /** Talk length for dismissal-relative programmes (1, 5 or 30 for 1530). */
  lessonMinutes?: number;
}

export function occurrenceKey(rule: string, subject: string, slot: string): string {
  return `${rule}:${subject}:${slot}`;
}

/** The key for one recipient of a person audience: `<programme>:person:<personId>:<date>`. */
export function personSlotKey(slot: DueSlot, personId: string): string {
  return occurrenceKey(slot.programmeId, `person:${personId}`, slot.slot);
}

const DAY_MS = 86_400_000;

function matchesRule(rule: string, date: IsoDate, calendar: SchoolCalendar): boolean {
  if (rule === 'every_day') return true;
  if (rule === 'school_days') return isSchoolDay(date, calendar);
  if (rule === 'fridays') return isFridayOrLastDayOfWeek(date, calendar);
  if (rule === 'before_holidays') return isDayBeforeHoliday(date, calendar);
  const [kind, value] = rule.split(':');
  if (kind === 'weekly') return weekday(date) === Number(value);
  if (kind === 'monthly') return dayOfMonth(date) === Math.min(Number(value), daysInMonth(yearOf(date), monthOf(date)));
  return false;
}

function occasionOf(programme: ReminderProgramme, date: IsoDate, calendar: SchoolCalendar): Occasion | undefined {
  const matched = programme.days.filter((rule) => matchesRule(rule, date, calendar));
  if (matched.length === 0) return undefined;
  const calendarDriven = matched.some((rule) => !rule.startsWith('weekly:') && !rule.startsWith('monthly:'));
  if (!calendarDriven) return matched[0]?.startsWith('weekly:') ? 'weekly' : 'monthly';
  if (isDayBeforeHoliday(date, calendar)) return 'before_holiday';
  if (isFridayOrLastDayOfWeek(date, calendar)) return 'last_day_of_week';
  return 'daily';
}

function lessonMinutesFor(programme: ReminderProgramme, occasion: Occasion): number | undefined {
  const lesson = programme.lessonMinutes;
  if (lesson === undefined) return undefined;
  if (occasion === 'before_holiday') return lesson.beforeHoliday;
  if (occasion === 'last_day_of_week') return lesson.lastDayOfWeek;
  return lesson.daily;
}

/** Earliest and latest possible send minute of a day's slot, known before the calendar is consulted. */
function sendMinutesRange(programme: ReminderProgramme, school: SchoolSchedule): [number, number] {
  if (programme.at !== 'dismissal') {
    const at = parseClockTime(programme.at);
    return [at, at];
  }
  const dismissal = parseClockTime(school.dismissalTime);
  const lesson = programme.lessonMinutes;
  if (lesson === undefined) return [dismissal, dismissal];
  const lengths = [lesson.daily, lesson.lastDayOfWeek, lesson.beforeHoliday];
  return [dismissal - Math.max(...lengths), dismissal - Math.min(...lengths)];
}

/** Whether the day's slot could be due at `now`: cheap, so the calendar is consulted only inside the window. */
function withinWindow(programme: ReminderProgramme, school: SchoolSchedule, date: IsoDate, now: Date): boolean {
  const [earliest, latest] = sendMinutesRange(programme, school);
  if (zonedTimeToUtc(date, earliest, school.timezone) > now) return false;
  const { until, afterMinutes } = programme.stale;
  const staleBound =
    afterMinutes !== undefined
      ? new Date(zonedTimeToUtc(date, latest, school.timezone).getTime() + afterMinutes * 60_000)
      : zonedTimeToUtc(
          date,
          parseClockTime(until === 'dismissal' || until === undefined ? school.dismissalTime : until),
          school.timezone,
        );
  return now < staleBound;
}

function staleAtFor(programme: ReminderProgramme, school: SchoolSchedule, date: IsoDate, scheduledAt: Date): Date {
  const { until, afterMinutes } = programme.stale;
  if (afterMinutes !== undefined) return new Date(scheduledAt.getTime() + afterMinutes * 60_000);
  const untilMinutes = parseClockTime(until === 'dismissal' || until === undefined ? school.dismissalTime : until);
  return zonedTimeToUtc(date, untilMinutes, school.timezone);
}

/** The occurrence on one local date, or undefined when the programme does not run that day. */
export function slotOn(
  programme: ReminderProgramme,
  school: SchoolSchedule,
  calendar: SchoolCalendar,
  date: IsoDate,
): DueSlot | undefined {
  if (programme.months !== undefined && !programme.months.includes(monthOf(date))) return undefined;
  const occasion = occasionOf(programme, date, calendar);
  if (occasion === undefined) return undefined;
  const lessonMinutes = lessonMinutesFor(programme, occasion);
  const minuteOfDay =
    programme.at === 'dismissal'
      ? parseClockTime(school.dismissalTime) - (lessonMinutes ?? 0)
      : parseClockTime(programme.at);
  const scheduledAt = zonedTimeToUtc(date, minuteOfDay, school.timezone);
  const slot: DueSlot = {
    key: occurrenceKey(programme.id, `school:${school.id}`, date),
    programmeId: programme.id,
    schoolId: school.id,
    slot: date,
    scheduledAt,
    staleAt: staleAtFor(programme, school, date, scheduledAt),
    occasion,
  };
  if (lessonMinutes !== undefined) slot.lessonMinutes = lessonMinutes;
  return slot;
}

/** Local dates whose slot could still be fresh at `now`. */
function lookbackDays(programme: ReminderProgramme): number {
  const { afterMinutes } = programme.stale;
  return afterMinutes === undefined ? 0 : Math.ceil(afterMinutes / 1440) + 1;
}

export interface DueSlotOptions {
  /** Only slots scheduled after this instant (the previous tick). Without it, every fresh slot is returned. */
  since?: Date;
}

/**
 * Occurrences scheduled at or before `now` that are not yet stale (`now < staleAt`), oldest first.
 * Cheap when nothing is due: the calendar is consulted only for dates whose time window contains `now`.
 */
export function dueSlots(
  programme: ReminderProgramme,
  school: SchoolSchedule,
  calendar: SchoolCalendar,
  now: Date,
  options: DueSlotOptions = {},
): DueSlot[] {
  const today = localDate(now, school.timezone);
  const due: DueSlot[] = [];
  for (let back = lookbackDays(programme); back >= 0; back--) {
    const date = addDays(today, -back);
    if (!withinWindow(programme, school, date, now)) continue;
    const slot = slotOn(programme, school, calendar, date);
    if (slot === undefined || slot.scheduledAt > now || now >= slot.staleAt) continue;
    if (options.since !== undefined && slot.scheduledAt <= options.since) continue;
    due.push(slot);
  }
  return due;
}

/** The next occurrence scheduled strictly after `after` (within a year), for indexing by due time. */
export function nextSlot(
  programme: ReminderProgramme,
  school: SchoolSchedule,
  calendar: SchoolCalendar,
  after: Date,
): DueSlot | undefined {
  const start = localDate(new Date(after.getTime() - DAY_MS), school.timezone);
  for (let offset = 0; offset <= 400; offset++) {
    const slot = slotOn(programme, school, calendar, addDays(start, offset));
    if (slot !== undefined && slot.scheduledAt > after) return slot;
  }
  return undefined;
}
