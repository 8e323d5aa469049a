import { describe, expect, it } from 'vitest';
import { parseSmallNumber } from './numerals.js';

describe('parseSmallNumber', () => {
  it.each([
    ['3', 3],
    ['12', 12],
    ['一', 1],
    ['两', 2],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['三十一', 31],
    ['二〇', 20],
    ['零', 0],
  ])('%s → %i', (text, value) => {
    expect(parseSmallNumber(text)).toBe(value);
  });

  it.each(['', 'abc', '十十', '一百', '零十', '三十二一', '3天'])('rejects %s', (text) => {
    expect(parseSmallNumber(text)).toBeNull();
  });
});
