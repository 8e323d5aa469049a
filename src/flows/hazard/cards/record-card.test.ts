import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from '../../../../bot-flows/taxonomy.js';
import { type RecordView, recordCard, type TimelineView } from './record-card.js';

const now = new Date('2026-06-10T02:00:00Z');
const options = { taxonomy: defaultTaxonomy, timeZone: 'Asia/Shanghai', now };

const view: RecordView = {
  id: 'h1',
  code: 'YH-2026-0001',
  status: 'reported',
  category: 'fire',
  level: 'general',
  supervised: false,
  location: '三楼东侧楼梯口',
  description: '灭火器压力不足',
  reporterName: '王老师',
  reportedAt: new Date('2026-06-09T01:00:00Z'),
  ownerName: null,
  deadline: null,
  measures: null,
  funds: null,
  interimPlan: null,
  fixNote: null,
  fixedAt: null,
  fixerName: null,
  verifierName: null,
  verifiedAt: null,
  verifyResult: null,
  closedAt: null,
  dismissReason: null,
};

const fieldMap = (card: ReturnType<typeof recordCard>) =>
  Object.fromEntries(
    card.blocks.flatMap((block) => (block.type === 'fields' ? block.fields : [])).map((f) => [f.label, f.value]),
  );

describe('recordCard', () => {
  it('shows the filled fields only, with the buttons of the status', () => {
    const card = recordCard(view, [], options);
    expect(card.title).toBe('YH-2026-0001 · 登记');
    expect(fieldMap(card)).toEqual({
      状态: '登记',
      类别: '消防安全',
      等级: '一般隐患',
      部位: '三楼东侧楼梯口',
      描述: '灭火器压力不足',
      发现: '王老师 6月9日（周二）09:00',
    });
    expect(card.buttons.map((button) => button.value?.op)).toEqual(['open-assign', 'open-fix', 'show']);
  });

  it('marks overdue deadlines and supervised major hazards', () => {
    const card = recordCard(
      {
        ...view,
        status: 'rectifying',
        level: 'major',
        supervised: true,
        ownerName: '吴老师',
        deadline: new Date('2026-06-09T15:59:59Z'),
        measures: '更换',
        funds: '300元',
        interimPlan: '放置备用灭火器',
      },
      [],
      options,
    );
    expect(card.tone).toBe('danger');
    expect(fieldMap(card)).toMatchObject({
      等级: '重大隐患 · 挂牌督办',
      责任人: '吴老师',
      整改时限: '6月9日（周二）23:59（已逾期）',
      '临时防范措施/预案': '放置备用灭火器',
    });
    expect(card.buttons.map((button) => button.label)).toEqual(['提交整改', '改派／延期', '刷新']);
  });

  it('lists the timeline with time, actor, step, from → to, note and photos', () => {
    const timeline: TimelineView[] = [
      {
        at: new Date('2026-06-09T01:00:00Z'),
        actorName: '王老师',
        action: 'report',
        fromStatus: null,
        toStatus: 'reported',
        note: '灭火器压力不足',
        photoCount: 1,
      },
      {
        at: new Date('2026-06-09T02:30:00Z'),
        actorName: '张主任',
        action: 'change_level',
        fromStatus: 'reported',
        toStatus: 'reported',
        note: null,
        photoCount: 0,
      },
    ];
    const history = recordCard(view, timeline, options).blocks.find((block) => block.type === 'markdown');
    expect(history).toEqual({
      type: 'markdown',
      text:
        '**处理记录**\n' +
        '- 6月9日（周二）09:00 王老师 登记（→ 登记）：灭火器压力不足（照片 1 张）\n' +
        '- 6月9日（周二）10:30 张主任 调整等级',
    });
  });

  it('opens the verify form and keeps only 刷新 once closed', () => {
    const verifying = recordCard({ ...view, status: 'verifying' }, [], { ...options, form: 'verify' });
    expect(verifying.form?.submit.value).toEqual({ flow: 'hazard', op: 'verify', hazard: 'h1' });
    expect(verifying.form?.inputs.map((input) => input.name)).toEqual(['verdict', 'note']);
    const closed = recordCard(
      { ...view, status: 'closed', verifierName: '王老师', verifiedAt: now, verifyResult: 'passed', closedAt: now },
      [],
      options,
    );
    expect(closed.tone).toBe('success');
    expect(fieldMap(closed).复查).toBe('王老师 6月10日（周三）10:00 通过');
    expect(closed.buttons.map((button) => button.label)).toEqual(['刷新']);
  });
});
