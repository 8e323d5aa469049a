import { describe, expect, it } from 'vitest';
import { cellText, nameMatchKey, normalisePersonName, normaliseText } from './text.js';

describe('text normalisation', () => {
  it('folds full-width forms and collapses spaces', () => {
    expect(normaliseText('　ＡＢＣ　１２３  x\u200b ')).toBe('ABC 123 x');
  });

  it('removes spaces between Chinese characters in names and unifies middle dots', () => {
    expect(normalisePersonName(' 张 三 ')).toBe('张三');
    expect(normalisePersonName('阿卜杜 ・ 热合曼')).toBe('阿卜杜·热合曼');
    expect(normalisePersonName('阿卜杜•热合曼')).toBe('阿卜杜·热合曼');
    expect(normalisePersonName('Tom  Lee')).toBe('Tom Lee');
  });

  it('compares names ignoring case, width and spacing', () => {
    expect(nameMatchKey('ｔｏｍ lee')).toBe(nameMatchKey('Tom Lee'));
    expect(nameMatchKey('张　三')).toBe(nameMatchKey('张三'));
    expect(nameMatchKey('张三')).not.toBe(nameMatchKey('张山'));
  });

  it('turns spreadsheet cells into text', () => {
    expect(cellText(13812345678)).toBe('13812345678');
    expect(cellText(2.5)).toBe('2.5');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(new Date('2024-09-01T00:00:00Z'))).toBe('2024-09-01');
    expect(cellText(' 三年级 ')).toBe('三年级');
  });
});
