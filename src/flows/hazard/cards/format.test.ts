import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from '../../../../bot-flows/taxonomy.js';
import { categoryName, shorten, summaryOf } from './format.js';

describe('card formatting', () => {
  it('names categories from the taxonomy and keeps unknown codes as they are', () => {
    expect(categoryName(defaultTaxonomy, 'drowning')).toBe('防溺水');
    expect(categoryName(defaultTaxonomy, 'mystery')).toBe('mystery');
  });

  it('puts the place first only when the description does not already name it', () => {
    expect(summaryOf({ location: '三楼', description: '三楼灭火器坏了' })).toBe('三楼灭火器坏了');
    expect(summaryOf({ location: '食堂', description: '地面湿滑' })).toBe('食堂：地面湿滑');
    expect(summaryOf({ location: '', description: '地面湿滑' })).toBe('地面湿滑');
  });

  it('shortens by characters, not UTF-16 units', () => {
    expect(shorten('一二三四五六', 4)).toBe('一二三…');
    expect(shorten('一二三', 3)).toBe('一二三');
  });
});
