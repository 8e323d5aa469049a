import { describe, expect, it } from 'vitest';
import { classMatchKey, compareClassNames, gradeKey, gradeKeyOfWord, normaliseClassName } from './class-name.js';

describe('class names', () => {
  it('stores the roster spelling with width and spaces normalised', () => {
    expect(normaliseClassName(' 三年级（２）班 ')).toBe('三年级(2)班');
  });

  it('matches common spellings of the same class', () => {
    const key = classMatchKey('三年级2班');
    for (const spelling of ['三年级（2）班', '3年级2班', '三年级二班', '三(2)班', '3-2班', '三年级(2)']) {
      expect(classMatchKey(spelling)).toBe(key);
    }
    expect(classMatchKey('三年级12班')).not.toBe(key);
    expect(classMatchKey('四年级2班')).not.toBe(key);
    expect(classMatchKey('初一2班')).toBe(classMatchKey('初一(2)班'));
    expect(classMatchKey('初一2班')).not.toBe(classMatchKey('高一2班'));
    expect(classMatchKey('大一班')).toBe(classMatchKey('大班(1)班'));
  });

  it('knows grades', () => {
    expect(gradeKey('三年级2班')).toBe(gradeKey('三年级10班'));
    expect(gradeKeyOfWord('三年级')).toBe(gradeKey('三年级2班'));
    expect(gradeKeyOfWord('初二')).toBe(gradeKey('初二(5)班'));
    expect(gradeKeyOfWord('三年级2班')).toBe('');
    expect(gradeKeyOfWord('大班')).toBe(gradeKey('大二班'));
  });

  it('sorts in school order', () => {
    const names = [
      '九年级1班',
      '三年级10班',
      '一年级2班',
      '高一1班',
      '三年级2班',
      '初一3班',
      '二年级1班',
      '大一班',
      '实验班',
    ];
    expect([...names].sort(compareClassNames)).toEqual([
      '大一班',
      '一年级2班',
      '二年级1班',
      '三年级2班',
      '三年级10班',
      '初一3班',
      '九年级1班',
      '高一1班',
      '实验班',
    ]);
  });
});
