import { describe, expect, it } from 'vitest';
import { drowningLetter } from './drowning.js';
import { defaultLetters, findLetter, letters, parseLetters } from './index.js';

const SIX_NO = [
  '不私自下水游泳',
  '不擅自与他人结伴游泳',
  '不在无家长或教师带领的情况下游泳',
  '不到无安全设施、无救援人员的水域游泳',
  '不到不熟悉的水域游泳',
  '不熟悉水性的学生不擅自下水施救',
];

describe('letter templates', () => {
  it('ships drowning, winter holiday and traffic letters, all valid', () => {
    expect(letters.map((l) => l.code)).toEqual(['drowning', 'winter-holiday', 'traffic']);
    for (const letter of letters) {
      expect([...letter.summary].length).toBeLessThanOrEqual(120);
      expect(letter.confirmation.startsWith('我已阅读并承诺')).toBe(true);
      expect(letter.confirmLabel).toBe('我已阅读并承诺');
      expect(letter.fullText).toMatch(/^尊敬的家长/);
      expect(letter.fullText).toMatch(/^## /m);
    }
  });

  it('states the six rules and the four things to know in the anti-drowning letter', () => {
    const drowning = findLetter('drowning')!;
    for (const rule of SIX_NO) expect(drowning.fullText).toContain(rule);
    for (const know of ['知时间', '知地点', '知同伴', '知归时']) expect(drowning.fullText).toContain(know);
    expect(drowning.fullText).toContain('暑假');
    expect(drowning.fullText).toContain('监护');
  });

  it('covers fire, fireworks, traffic, gas poisoning and ice in the winter letter', () => {
    const winter = findLetter('寒假安全')!;
    for (const topic of ['防火', '烟花爆竹', '交通安全', '一氧化碳', '冰面']) expect(winter.fullText).toContain(topic);
  });

  it('has a default reminder plan: private daily, count-only group, missing list the day before', () => {
    expect(findLetter('防溺水')!.reminderPlan).toEqual({
      guardianPrivate: { enabled: true, at: '19:00', startAfterHours: 20 },
      groupCount: { enabled: true, at: '19:30', when: 'no_direct', everyDays: 1 },
      teacherMissingList: { enabled: true, at: '17:00', daysBeforeDeadline: 1 },
    });
  });

  it.each([
    ['drowning', 'drowning'],
    ['防溺水', 'drowning'],
    ['《防溺水安全致家长的一封信》', 'drowning'],
    ['寒假', 'winter-holiday'],
    ['交通安全', 'traffic'],
  ])('findLetter(%s) → %s', (query, code) => {
    expect(findLetter(query)?.code).toBe(code);
  });

  it('finds nothing for an unknown letter', () => {
    expect(findLetter('防诈骗')).toBeUndefined();
  });
});

describe('letter validation', () => {
  const withDrowning = (patch: Record<string, unknown>) => [{ ...drowningLetter, ...patch }];

  it('names the letter and field of a bad value', () => {
    expect(() => parseLetters(withDrowning({ summary: '长'.repeat(121) }))).toThrow(
      'bot-flows/letters: drowning.summary: 不能超过 120 个字',
    );
    const badTime = {
      ...drowningLetter.reminderPlan,
      guardianPrivate: { enabled: true, at: '24:00', startAfterHours: 0 },
    };
    expect(() => parseLetters(withDrowning({ reminderPlan: badTime }))).toThrow(
      'drowning.reminderPlan.guardianPrivate.at: 时间格式应为 HH:MM',
    );
    expect(() => parseLetters(withDrowning({ confirmation: '我承诺' }))).toThrow('应以“我已阅读”开头');
    expect(() => parseLetters(withDrowning({ code: 'Drowning!' }))).toThrow(/代码只能用小写字母/);
  });

  it('refuses unknown fields, so a typo is not silently ignored', () => {
    expect(() => parseLetters(withDrowning({ sumary: 'x' }))).toThrow(/drowning/);
  });

  it('refuses two letters answering to the same name', () => {
    const clash = [...defaultLetters, { ...drowningLetter, code: 'drowning-2', aliases: ['溺水'] }];
    expect(() => parseLetters(clash)).toThrow(/drowning\.aliases: “.+”与告知书 drowning-2 重名/);
  });

  it('fills in the default button label', () => {
    const { confirmLabel: _label, ...withoutLabel } = drowningLetter;
    expect(parseLetters([withoutLabel])[0]!.confirmLabel).toBe('我已阅读并承诺');
  });
});
