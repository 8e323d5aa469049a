import { describe, expect, it } from 'vitest';
import { formatHazardCode, formatIncidentCode, normaliseCode, parseCode } from './codes.js';

describe('formatting codes', () => {
  it('pads the yearly sequence to four digits', () => {
    expect(formatHazardCode(2026, 1)).toBe('YH-2026-0001');
    expect(formatHazardCode(2026, 123)).toBe('YH-2026-0123');
    expect(formatIncidentCode(2026, 7)).toBe('SG-2026-0007');
  });

  it('grows past 9999 instead of wrapping', () => {
    expect(formatHazardCode(2026, 12345)).toBe('YH-2026-12345');
  });

  it('refuses nonsense', () => {
    expect(() => formatHazardCode(2026, 0)).toThrow(RangeError);
    expect(() => formatHazardCode(26, 1)).toThrow(RangeError);
  });
});

describe('normaliseCode', () => {
  it.each([
    ['yh-2026-1', 'YH-2026-0001'],
    ['YH-2026-0001', 'YH-2026-0001'],
    ['Yh 2026 12', 'YH-2026-0012'],
    ['yh2026-3', 'YH-2026-0003'],
    ['YH20260042', 'YH-2026-0042'],
    ['ＹＨ－２０２６－５', 'YH-2026-0005'],
    ['YH—2026—6', 'YH-2026-0006'],
    ['sg-2026-2', 'SG-2026-0002'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseCode(input)).toBe(expected);
  });

  it.each(['', 'YH', 'YH-26-1', 'XY-2026-0001', 'YH-2026-0', 'YH-2026-0001x', '2026-0001'])('rejects %s', (input) => {
    expect(normaliseCode(input)).toBeNull();
  });

  it('exposes the parts', () => {
    expect(parseCode('yh-2027-15')).toEqual({ prefix: 'YH', year: 2027, seq: 15 });
  });
});
