import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from '../../../../bot-flows/taxonomy.js';
import { type DraftView, draftCard, draftOutcomeCard } from './draft-card.js';

const view: DraftView = {
  id: 'draft-1',
  category: 'fire',
  level: 'general',
  location: '三楼东侧楼梯口',
  description: '灭火器压力不足',
  photoCount: 2,
  deadlineHint: null,
  reporterName: '王老师',
  duplicate: null,
};

const fields = (card: ReturnType<typeof draftCard>) =>
  Object.fromEntries(
    card.blocks.flatMap((block) => (block.type === 'fields' ? block.fields : [])).map((f) => [f.label, f.value]),
  );

describe('draftCard', () => {
  it('shows category, level, place, description and photo count with confirm, edit and cancel', () => {
    const card = draftCard(view, defaultTaxonomy);
    expect(card.title).toBe('请确认隐患登记');
    expect(card.tone).toBe('warning');
    expect(fields(card)).toEqual({
      类别: '消防安全',
      等级: '一般隐患',
      部位: '三楼东侧楼梯口',
      描述: '灭火器压力不足',
      照片: '2 张',
    });
    expect(card.buttons.map((button) => [button.id, button.label, button.value])).toEqual([
      ['draft-confirm', '确认登记', { flow: 'hazard-draft', op: 'confirm', draft: 'draft-1' }],
      ['draft-edit', '修改', { flow: 'hazard-draft', op: 'edit', draft: 'draft-1' }],
      ['draft-cancel', '取消', { flow: 'hazard-draft', op: 'cancel', draft: 'draft-1' }],
    ]);
    expect(card.form).toBeUndefined();
  });

  it('says a major suggestion needs a safety officer or principal, in danger tone', () => {
    const card = draftCard({ ...view, level: 'major' }, defaultTaxonomy);
    expect(card.tone).toBe('danger');
    expect(fields(card).等级).toBe('重大隐患（建议）');
    expect(JSON.stringify(card.blocks)).toContain('建议定为重大隐患，需安全干部或校长确认');
  });

  it('asks for the place when none was read, and notes the reporter deadline hint', () => {
    const card = draftCard({ ...view, location: '', photoCount: 0, deadlineHint: '3天内' }, defaultTaxonomy);
    expect(fields(card).部位).toContain('请点「修改」补充');
    expect(fields(card).照片).toContain('无');
    expect(fields(card).上报人提出的时限).toBe('3天内');
  });

  it('offers adding to the duplicate or creating anyway', () => {
    const card = draftCard(
      { ...view, duplicate: { code: 'YH-2026-0003', location: '三楼东侧楼梯', status: 'rectifying' } },
      defaultTaxonomy,
    );
    expect(card.buttons.map((button) => button.label)).toEqual(['补充到 YH-2026-0003', '仍然新建', '修改', '取消']);
    expect(card.buttons[1]?.value?.op).toBe('confirm');
    expect(JSON.stringify(card.blocks)).toContain('疑似与 **YH-2026-0003** 重复（三楼东侧楼梯，整改中）');
  });

  it('adds the edit form with every category and the current values', () => {
    const form = draftCard(view, defaultTaxonomy, { editing: true }).form!;
    expect(form.submit).toEqual({
      id: 'draft-save',
      label: '保存修改',
      value: { flow: 'hazard-draft', op: 'save', draft: 'draft-1' },
    });
    const category = form.inputs[0]!;
    expect(category.type === 'select' && category.options.length).toBe(defaultTaxonomy.categories.length);
    expect(form.inputs.map((input) => input.initial)).toEqual(['fire', 'general', '三楼东侧楼梯口', '灭火器压力不足']);
  });
});

describe('draftOutcomeCard', () => {
  it('redraws a confirmed draft as registered, with a link to the record', () => {
    const card = draftOutcomeCard(view, defaultTaxonomy, { kind: 'confirmed', code: 'YH-2026-0001', hazardId: 'h1' });
    expect(card.title).toBe('已登记 YH-2026-0001');
    expect(card.tone).toBe('success');
    expect(card.buttons).toEqual([
      { id: 'hazard-show', label: '查看记录', style: 'default', value: { flow: 'hazard', op: 'show', hazard: 'h1' } },
    ]);
  });

  it('redraws merged and cancelled drafts without further actions on the draft', () => {
    expect(
      draftOutcomeCard(view, defaultTaxonomy, { kind: 'merged', code: 'YH-2026-0002', hazardId: 'h2' }).title,
    ).toBe('已补充到 YH-2026-0002');
    const cancelled = draftOutcomeCard(view, defaultTaxonomy, { kind: 'cancelled' });
    expect(cancelled.title).toBe('隐患报告已取消');
    expect(cancelled.buttons).toEqual([]);
  });
});
