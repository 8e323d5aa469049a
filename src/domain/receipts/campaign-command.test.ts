import { describe, expect, it } from 'vitest';
import { parseCampaignStart, resolveClassNames } from './campaign-command.js';
import { findLetterIn } from './letter-match.js';

const LETTERS = [
  { code: 'drowning', title: '防溺水安全致家长的一封信', aliases: ['防溺水', '防溺水安全'] },
  { code: 'winter-holiday', title: '寒假安全致家长的一封信', aliases: ['寒假安全', '寒假'] },
  { code: 'traffic', title: '交通安全致家长的一封信', aliases: ['交通安全'] },
];

describe('findLetterIn', () => {
  it.each([
    ['防溺水', 'drowning'],
    ['drowning', 'drowning'],
    ['DROWNING', 'drowning'],
    ['《防溺水安全致家长的一封信》', 'drowning'],
    ['防溺水告家长书', 'drowning'],
    ['寒假', 'winter-holiday'],
    ['交通安全告知书', 'traffic'],
  ])('%s → %s', (query, code) => {
    expect(findLetterIn(LETTERS, query)?.code).toBe(code);
  });

  it('finds nothing for unknown or empty queries', () => {
    expect(findLetterIn(LETTERS, '防火')).toBeUndefined();
    expect(findLetterIn(LETTERS, '  ')).toBeUndefined();
    expect(findLetterIn(LETTERS, '信')).toBeUndefined();
  });
});

describe('parseCampaignStart', () => {
  it('parses letter, deadline and classes', () => {
    const result = parseCampaignStart('回执 发起 防溺水 截止 6月30日 三年级1班 三年级2班', LETTERS);
    expect(result).toEqual({
      ok: true,
      value: { letter: LETTERS[0], deadlineText: '6月30日', classNames: ['三年级1班', '三年级2班'], allClasses: false },
    });
  });

  it('accepts the usage shown in bot-flows/commands.ts, with the 班级 keyword', () => {
    expect(parseCampaignStart('回执 发起 防溺水 截止 6月30日 班级 三年级一班 三年级二班', LETTERS)).toMatchObject({
      ok: true,
      value: { classNames: ['三年级一班', '三年级二班'], allClasses: false },
    });
    expect(parseCampaignStart('回执 发起 防溺水 截止 6月30日 班级:三年级一班', LETTERS)).toMatchObject({
      ok: true,
      value: { classNames: ['三年级一班'] },
    });
  });

  it('means the whole school when no class is given', () => {
    const result = parseCampaignStart('回执 发起 寒假安全 截止 1月15日', LETTERS);
    expect(result).toMatchObject({ ok: true, value: { classNames: [], allClasses: true, deadlineText: '1月15日' } });
    expect(parseCampaignStart('回执 发起 寒假 截止 1月15日 全校', LETTERS)).toMatchObject({
      ok: true,
      value: { allClasses: true, classNames: [] },
    });
  });

  it('accepts looser spellings: glued keyword, colons, full-width spaces, 、 lists, times, any order', () => {
    expect(parseCampaignStart('回执发起　防溺水　截止：6月30日 18:00　三年级1班、三年级2班，四年级', LETTERS)).toEqual({
      ok: true,
      value: {
        letter: LETTERS[0],
        deadlineText: '6月30日 18:00',
        classNames: ['三年级1班', '三年级2班', '四年级'],
        allClasses: false,
      },
    });
    expect(parseCampaignStart('防溺水 截至6月30日 下午 5点半', LETTERS)).toMatchObject({
      ok: true,
      value: { deadlineText: '6月30日 下午 5点半', allClasses: true },
    });
    expect(parseCampaignStart('回执 发起 截止 6月30日 三年级1班 交通安全', LETTERS)).toMatchObject({
      ok: true,
      value: { letter: LETTERS[2], classNames: ['三年级1班'] },
    });
  });

  it('explains a missing deadline with the usage', () => {
    const result = parseCampaignStart('回执 发起 防溺水 三年级1班', LETTERS);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^请写明截止日期。用法：回执 发起/) });
    expect(parseCampaignStart('回执 发起 防溺水 截止', LETTERS).ok).toBe(false);
  });

  it('names an unknown letter and lists the available ones', () => {
    expect(parseCampaignStart('回执 发起 防火 截止 6月30日', LETTERS)).toEqual({
      ok: false,
      error: '没有找到告知书“防火”。可以发起的有：防溺水、寒假安全、交通安全。',
    });
    expect(parseCampaignStart('回执 发起 截止 6月30日', LETTERS)).toEqual({
      ok: false,
      error: expect.stringMatching(/^请写明要发哪一封告知书（防溺水、寒假安全、交通安全）/),
    });
  });

  it('refuses two deadlines and 全校 mixed with classes', () => {
    expect(parseCampaignStart('防溺水 截止 6月30日 截止 7月1日', LETTERS)).toMatchObject({ ok: false });
    expect(parseCampaignStart('防溺水 截止 6月30日 全校 三年级1班', LETTERS)).toEqual({
      ok: false,
      error: '“全校”和具体班级不能同时写，请二选一。',
    });
  });
});

describe('resolveClassNames', () => {
  const KNOWN = ['三年级(1)班', '三年级(2)班', '三年级(10)班', '四年级(1)班', '初一(3)班'];

  it('maps other spellings to the roster names, in school order, without duplicates', () => {
    expect(resolveClassNames(['三年级2班', '3年级一班', '三年级（2）班', '初一3班'], KNOWN)).toEqual({
      ok: true,
      value: ['三年级(1)班', '三年级(2)班', '初一(3)班'],
    });
  });

  it('expands a grade word to its classes', () => {
    expect(resolveClassNames(['三年级'], KNOWN)).toEqual({
      ok: true,
      value: ['三年级(1)班', '三年级(2)班', '三年级(10)班'],
    });
    expect(resolveClassNames(['初一'], KNOWN)).toEqual({ ok: true, value: ['初一(3)班'] });
  });

  it('reports every unknown class at once with the known classes', () => {
    expect(resolveClassNames(['五年级1班', '三年级2班', '六年级'], KNOWN)).toEqual({
      ok: false,
      error:
        '找不到班级：五年级1班、六年级。本校班级有：三年级(1)班、三年级(2)班、三年级(10)班、四年级(1)班、初一(3)班。',
    });
    expect(resolveClassNames(['三年级1班'], [])).toEqual({
      ok: false,
      error: '找不到班级：三年级1班。本校还没有导入名单。',
    });
  });

  it('reports spellings that match two classes', () => {
    const result = resolveClassNames(['三年级2班'], ['三年级(2)班', '三年级二班']);
    expect(result).toEqual({
      ok: false,
      error: '班级写法不明确：三年级2班（三年级(2)班、三年级二班），请写完整的班级名。',
    });
  });
});
