import { describe, expect, it } from 'vitest';
import { DEFAULT_QUIET_HOURS, isQuietTime, releaseTime } from './quiet-hours.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

function sh(local: string): Date {
  return new Date(`${local}:00+08:00`);
}

describe('quiet hours (21:30–07:00 by default)', () => {
  it('lets messages out at once outside quiet hours', () => {
    expect(releaseTime(sh('2026-10-09T12:00'), 'normal', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2026-10-09T12:00'));
    expect(releaseTime(sh('2026-10-09T21:29'), 'normal', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2026-10-09T21:29'));
    expect(releaseTime(sh('2026-10-09T07:00'), 'normal', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2026-10-09T07:00'));
  });

  it('holds a late-evening message until 07:00 the next morning', () => {
    expect(releaseTime(sh('2026-10-09T21:30'), 'normal', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2026-10-10T07:00'));
    expect(releaseTime(sh('2026-12-31T23:59'), 'normal', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2027-01-01T07:00'));
  });

  it('holds an early-morning message until 07:00 the same day', () => {
    expect(releaseTime(sh('2026-10-10T03:15'), 'normal', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2026-10-10T07:00'));
  });

  it('never holds urgent messages', () => {
    expect(releaseTime(sh('2026-10-10T03:15'), 'urgent', DEFAULT_QUIET_HOURS, SH)).toEqual(sh('2026-10-10T03:15'));
  });

  it('supports a window inside one day', () => {
    const nap = { start: '12:00', end: '14:00' };
    expect(isQuietTime(sh('2026-10-09T13:00'), nap, SH)).toBe(true);
    expect(isQuietTime(sh('2026-10-09T23:00'), nap, SH)).toBe(false);
    expect(releaseTime(sh('2026-10-09T13:00'), 'normal', nap, SH)).toEqual(sh('2026-10-09T14:00'));
  });

  it('ends quiet hours at 07:00 local across DST changes', () => {
    // 22:00 EST on 7 March → 07:00 EDT on 8 March (clocks went forward at 02:00).
    expect(releaseTime(new Date('2026-03-08T03:00:00Z'), 'normal', DEFAULT_QUIET_HOURS, NY).toISOString()).toBe(
      '2026-03-08T11:00:00.000Z',
    );
    // 01:30 EDT on 1 November → 07:00 EST (clocks went back at 02:00).
    expect(releaseTime(new Date('2026-11-01T05:30:00Z'), 'normal', DEFAULT_QUIET_HOURS, NY).toISOString()).toBe(
      '2026-11-01T12:00:00.000Z',
    );
  });
});
