import { describe, expect, it } from 'vitest';
import { localDate, localMinutes, localParts, parseClockTime, zonedTimeToUtc } from './zoned.js';

const NY = 'America/New_York';
const SH = 'Asia/Shanghai';

describe('zoned time', () => {
  it('reads Shanghai wall time (UTC+8, no DST) across the UTC date line', () => {
    expect(localParts(new Date('2026-10-08T16:30:00Z'), SH)).toEqual({
      year: 2026,
      month: 10,
      day: 9,
      hour: 0,
      minute: 30,
      second: 0,
    });
    expect(localDate(new Date('2026-10-08T15:59:59Z'), SH)).toBe('2026-10-08');
    expect(localMinutes(new Date('2026-10-08T23:50:00Z'), SH)).toBe(7 * 60 + 50);
  });

  it('turns Shanghai wall time into instants', () => {
    expect(zonedTimeToUtc('2026-11-23', parseClockTime('07:50'), SH).toISOString()).toBe('2026-11-22T23:50:00.000Z');
    expect(zonedTimeToUtc('2026-12-31', 24 * 60 + 30, SH).toISOString()).toBe('2026-12-31T16:30:00.000Z');
    expect(zonedTimeToUtc('2026-01-01', -30, SH).toISOString()).toBe('2025-12-31T15:30:00.000Z');
  });

  it('uses the right New York offset on both sides of DST', () => {
    expect(zonedTimeToUtc('2026-03-06', parseClockTime('07:50'), NY).toISOString()).toBe('2026-03-06T12:50:00.000Z');
    expect(zonedTimeToUtc('2026-03-09', parseClockTime('07:50'), NY).toISOString()).toBe('2026-03-09T11:50:00.000Z');
    expect(zonedTimeToUtc('2026-11-02', parseClockTime('07:50'), NY).toISOString()).toBe('2026-11-02T12:50:00.000Z');
    expect(localParts(new Date('2026-03-09T11:50:00Z'), NY).hour).toBe(7);
  });

  it('moves a wall time skipped by spring-forward past the gap', () => {
    // 2026-03-08 02:30 does not exist in New York; 03:30 EDT is the compatible answer.
    expect(zonedTimeToUtc('2026-03-08', parseClockTime('02:30'), NY).toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('resolves a repeated fall-back wall time to the earlier instant', () => {
    // 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(zonedTimeToUtc('2026-11-01', parseClockTime('01:30'), NY).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(localParts(new Date('2026-11-01T06:30:00Z'), NY).hour).toBe(1);
  });

  it('rejects malformed times of day', () => {
    expect(() => parseClockTime('25:61')).toThrow(RangeError);
    expect(() => parseClockTime('7:50')).toThrow(RangeError);
  });
});
