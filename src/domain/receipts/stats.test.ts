import { describe, expect, it } from 'vitest';
import {
  type ClassReceiptCount,
  countText,
  districtProgressText,
  formatRate,
  groupProgressText,
  rollupReceipts,
  schoolProgressText,
} from './stats.js';

const row = (
  schoolId: string,
  schoolName: string,
  classId: string,
  className: string,
  studentCount: number,
  confirmedCount: number,
): ClassReceiptCount => ({ schoolId, schoolName, classId, className, studentCount, confirmedCount });

const ROWS = [
  row('s2', '城东小学', 'c3', '一年级1班', 40, 40),
  row('s1', '实验小学', 'c2', '三年级10班', 42, 35),
  row('s1', '实验小学', 'c1', '三年级2班', 40, 20),
  row('s1', '实验小学', 'c4', '一年级1班', 38, 38),
];

describe('rollupReceipts', () => {
  const district = rollupReceipts(ROWS);

  it('rolls classes up to schools and the district', () => {
    expect(district).toMatchObject({ studentCount: 160, confirmedCount: 133, missingCount: 27 });
    expect(district.rate).toBeCloseTo(133 / 160);
    const school = district.schools.find((s) => s.schoolId === 's1')!;
    expect(school).toMatchObject({ studentCount: 120, confirmedCount: 93, missingCount: 27, completeClassCount: 1 });
    expect(school.rate).toBeCloseTo(93 / 120);
  });

  it('orders classes in school order and schools by name', () => {
    expect(district.schools.map((s) => s.schoolName)).toEqual(['城东小学', '实验小学']);
    expect(district.schools[1]!.classes.map((c) => c.className)).toEqual(['一年级1班', '三年级2班', '三年级10班']);
    expect(district.schools[1]!.classes[1]).toEqual({
      classId: 'c1',
      className: '三年级2班',
      studentCount: 40,
      confirmedCount: 20,
      missingCount: 20,
      rate: 0.5,
    });
  });

  it('treats empty classes as 0 % and never exceeds 100 %', () => {
    const odd = rollupReceipts([row('s', 'S', 'a', '一年级1班', 0, 0), row('s', 'S', 'b', '一年级2班', 10, 12)]);
    expect(odd.schools[0]!.classes.map((c) => [c.rate, c.confirmedCount, c.missingCount])).toEqual([
      [0, 0, 0],
      [1, 10, 0],
    ]);
    expect(odd.schools[0]!.completeClassCount).toBe(1);
  });

  it('adds up a class that appears twice', () => {
    const twice = rollupReceipts([row('s', 'S', 'a', '一年级1班', 10, 3), row('s', 'S', 'a', '一年级1班', 5, 2)]);
    expect(twice.schools[0]!.classes).toHaveLength(1);
    expect(twice).toMatchObject({ studentCount: 15, confirmedCount: 5 });
  });

  it('is empty for no rows', () => {
    expect(rollupReceipts([])).toEqual({ schools: [], studentCount: 0, confirmedCount: 0, missingCount: 0, rate: 0 });
  });
});

describe('texts', () => {
  it('formats rates rounding down', () => {
    expect(formatRate(35 / 42)).toBe('83.3%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(0.57)).toBe('57%');
    expect(formatRate(2499 / 2500)).toBe('99.9%');
  });

  it('shows the group only counts', () => {
    expect(countText({ confirmedCount: 35, studentCount: 42 })).toBe('已确认 35/42');
    const text = groupProgressText({
      letterTitle: '防溺水安全告家长书',
      confirmedCount: 35,
      studentCount: 42,
      deadlineText: '6月30日',
    });
    expect(text).toBe(
      '《防溺水安全告家长书》回执：已确认 35/42。还没确认的家长，请点击本群卡片上的“我已阅读并承诺”，截止 6月30日。',
    );
    expect(groupProgressText({ letterTitle: 'X', confirmedCount: 42, studentCount: 42 })).toContain('全班家长均已确认');
  });

  it('lists classes with counts for the school', () => {
    const school = rollupReceipts(ROWS).schools[1]!;
    expect(schoolProgressText(school, '防溺水')).toBe(
      [
        '《防溺水》回执进度 · 实验小学',
        '合计 已确认 93/120（77.5%），已完成 1/3 个班',
        '一年级1班 已确认 38/38（100%）',
        '三年级2班 已确认 20/40（50%）',
        '三年级10班 已确认 35/42（83.3%）',
      ].join('\n'),
    );
  });

  it('puts the schools with the lowest completion first for the bureau, with a limit', () => {
    const text = districtProgressText(rollupReceipts(ROWS), '防溺水', 1);
    expect(text.split('\n')).toEqual([
      '《防溺水》回执进度 · 全区 2 所学校',
      '合计 已确认 133/160（83.1%）',
      '按完成率从低到高：',
      '实验小学 已确认 93/120（77.5%），已完成 1/3 个班',
      '其余 1 所学校请在看板查看',
    ]);
  });
});
