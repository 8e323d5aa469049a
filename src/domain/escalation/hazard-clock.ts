/**
 * Deadline nags and escalation for one hazard at `now`.
 *
 * Keys (one occurrence each, under the scheduler's unique constraint), <dl> being the deadline in UTC
 * to the minute (20261009T1000Z):
 *   nag:hazard:<id>:<cycle>:<dl>:before24h        owner, from 24 h before the deadline until the deadline
 *                                                 (at once when a deadline is set less than 24 h ahead)
 *   nag:hazard:<id>:<cycle>:<dl>:due              owner, at the deadline, until the first overdue nag is due
 *   nag:hazard:<id>:<cycle>:<dl>:overdue:<date>   owner, daily at nags.overdueAt, only today's (no backlog)
 *   escalate:hazard:<id>:<cycle>:<dl>:<rung>      each rung once per cycle and deadline, never stale
 *
 * The deadline is part of every key, so extending it (延期) re-arms the advance reminder and the
 * ladder for the new date; a reopen bumps `cycle` and restarts everything as well.
 *
 * End-of-day deadlines (23:59:59) fall in quiet hours. The advance reminder then fires at 23:59 the day
 * before and is held to the morning of the deadline day, which is what the owner needs. The "at the
 * deadline" nag would be held to the next morning, two hours before the first overdue nag says the same
 * thing, so when `quiet` is given and the deadline lies in the evening part of the quiet window (the
 * window ends on a later date), the 'due' nag is left out and the 09:00 overdue nag is the first word.
 *
 * Days overdue are counted in local calendar days of the school's zone, not elapsed 24-hour periods:
 * the deadline's own date is day 0, the next date day 1 ("逾期1天"), as a school counts them. A rung for
 * N ≥ 1 days fires at escalation.at on day N, so a deadline at 23:59 does not escalate a minute later
 * at midnight, and urgent rungs reach the principal in the morning rather than at the deadline's hour.
 * Weekends and holidays count by default (safety does not pause); countDays: 'school' counts school
 * days only. A rung never fires later than a higher one: when the bureau is told about an overdue major
 * hazard, the lower rungs are told at the same time. Only status 'rectifying' runs the clock: a fix
 * submitted (verifying) stops it; a reopen bumps `cycle`, which restarts every key.
 */
import { addDays, daysBetween, type IsoDate } from '../calendar/civil-date.js';
import { isSchoolDay, type SchoolCalendar } from '../calendar/school-calendar.js';
import { localDate, parseClockTime, zonedTimeToUtc } from '../calendar/zoned.js';
import type { Urgency } from '../../model/outbound.js';
import { isQuietTime, type QuietWindow, releaseTime } from '../schedule/quiet-hours.js';
import type { EscalationPolicy, EscalationRecipient, Rung } from './ladder.js';

export interface HazardClock {
  id: string;
  status: string;
  level: 'general' | 'major';
  deadline: Date | null;
  cycle: number;
}

export interface ClockContext {
  policy: EscalationPolicy;
  /** The school's IANA zone. */
  timezone: string;
  calendar: SchoolCalendar;
  /** Quiet hours: with them, a deadline late in the evening gets no separate 'due' nag (see above). */
  quiet?: QuietWindow;
}

export type NagStage = 'before' | 'due' | 'overdue';

export type HazardOccurrence =
  | {
      kind: 'nag';
      key: string;
      stage: NagStage;
      recipient: 'owner';
      urgency: Urgency;
      scheduledAt: Date;
      daysOverdue: number;
    }
  | {
      kind: 'escalation';
      key: string;
      rung: string;
      recipient: EscalationRecipient;
      urgency: Urgency;
      scheduledAt: Date;
      daysOverdue: number;
    };

/** Enough to cover any ladder threshold in school days. */
const HORIZON_DAYS = 800;

/** 2026-10-09T10:00:00Z → 20261009T1000Z. */
function deadlineStamp(deadline: Date): string {
  return `${deadline.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
}

function nagKey(hazard: HazardClock, deadline: Date, slot: string): string {
  return `nag:hazard:${hazard.id}:${hazard.cycle}:${deadlineStamp(deadline)}:${slot}`;
}

function escalationKey(hazard: HazardClock, deadline: Date, rung: string): string {
  return `escalate:hazard:${hazard.id}:${hazard.cycle}:${deadlineStamp(deadline)}:${rung}`;
}

/** The deadline falls in quiet hours that end on a later date: its 'due' nag would arrive next morning. */
function dueNagSuperseded(deadline: Date, context: ClockContext): boolean {
  const { quiet, timezone } = context;
  if (quiet === undefined || !isQuietTime(deadline, quiet, timezone)) return false;
  return localDate(releaseTime(deadline, 'normal', quiet, timezone), timezone) > localDate(deadline, timezone);
}

/** The local date on which the hazard is `days` days overdue, or undefined beyond the horizon. */
function dayNumber(deadlineDate: IsoDate, days: number, context: ClockContext): IsoDate | undefined {
  if (context.policy.escalation.countDays === 'calendar') return addDays(deadlineDate, days);
  let counted = 0;
  for (let offset = 1; offset <= HORIZON_DAYS; offset++) {
    const date = addDays(deadlineDate, offset);
    if (isSchoolDay(date, context.calendar) && ++counted === days) return date;
  }
  return undefined;
}

/** Days overdue at `now` as the ladder counts them; 0 before and on the deadline's date. */
export function daysOverdue(hazard: HazardClock, now: Date, context: ClockContext): number {
  if (hazard.deadline === null || now <= hazard.deadline) return 0;
  const deadlineDate = localDate(hazard.deadline, context.timezone);
  const today = localDate(now, context.timezone);
  if (context.policy.escalation.countDays === 'calendar') return daysBetween(deadlineDate, today);
  let counted = 0;
  for (let date = addDays(deadlineDate, 1); date <= today; date = addDays(date, 1)) {
    if (isSchoolDay(date, context.calendar)) counted++;
  }
  return counted;
}

/** Per rung, the days threshold for this hazard, lowered so that no rung fires after a higher one. */
function thresholds(rungs: Rung[], level: HazardClock['level']): number[] {
  const own = rungs.map((rung) =>
    level === 'major' ? Math.min(rung.afterDays, rung.majorAfterDays ?? rung.afterDays) : rung.afterDays,
  );
  for (let index = own.length - 2; index >= 0; index--) own[index] = Math.min(own[index]!, own[index + 1]!);
  return own;
}

/** When each rung fires for this hazard (undefined: beyond the horizon). */
export function rungTimes(hazard: HazardClock, context: ClockContext): (Date | undefined)[] {
  const deadline = hazard.deadline;
  if (deadline === null) return context.policy.escalation.rungs.map(() => undefined);
  const deadlineDate = localDate(deadline, context.timezone);
  const at = parseClockTime(context.policy.escalation.at);
  return thresholds(context.policy.escalation.rungs, hazard.level).map((days) => {
    if (days === 0) return deadline;
    const date = dayNumber(deadlineDate, days, context);
    return date === undefined ? undefined : zonedTimeToUtc(date, at, context.timezone);
  });
}

function overdueNagDay(date: IsoDate, context: ClockContext): boolean {
  return context.policy.nags.overdueOn === 'every_day' || isSchoolDay(date, context.calendar);
}

/** The first overdue nag after the deadline: the instant the 'due' nag goes stale. */
function firstOverdueNag(deadline: Date, context: ClockContext): Date {
  const deadlineDate = localDate(deadline, context.timezone);
  const at = parseClockTime(context.policy.nags.overdueAt);
  for (let offset = 1; offset <= HORIZON_DAYS; offset++) {
    const date = addDays(deadlineDate, offset);
    if (overdueNagDay(date, context)) return zonedTimeToUtc(date, at, context.timezone);
  }
  return new Date(deadline.getTime() + HORIZON_DAYS * 86_400_000);
}

/** Occurrences due at `now`, in the order they were scheduled (rungs in ladder order on ties). */
export function hazardOccurrences(hazard: HazardClock, now: Date, context: ClockContext): HazardOccurrence[] {
  const deadline = hazard.deadline;
  if (hazard.status !== 'rectifying' || deadline === null) return [];
  const { nags, escalation } = context.policy;
  const overdueDays = daysOverdue(hazard, now, context);
  const due: HazardOccurrence[] = [];
  const nag = (stage: NagStage, slot: string, scheduledAt: Date) =>
    due.push({
      kind: 'nag',
      key: nagKey(hazard, deadline, slot),
      stage,
      recipient: 'owner',
      urgency: 'normal',
      scheduledAt,
      daysOverdue: overdueDays,
    });

  const beforeAt = new Date(deadline.getTime() - nags.beforeHours * 3_600_000);
  if (beforeAt <= now && now < deadline) nag('before', `before${nags.beforeHours}h`, beforeAt);
  if (deadline <= now && now < firstOverdueNag(deadline, context) && !dueNagSuperseded(deadline, context)) {
    nag('due', 'due', deadline);
  }

  const today = localDate(now, context.timezone);
  const todaysNag = zonedTimeToUtc(today, parseClockTime(nags.overdueAt), context.timezone);
  if (today > localDate(deadline, context.timezone) && overdueNagDay(today, context) && todaysNag <= now) {
    nag('overdue', `overdue:${today}`, todaysNag);
  }

  rungTimes(hazard, context).forEach((firesAt, index) => {
    const rung = escalation.rungs[index]!;
    if (firesAt === undefined || firesAt > now) return;
    due.push({
      kind: 'escalation',
      key: escalationKey(hazard, deadline, rung.id),
      rung: rung.id,
      recipient: rung.notify,
      urgency: rung.urgency,
      scheduledAt: firesAt,
      daysOverdue: overdueDays,
    });
  });
  return due.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
}

/**
 * The next instant after `now` at which something new becomes due for this hazard, or undefined when
 * nothing ever will (not rectifying, no deadline). The tick can index hazards by it.
 */
export function nextHazardCheckAt(hazard: HazardClock, now: Date, context: ClockContext): Date | undefined {
  const deadline = hazard.deadline;
  if (hazard.status !== 'rectifying' || deadline === null) return undefined;
  const candidates: Date[] = [new Date(deadline.getTime() - context.policy.nags.beforeHours * 3_600_000), deadline];
  candidates.push(...rungTimes(hazard, context).filter((time): time is Date => time !== undefined));
  const at = parseClockTime(context.policy.nags.overdueAt);
  const today = localDate(now, context.timezone);
  const dayAfterDeadline = addDays(localDate(deadline, context.timezone), 1);
  const firstDay = daysBetween(today, dayAfterDeadline) > 0 ? dayAfterDeadline : today;
  for (let offset = 0; offset <= HORIZON_DAYS; offset++) {
    const date = addDays(firstDay, offset);
    const nagAt = zonedTimeToUtc(date, at, context.timezone);
    if (nagAt > now && overdueNagDay(date, context)) {
      candidates.push(nagAt);
      break;
    }
  }
  const future = candidates.filter((time) => time > now).map((time) => time.getTime());
  return future.length > 0 ? new Date(Math.min(...future)) : undefined;
}
