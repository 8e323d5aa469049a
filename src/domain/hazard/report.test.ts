import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot-flows/policy.js';
import { checkReport, newHazard } from './report.js';

const NOW = new Date('2026-06-10T02:00:00Z');
const teacher = { personId: 'p-teacher', roles: ['teacher'] as const };

describe('reporting', () => {
  it('lets staff report and refuses parents', () => {
    expect(checkReport(teacher, defaultPolicy)).toEqual({ ok: true });
    expect(checkReport({ personId: 'p', roles: ['parent'] }, defaultPolicy).ok).toBe(false);
  });

  it('creates a general hazard in 登记 with its first timeline entry', () => {
    const photo = { kind: 'image' as const, key: 'img-1' };
    const { fields, event } = newHazard(
      {
        code: 'YH-2026-0001',
        category: 'fire',
        level: 'general',
        location: ' 二楼走廊 ',
        description: '灭火器箱是空的',
        attachments: [photo],
      },
      teacher,
      NOW,
      defaultPolicy,
    );
    expect(fields).toMatchObject({
      status: 'reported',
      reporterId: 'p-teacher',
      reportedAt: NOW,
      location: '二楼走廊',
      supervised: false,
      cycle: 0,
      ownerId: null,
    });
    expect(event).toEqual({
      at: NOW,
      actorId: 'p-teacher',
      action: 'report',
      fromStatus: null,
      toStatus: 'reported',
      note: '灭火器箱是空的',
      detail: { category: 'fire', level: 'general', location: '二楼走廊' },
      attachments: [photo],
    });
  });

  it('flags a major hazard 挂牌督办', () => {
    const input = {
      code: 'YH-2026-0002',
      category: 'facility',
      level: 'major' as const,
      location: '食堂',
      description: '燃气味很重',
    };
    expect(newHazard(input, teacher, NOW, defaultPolicy).fields.supervised).toBe(true);
  });
});
