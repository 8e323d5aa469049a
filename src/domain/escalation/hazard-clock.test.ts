import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../../bot-flows/calendar.js';
import { loadEscalationLadder } from '../../../bot-flows/escalation.js';
import { WEEKENDS_ONLY } from '../calendar/national.js';
import {
  type ClockContext,
  daysOverdue,
  type HazardClock,
  hazardOccurrences,
  nextHazardCheckAt,
} from './hazard-clock.js';

const policy = loadEscalationLadder();
const context: ClockContext = {
  policy,
  timezone: 'Asia/Shanghai',
  calendar: loadCalendar().forDistrict(undefined),
};
const schoolDayContext: ClockContext = {
  ...context,
  policy: { ...policy, escalation: { ...policy.escalation, countDays: 'school' } },
};

function sh(local: string): Date {
  return new Date(`${local}:00+08:00`);
}

function shLocal(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');
}

/** Deadline Friday 9 October 2026 18:00, just after 国庆; Saturday 10th is a make-up school day. */
const hazard: HazardClock = {
  id: 'h1',
  status: 'rectifying',
  level: 'general',
  deadline: sh('2026-10-09T18:00'),
  cycle: 0,
};

/** Ticks every minute and keeps the first tick producing each key, as the unique constraint does. */
function simulate(
  from: Date,
  to: Date,
  stateAt: (now: Date) => HazardClock,
  ctx: ClockContext = context,
  down: (now: Date) => boolean = () => false,
): string[] {
  const seen = new Set<string>();
  const log: string[] = [];
  for (let time = from.getTime(); time <= to.getTime(); time += 60_000) {
    const now = new Date(time);
    if (down(now)) continue;
    for (const occurrence of hazardOccurrences(stateAt(now), now, ctx)) {
      if (seen.has(occurrence.key)) continue;
      seen.add(occurrence.key);
      log.push(
        `${shLocal(now)} ${occurrence.key} → ${occurrence.recipient}${occurrence.urgency === 'urgent' ? ' (urgent)' : ''}`,
      );
    }
  }
  return log;
}

describe('deadline nags and the escalation ladder', () => {
  it('nags the owner and climbs the ladder over a weekend, counting calendar days', () => {
    expect(simulate(sh('2026-10-08T00:00'), sh('2026-10-17T23:59'), () => hazard)).toEqual([
      '10-08 18:00 nag:hazard:h1:0:20261009T1000Z:before24h → owner',
      '10-09 18:00 nag:hazard:h1:0:20261009T1000Z:due → owner',
      '10-10 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-10 → owner',
      '10-10 09:00 escalate:hazard:h1:0:20261009T1000Z:safety_officer → safety_officer',
      '10-11 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-11 → owner',
      '10-12 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-12 → owner',
      '10-12 09:00 escalate:hazard:h1:0:20261009T1000Z:principal → principal (urgent)',
      '10-13 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-13 → owner',
      '10-14 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-14 → owner',
      '10-15 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-15 → owner',
      '10-16 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-16 → owner',
      '10-16 09:00 escalate:hazard:h1:0:20261009T1000Z:bureau → bureau (urgent)',
      '10-17 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-17 → owner',
    ]);
  });

  it('counts only school days when the ladder says so (make-up Saturday counts, Sunday does not)', () => {
    const escalations = simulate(sh('2026-10-09T00:00'), sh('2026-10-19T23:59'), () => hazard, schoolDayContext).filter(
      (line) => line.includes('escalate'),
    );
    expect(escalations).toEqual([
      '10-10 09:00 escalate:hazard:h1:0:20261009T1000Z:safety_officer → safety_officer',
      '10-13 09:00 escalate:hazard:h1:0:20261009T1000Z:principal → principal (urgent)',
      '10-19 09:00 escalate:hazard:h1:0:20261009T1000Z:bureau → bureau (urgent)',
    ]);
  });

  it('tells every rung, in order, as soon as a major hazard is overdue', () => {
    const major: HazardClock = { ...hazard, id: 'h2', level: 'major' };
    expect(simulate(sh('2026-10-09T18:00'), sh('2026-10-10T10:00'), () => major)).toEqual([
      '10-09 18:00 nag:hazard:h2:0:20261009T1000Z:due → owner',
      '10-09 18:00 escalate:hazard:h2:0:20261009T1000Z:safety_officer → safety_officer',
      '10-09 18:00 escalate:hazard:h2:0:20261009T1000Z:principal → principal (urgent)',
      '10-09 18:00 escalate:hazard:h2:0:20261009T1000Z:bureau → bureau (urgent)',
      '10-10 09:00 nag:hazard:h2:0:20261009T1000Z:overdue:2026-10-10 → owner',
    ]);
  });

  it('after downtime sends only today’s overdue nag but every rung that came due, in order', () => {
    const now = sh('2026-10-12T10:00');
    expect(hazardOccurrences(hazard, now, context).map((occurrence) => occurrence.key)).toEqual([
      'escalate:hazard:h1:0:20261009T1000Z:safety_officer',
      'nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-12',
      'escalate:hazard:h1:0:20261009T1000Z:principal',
    ]);
  });

  it('stops when a fix is submitted and resumes on the same cycle when it is rejected', () => {
    const stateAt = (now: Date): HazardClock =>
      now >= sh('2026-10-11T12:00') && now < sh('2026-10-13T08:00') ? { ...hazard, status: 'verifying' } : hazard;
    expect(simulate(sh('2026-10-10T09:00'), sh('2026-10-13T23:59'), stateAt)).toEqual([
      '10-10 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-10 → owner',
      '10-10 09:00 escalate:hazard:h1:0:20261009T1000Z:safety_officer → safety_officer',
      '10-11 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-11 → owner',
      // Rejected (退回) at 08:00 on the 13th: the principal rung, due since the 12th, fires at once.
      '10-13 08:00 escalate:hazard:h1:0:20261009T1000Z:principal → principal (urgent)',
      '10-13 09:00 nag:hazard:h1:0:20261009T1000Z:overdue:2026-10-13 → owner',
    ]);
  });

  it('restarts the ladder when a closed hazard is reopened (new cycle)', () => {
    const stateAt = (now: Date): HazardClock => {
      if (now < sh('2026-10-14T10:00')) return hazard;
      if (now < sh('2026-10-18T10:00')) return { ...hazard, status: 'closed' };
      return { ...hazard, cycle: 1, deadline: sh('2026-10-20T18:00') };
    };
    const log = simulate(sh('2026-10-12T00:00'), sh('2026-10-21T23:59'), stateAt);
    expect(log.filter((line) => line.includes('h1:1:'))).toEqual([
      '10-19 18:00 nag:hazard:h1:1:20261020T1000Z:before24h → owner',
      '10-20 18:00 nag:hazard:h1:1:20261020T1000Z:due → owner',
      '10-21 09:00 nag:hazard:h1:1:20261020T1000Z:overdue:2026-10-21 → owner',
      '10-21 09:00 escalate:hazard:h1:1:20261020T1000Z:safety_officer → safety_officer',
    ]);
    expect(log.some((line) => line.includes('h1:0:20261009T1000Z:bureau'))).toBe(false);
  });

  it('does nothing without a deadline or outside rectification', () => {
    const now = sh('2026-10-20T09:00');
    expect(hazardOccurrences({ ...hazard, deadline: null }, now, context)).toEqual([]);
    for (const status of ['reported', 'verifying', 'closed', 'dismissed']) {
      expect(hazardOccurrences({ ...hazard, status }, now, context)).toEqual([]);
      expect(nextHazardCheckAt({ ...hazard, status }, now, context)).toBeUndefined();
    }
  });

  it('reminds at once when the deadline is set less than 24 hours ahead', () => {
    const soon: HazardClock = { ...hazard, deadline: sh('2026-10-09T12:00') };
    expect(hazardOccurrences(soon, sh('2026-10-09T08:00'), context).map((occurrence) => occurrence.key)).toEqual([
      'nag:hazard:h1:0:20261009T0400Z:before24h',
    ]);
  });
});

describe('deadline changes and end-of-day deadlines', () => {
  it('re-arms the reminders and the ladder when the deadline is extended', () => {
    const extended = sh('2026-10-16T18:00');
    const stateAt = (now: Date): HazardClock =>
      now < sh('2026-10-11T10:00') ? hazard : { ...hazard, deadline: extended };
    const log = simulate(sh('2026-10-09T00:00'), sh('2026-10-17T09:30'), stateAt);
    expect(log.filter((line) => line.includes('20261016T1000Z'))).toEqual([
      '10-15 18:00 nag:hazard:h1:0:20261016T1000Z:before24h → owner',
      '10-16 18:00 nag:hazard:h1:0:20261016T1000Z:due → owner',
      '10-17 09:00 nag:hazard:h1:0:20261016T1000Z:overdue:2026-10-17 → owner',
      '10-17 09:00 escalate:hazard:h1:0:20261016T1000Z:safety_officer → safety_officer',
    ]);
  });

  it('leaves out the at-deadline nag of a 23:59:59 deadline when quiet hours are known', () => {
    const endOfDay: HazardClock = { ...hazard, deadline: new Date('2026-10-09T23:59:59+08:00') };
    const quiet = { ...context, quiet: { start: '21:30', end: '07:00' } };
    const log = simulate(sh('2026-10-08T00:00'), sh('2026-10-10T09:30'), () => endOfDay, quiet);
    expect(log).toEqual([
      '10-09 00:00 nag:hazard:h1:0:20261009T1559Z:before24h → owner',
      '10-10 09:00 nag:hazard:h1:0:20261009T1559Z:overdue:2026-10-10 → owner',
      '10-10 09:00 escalate:hazard:h1:0:20261009T1559Z:safety_officer → safety_officer',
    ]);
  });

  it('keeps the at-deadline nag of an early-morning deadline: it is held only to 07:00 of that day', () => {
    const early: HazardClock = { ...hazard, deadline: sh('2026-10-09T06:00') };
    const quiet = { ...context, quiet: { start: '21:30', end: '07:00' } };
    const [due] = hazardOccurrences(early, sh('2026-10-09T06:00'), quiet);
    expect(due?.key).toBe('nag:hazard:h1:0:20261008T2200Z:due');
  });
});

describe('days overdue', () => {
  it('counts local calendar days from the deadline date', () => {
    expect(daysOverdue(hazard, sh('2026-10-09T17:59'), context)).toBe(0);
    expect(daysOverdue(hazard, sh('2026-10-09T23:59'), context)).toBe(0);
    expect(daysOverdue(hazard, sh('2026-10-10T00:01'), context)).toBe(1);
    expect(daysOverdue(hazard, sh('2026-10-16T12:00'), context)).toBe(7);
    expect(daysOverdue(hazard, sh('2026-10-12T12:00'), schoolDayContext)).toBe(2);
  });

  it('carries the count on each occurrence', () => {
    const [first] = hazardOccurrences(hazard, sh('2026-10-12T09:30'), context);
    expect(first?.daysOverdue).toBe(3);
  });
});

describe('next check', () => {
  it('points at the next instant something becomes due', () => {
    expect(nextHazardCheckAt(hazard, sh('2026-10-08T12:00'), context)).toEqual(sh('2026-10-08T18:00'));
    expect(nextHazardCheckAt(hazard, sh('2026-10-09T12:00'), context)).toEqual(sh('2026-10-09T18:00'));
    expect(nextHazardCheckAt(hazard, sh('2026-10-09T18:00'), context)).toEqual(sh('2026-10-10T09:00'));
    expect(nextHazardCheckAt(hazard, sh('2026-10-20T09:00'), context)).toEqual(sh('2026-10-21T09:00'));
  });
});

describe('a school in a DST zone (America/New_York)', () => {
  const ny: ClockContext = {
    ...context,
    timezone: 'America/New_York',
    calendar: { national: WEEKENDS_ONLY, district: {} },
  };
  const deadline = new Date('2026-03-06T22:00:00Z'); // Friday 17:00 EST

  it('fires rungs at 09:00 local on both sides of the clock change', () => {
    const occurrences = hazardOccurrences({ ...hazard, deadline }, new Date('2026-03-09T13:00:00Z'), ny);
    expect(occurrences.map((occurrence) => `${occurrence.key} ${occurrence.scheduledAt.toISOString()}`)).toEqual([
      'escalate:hazard:h1:0:20260306T2200Z:safety_officer 2026-03-07T14:00:00.000Z', // Saturday 09:00 EST
      'nag:hazard:h1:0:20260306T2200Z:overdue:2026-03-09 2026-03-09T13:00:00.000Z', // Monday 09:00 EDT
      'escalate:hazard:h1:0:20260306T2200Z:principal 2026-03-09T13:00:00.000Z',
    ]);
  });

  it('measures the advance reminder in elapsed hours', () => {
    const monday: HazardClock = { ...hazard, deadline: new Date('2026-03-09T21:00:00Z') }; // 17:00 EDT
    const [before] = hazardOccurrences(monday, new Date('2026-03-08T21:00:00Z'), ny);
    expect(before?.key).toBe('nag:hazard:h1:0:20260309T2100Z:before24h');
    expect(hazardOccurrences(monday, new Date('2026-03-08T20:59:00Z'), ny)).toEqual([]);
  });
});
