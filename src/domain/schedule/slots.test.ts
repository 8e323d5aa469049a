import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../../bot-flows/calendar.js';
import { loadReminderProgrammes } from '../../../bot-flows/reminders.js';
import { WEEKENDS_ONLY } from '../calendar/national.js';
import type { SchoolCalendar } from '../calendar/school-calendar.js';
import type { ReminderProgramme } from './programme.js';
import { type DueSlot, dueSlots, nextSlot, personSlotKey, type SchoolSchedule } from './slots.js';

const { programmes } = loadReminderProgrammes();
const calendar = loadCalendar().forDistrict(undefined);
const school: SchoolSchedule = { id: 's1', timezone: 'Asia/Shanghai', dismissalTime: '16:00' };

function programme(id: string): ReminderProgramme {
  const found = programmes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no programme ${id}`);
  return found;
}

/** Shanghai wall time → instant. */
function sh(local: string): Date {
  return new Date(`${local}:00+08:00`);
}

/**
 * Ticks every minute from `from` to `to`, like the scheduler, and keeps the first tick that produced
 * each key (the database's unique key does the same). `down` marks minutes when the process was off.
 */
function simulate(
  subjects: ReminderProgramme[],
  who: SchoolSchedule,
  cal: SchoolCalendar,
  from: Date,
  to: Date,
  down: (now: Date) => boolean = () => false,
): Map<string, { firedAt: Date; slot: DueSlot }> {
  const fired = new Map<string, { firedAt: Date; slot: DueSlot }>();
  for (let time = from.getTime(); time <= to.getTime(); time += 60_000) {
    const now = new Date(time);
    if (down(now)) continue;
    for (const subject of subjects) {
      for (const slot of dueSlots(subject, who, cal, now)) {
        if (!fired.has(slot.key)) fired.set(slot.key, { firedAt: now, slot });
      }
    }
  }
  return fired;
}

function summary(fired: Map<string, { firedAt: Date; slot: DueSlot }>): string[] {
  return [...fired.values()]
    .sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime() || a.slot.key.localeCompare(b.slot.key))
    .map(({ firedAt, slot }) => {
      const local = new Date(firedAt.getTime() + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');
      const extra = slot.lessonMinutes === undefined ? '' : ` ${slot.lessonMinutes}min`;
      return `${local} ${slot.programmeId} ${slot.occasion}${extra}`;
    });
}

describe('a fortnight around 中秋 and 国庆 2026', () => {
  it('fires each programme on the right days, at the right minute, exactly once', () => {
    const fired = simulate(programmes, school, calendar, sh('2026-09-21T00:00'), sh('2026-10-11T23:59'));
    expect(summary(fired)).toEqual([
      '09-21 07:50 daily_check daily',
      '09-21 08:00 personal_digest daily',
      '09-21 08:00 weekly_digest weekly',
      '09-21 15:59 talk1530 daily 1min',
      '09-22 07:50 daily_check daily',
      '09-22 08:00 personal_digest daily',
      '09-22 15:59 talk1530 daily 1min',
      '09-23 07:50 daily_check daily',
      '09-23 08:00 personal_digest daily',
      '09-23 15:59 talk1530 daily 1min',
      // Thursday before 中秋 (Friday 25th): pre-holiday lesson and the drowning reminder.
      '09-24 07:50 daily_check before_holiday',
      '09-24 08:00 personal_digest before_holiday',
      '09-24 14:30 drowning before_holiday',
      '09-24 15:30 talk1530 before_holiday 30min',
      '09-28 07:50 daily_check daily',
      '09-28 08:00 personal_digest daily',
      '09-28 08:00 weekly_digest weekly',
      '09-28 15:59 talk1530 daily 1min',
      '09-29 07:50 daily_check daily',
      '09-29 08:00 personal_digest daily',
      '09-29 15:59 talk1530 daily 1min',
      // Wednesday before 国庆 (1–7 October).
      '09-30 07:50 daily_check before_holiday',
      '09-30 08:00 personal_digest before_holiday',
      '09-30 14:30 drowning before_holiday',
      '09-30 15:30 talk1530 before_holiday 30min',
      // Monthly and weekly digests do not follow the school calendar.
      '10-01 09:00 monthly_summary monthly',
      '10-05 08:00 weekly_digest weekly',
      '10-08 07:50 daily_check daily',
      '10-08 08:00 personal_digest daily',
      '10-08 15:59 talk1530 daily 1min',
      // Friday is not the last school day this week: Saturday 10th is a make-up workday.
      '10-09 07:50 daily_check daily',
      '10-09 08:00 personal_digest daily',
      '10-09 15:59 talk1530 daily 1min',
      '10-10 07:50 daily_check last_day_of_week',
      '10-10 08:00 personal_digest last_day_of_week',
      '10-10 15:55 talk1530 last_day_of_week 5min',
    ]);
    expect(fired.has('daily_check:school:s1:2026-10-10')).toBe(true);
    expect(fired.has('talk1530:school:s1:2026-09-30')).toBe(true);
    expect(fired.has('drowning:school:s1:2026-10-09')).toBe(false); // October is out of season
  });

  it('has no occurrences in the holiday week itself except the calendar-free digests', () => {
    const fired = simulate(programmes, school, calendar, sh('2026-10-02T00:00'), sh('2026-10-07T23:59'));
    // The 1 October summary is caught up: it stays fresh for three days.
    expect([...fired.keys()]).toEqual(['monthly_summary:school:s1:2026-10-01', 'weekly_digest:school:s1:2026-10-05']);
  });
});

describe('catch-up and staleness', () => {
  const dailyCheck = programme('daily_check');

  it('sends a slot missed while the process was down if it is still fresh', () => {
    const down = (now: Date) => now >= sh('2026-10-08T07:30') && now < sh('2026-10-08T08:40');
    const fired = simulate(
      [dailyCheck, programme('personal_digest')],
      school,
      calendar,
      sh('2026-10-08T07:00'),
      sh('2026-10-08T12:00'),
      down,
    );
    expect(fired.get('daily_check:school:s1:2026-10-08')?.firedAt).toEqual(sh('2026-10-08T08:40'));
    expect(fired.get('personal_digest:school:s1:2026-10-08')?.firedAt).toEqual(sh('2026-10-08T08:40'));
  });

  it('drops a slot that went stale while the process was down', () => {
    const down = (now: Date) => now >= sh('2026-10-08T07:30') && now < sh('2026-10-08T10:05');
    const fired = simulate(
      [dailyCheck, programme('personal_digest')],
      school,
      calendar,
      sh('2026-10-08T07:00'),
      sh('2026-10-08T16:00'),
      down,
    );
    expect(fired.has('daily_check:school:s1:2026-10-08')).toBe(false);
    expect(fired.get('personal_digest:school:s1:2026-10-08')?.firedAt).toEqual(sh('2026-10-08T10:05'));
  });

  it('never says good morning at 3 pm', () => {
    expect(dueSlots(dailyCheck, school, calendar, sh('2026-10-08T15:00'))).toEqual([]);
    expect(dueSlots(dailyCheck, school, calendar, sh('2026-10-08T09:59'))).toHaveLength(1);
    expect(dueSlots(dailyCheck, school, calendar, sh('2026-10-08T10:00'))).toEqual([]);
  });

  it('drops the 1530 reminder once pupils have left', () => {
    expect(dueSlots(programme('talk1530'), school, calendar, sh('2026-10-08T16:00'))).toEqual([]);
  });

  it('catches up a monthly summary days later within its window', () => {
    const monthly = programme('monthly_summary');
    expect(dueSlots(monthly, school, calendar, sh('2026-10-03T20:00')).map((slot) => slot.key)).toEqual([
      'monthly_summary:school:s1:2026-10-01',
    ]);
    expect(dueSlots(monthly, school, calendar, sh('2026-10-04T09:00'))).toEqual([]);
  });

  it('skips slots at or before `since`', () => {
    const slot = dueSlots(dailyCheck, school, calendar, sh('2026-10-08T08:00'))[0];
    expect(slot?.scheduledAt).toEqual(sh('2026-10-08T07:50'));
    expect(dueSlots(dailyCheck, school, calendar, sh('2026-10-08T08:01'), { since: sh('2026-10-08T08:00') })).toEqual(
      [],
    );
    expect(
      dueSlots(dailyCheck, school, calendar, sh('2026-10-08T08:01'), { since: sh('2026-10-08T07:49') }),
    ).toHaveLength(1);
  });
});

describe('slot details', () => {
  it('describes the occurrence: keys, instants, staleness, per-person keys', () => {
    const [slot] = dueSlots(programme('talk1530'), school, calendar, sh('2026-09-30T15:45'));
    expect(slot).toEqual({
      key: 'talk1530:school:s1:2026-09-30',
      programmeId: 'talk1530',
      schoolId: 's1',
      slot: '2026-09-30',
      scheduledAt: sh('2026-09-30T15:30'),
      staleAt: sh('2026-09-30T16:00'),
      occasion: 'before_holiday',
      lessonMinutes: 30,
    });
    expect(personSlotKey(slot!, 'p9')).toBe('talk1530:person:p9:2026-09-30');
  });

  it('finds the next occurrence over a holiday', () => {
    expect(nextSlot(programme('daily_check'), school, calendar, sh('2026-09-30T08:00'))?.scheduledAt).toEqual(
      sh('2026-10-08T07:50'),
    );
    expect(nextSlot(programme('drowning'), school, calendar, sh('2026-09-30T15:00'))?.slot).toBe('2027-05-07');
  });
});

describe('a school in a DST zone (America/New_York)', () => {
  const ny: SchoolSchedule = { id: 'ny', timezone: 'America/New_York', dismissalTime: '15:00' };
  const weekendsOnly: SchoolCalendar = { national: WEEKENDS_ONLY, district: {} };

  it('keeps 07:50 local on both sides of the spring change', () => {
    const check = programme('daily_check');
    expect(dueSlots(check, ny, weekendsOnly, new Date('2026-03-06T12:50:00Z')).map((slot) => slot.key)).toEqual([
      'daily_check:school:ny:2026-03-06',
    ]);
    expect(dueSlots(check, ny, weekendsOnly, new Date('2026-03-09T11:49:00Z'))).toEqual([]);
    const [monday] = dueSlots(check, ny, weekendsOnly, new Date('2026-03-09T11:50:00Z'));
    expect(monday?.scheduledAt.toISOString()).toBe('2026-03-09T11:50:00.000Z');
    expect(monday?.staleAt.toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('keeps dismissal-relative talks local after the autumn change', () => {
    const [friday] = dueSlots(programme('talk1530'), ny, weekendsOnly, new Date('2026-11-06T19:56:00Z'));
    expect(friday?.occasion).toBe('last_day_of_week');
    expect(friday?.scheduledAt.toISOString()).toBe('2026-11-06T19:55:00.000Z');
  });

  it('fires exactly once per local day across the spring-forward night', () => {
    const fired = simulate(
      [programme('daily_check')],
      ny,
      weekendsOnly,
      new Date('2026-03-06T00:00:00Z'),
      new Date('2026-03-10T23:59:00Z'),
    );
    expect([...fired.entries()].map(([key, { firedAt }]) => `${key} ${firedAt.toISOString()}`)).toEqual([
      'daily_check:school:ny:2026-03-06 2026-03-06T12:50:00.000Z',
      'daily_check:school:ny:2026-03-09 2026-03-09T11:50:00.000Z',
      'daily_check:school:ny:2026-03-10 2026-03-10T11:50:00.000Z',
    ]);
  });

  it('uses the local date for the slot key near midnight UTC', () => {
    const [evening] = dueSlots(programme('drowning'), ny, weekendsOnly, new Date('2026-05-08T23:30:00Z'));
    expect(evening?.key).toBe('drowning:school:ny:2026-05-08');
  });
});
