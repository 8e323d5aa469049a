import { describe, expect, it } from 'vitest';
import { splitByKeywords, takeWord } from './keywords.js';

describe('splitByKeywords', () => {
  const keywords = { deadline: ['截止'], measures: ['措施', '整改措施'], funds: ['资金'] };

  it('cuts at keywords standing alone and keeps the head', () => {
    expect(splitByKeywords('@张三 截止：明天，整改措施 换新 资金 100元。', keywords)).toEqual({
      head: '@张三',
      fields: { deadline: '明天', measures: '换新', funds: '100元' },
    });
  });

  it('ignores keywords inside words', () => {
    expect(splitByKeywords('措施 申请资金更换', keywords)).toEqual({ head: '', fields: { measures: '申请资金更换' } });
  });

  it('keeps the last value of a repeated keyword', () => {
    expect(splitByKeywords('截止 明天 截止 后天', keywords).fields).toEqual({ deadline: '后天' });
  });
});

describe('takeWord', () => {
  it('takes a whole word, longest first', () => {
    expect(takeWord('重大隐患', ['重大', '重大隐患'])).toEqual({ word: '重大隐患', rest: '' });
    expect(takeWord('发起 防溺水', ['发起'])).toEqual({ word: '发起', rest: '防溺水' });
    expect(takeWord('发起人', ['发起'])).toBeNull();
  });
});
