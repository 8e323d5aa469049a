import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from './labels.js';
import { type LedgerEvent, type LedgerRecord, ledgerCells, photoLinks, timelineCells } from './sheet.js';

const at = (local: string) => new Date(`${local}+08:00`);
const context = { timeZone: 'Asia/Shanghai', categories: DEFAULT_CATEGORIES, names: new Map([['p-owner', '刘师傅']]) };

const record: LedgerRecord = {
  code: 'YH-2026-0001',
  reportedAt: at('2026-11-03T08:05:09'),
  reporterName: '王老师',
  location: '三楼东侧楼梯',
  description: '灭火器压力不足',
  category: 'fire',
  level: 'major',
  measures: '更换灭火器',
  ownerName: '刘师傅',
  deadline: at('2026-11-06T23:59:59'),
  funds: '300元',
  interimPlan: '临时调配两具灭火器',
  fixedAt: at('2026-11-05T16:00:00'),
  verifierName: '张主任',
  verifyResult: 'passed',
  closedAt: at('2026-11-05T17:30:00'),
  status: 'closed',
};

const event = (action: string, extra: Partial<LedgerEvent> = {}): LedgerEvent => ({
  code: record.code,
  at: at('2026-11-04T09:00:00'),
  actorName: '张主任',
  action,
  fromStatus: 'reported',
  toStatus: 'rectifying',
  note: null,
  detail: {},
  attachments: [],
  ...extra,
});

describe('ledger sheet rows', () => {
  it('maps a record to the ledger columns with local times and Chinese labels', () => {
    const events = [
      event('report', { attachments: [{ kind: 'image', key: 'img_before', url: 'https://files.example/before.jpg' }] }),
      event('submit_fix', {
        attachments: [
          { kind: 'image', key: 'img_after' },
          { kind: 'file', key: 'report.pdf' },
        ],
      }),
    ];
    expect(ledgerCells(record, events, context)).toEqual([
      'YH-2026-0001',
      '2026-11-03 08:05',
      '王老师',
      '三楼东侧楼梯',
      '灭火器压力不足',
      '消防安全',
      '重大隐患',
      '更换灭火器',
      '刘师傅',
      '2026-11-06 23:59',
      '300元',
      '临时调配两具灭火器',
      '2026-11-05 16:00',
      '张主任',
      '通过',
      '2026-11-05 17:30',
      '已销号',
      '上报：https://files.example/before.jpg\n整改：img_after',
    ]);
  });

  it('leaves empty cells for what has not happened yet', () => {
    const open = { ...record, measures: null, ownerName: null, deadline: null, fixedAt: null, verifierName: null };
    const cells = ledgerCells({ ...open, verifyResult: null, closedAt: null, status: 'reported' }, [], context);
    expect(cells.slice(7, 17)).toEqual(['', '', '', '300元', '临时调配两具灭火器', '', '', '', '', '登记']);
    expect(photoLinks([])).toBe('');
  });

  it('describes timeline entries: status change and what the step set', () => {
    const assign = event('assign', {
      note: '尽快',
      detail: { ownerId: 'p-owner', deadline: '2026-11-06T15:59:59.000Z', measures: '更换', funds: '0（自行整改）' },
    });
    expect(timelineCells(assign, context)).toEqual([
      'YH-2026-0001',
      '2026-11-04 09:00',
      '张主任',
      '指派',
      '登记 → 整改中',
      '尽快；责任人：刘师傅；时限：2026-11-06 23:59；措施：更换；资金：0（自行整改）',
    ]);
    const level = event('change_level', {
      fromStatus: 'rectifying',
      toStatus: 'rectifying',
      detail: { fromLevel: 'general', toLevel: 'major' },
    });
    expect(timelineCells(level, context).slice(3)).toEqual(['调整等级', '', '一般隐患 → 重大隐患']);
    const report = event('report', { fromStatus: null, toStatus: 'reported', note: '灭火器压力不足' });
    expect(timelineCells(report, context).slice(3)).toEqual(['登记', '登记', '']);
    const dismiss = event('dismiss', {
      toStatus: 'dismissed',
      note: '重复上报',
      detail: { duplicateOf: 'YH-2026-0002' },
    });
    expect(timelineCells(dismiss, context).slice(4)).toEqual(['登记 → 已驳回', '重复上报；与 YH-2026-0002 重复']);
  });
});
