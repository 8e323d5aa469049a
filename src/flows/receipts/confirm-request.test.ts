import { describe, expect, it } from 'vitest';
import { confirmationText, resolveConfirmation } from './confirm-request.js';

const at = new Date('2026-06-02T11:00:00Z');
const link = (studentId: string, classId: string, guardianId = 'g1', relation = '母亲') => ({
  guardianId,
  studentId,
  studentName: `学生${studentId}`,
  classId,
  relation,
});

describe('resolveConfirmation', () => {
  const base = { campaignId: 'c1', classId: 'k1', channel: 'card' as const, personId: 'p1', at };

  it('confirms every student of the class the confirmer is a guardian of, once each', () => {
    const resolution = resolveConfirmation({
      ...base,
      links: [link('s1', 'k1'), link('s2', 'k1'), link('s1', 'k1', 'g2', '父亲'), link('s3', 'k2')],
    });
    expect(resolution).toMatchObject({ ok: true, studentIds: ['s1', 's2'], guardianId: 'g1', personId: 'p1' });
    if (!resolution.ok) return;
    expect(resolution.rows).toEqual([
      {
        campaignId: 'c1',
        studentId: 's1',
        guardianId: 'g1',
        personId: 'p1',
        relation: '母亲',
        channel: 'card',
        confirmedAt: at,
      },
      {
        campaignId: 'c1',
        studentId: 's2',
        guardianId: 'g1',
        personId: 'p1',
        relation: '母亲',
        channel: 'card',
        confirmedAt: at,
      },
    ]);
  });

  it('tells a stranger from a guardian of another class', () => {
    expect(resolveConfirmation({ ...base, links: [] })).toEqual({ ok: false, code: 'not_guardian' });
    expect(resolveConfirmation({ ...base, links: [link('s3', 'k2')] })).toEqual({ ok: false, code: 'other_class' });
  });
});

describe('confirmationText', () => {
  const names = new Map([
    ['s1', '张小明'],
    ['s2', '张小红'],
  ]);
  it('names the students confirmed now and notes the ones confirmed before', () => {
    expect(confirmationText(names, new Set(['s1', 's2']))).toBe('已确认：张小明、张小红。感谢您的配合！');
    expect(confirmationText(names, new Set(['s2']))).toBe('已确认：张小红（张小明 此前已确认）。感谢您的配合！');
    expect(confirmationText(names, new Set())).toBe('已确认，无需重复。');
  });
});
