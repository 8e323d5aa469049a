import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from '../../../../bot-flows/taxonomy.js';
import { type ListItemView, listCard } from './list-card.js';

const now = new Date('2026-06-10T02:00:00Z');
const base = {
  title: '本校在办隐患',
  taxonomy: defaultTaxonomy,
  timeZone: 'Asia/Shanghai',
  now,
  moreNote: '仅显示最新 1 条，共 2 条。',
  emptyNote: '本校暂无在办隐患。',
};

const item: ListItemView = {
  code: 'YH-2026-0002',
  status: 'rectifying',
  category: 'fire',
  level: 'major',
  location: '三楼东侧楼梯口',
  description: '灭火器压力不足',
  deadline: new Date('2026-06-09T15:59:59Z'),
  ownerName: '吴老师',
};

describe('listCard', () => {
  it('writes one line per hazard with status, category, summary, owner and an overdue mark', () => {
    const card = listCard([item], { ...base, total: 2 });
    expect(card.title).toBe('本校在办隐患（共 2 条）');
    expect(card.blocks).toEqual([
      {
        type: 'markdown',
        text: '- **YH-2026-0002** · 整改中·重大 · 消防安全 · 三楼东侧楼梯口：灭火器压力不足 · 责任人 吴老师 · 时限 6月9日（周二）23:59（已逾期）',
      },
    ]);
    expect(card.footer).toBe('仅显示最新 1 条，共 2 条。');
  });

  it('says so when the list is empty, without a footer', () => {
    const card = listCard([], { ...base, total: 0 });
    expect(card.tone).toBe('success');
    expect(card.blocks).toEqual([{ type: 'markdown', text: '本校暂无在办隐患。' }]);
    expect(card.footer).toBeUndefined();
  });
});
