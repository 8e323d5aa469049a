import { describe, expect, it } from 'vitest';
import { escalation, loadEscalationLadder } from '../../bot-flows/escalation.js';
import { fillMessage } from '../../src/domain/escalation/ladder.js';

function withRung(index: number, patch: Record<string, unknown>): unknown {
  const rungs = escalation.escalation.rungs.map((rung, at) => (at === index ? { ...rung, ...patch } : rung));
  return { ...escalation, escalation: { ...escalation.escalation, rungs } };
}

describe('bot-flows/escalation.ts', () => {
  it('loads the DOMAIN.md defaults', () => {
    const policy = loadEscalationLadder();
    expect(policy.nags.beforeHours).toBe(24);
    expect(policy.escalation.countDays).toBe('calendar');
    expect(
      policy.escalation.rungs.map((rung) => [rung.notify, rung.afterDays, rung.majorAfterDays ?? null, rung.urgency]),
    ).toEqual([
      ['safety_officer', 1, null, 'normal'],
      ['principal', 3, null, 'urgent'],
      ['bureau', 7, 0, 'urgent'],
    ]);
  });

  it('fills nag texts', () => {
    const text = fillMessage(escalation.nags.messages.overdue, {
      code: 'YH-2026-0012',
      location: '二楼东侧',
      description: '灭火器过期',
      days: '3',
    });
    expect(text).toBe('隐患 YH-2026-0012（二楼东侧灭火器过期）已逾期 3 天，请立即整改；如需延期请联系安全员。');
  });

  it('refuses bad policies with file and field', () => {
    expect(() => loadEscalationLadder(withRung(1, { notify: 'mayor' }))).toThrow(
      'bot-flows/escalation.ts: escalation.rungs[1].notify: 通知对象应为 safety_officer / principal / bureau',
    );
    expect(() => loadEscalationLadder(withRung(2, { afterDays: 2 }))).toThrow(
      'bot-flows/escalation.ts: escalation.rungs[2].afterDays: 各级应按逾期天数从少到多排列',
    );
    expect(() => loadEscalationLadder(withRung(0, { afterDays: 0 }))).toThrow(
      'bot-flows/escalation.ts: escalation.rungs[0].afterDays: 逾期天数应至少为 1',
    );
    expect(() => loadEscalationLadder(withRung(0, { id: 'principal' }))).toThrow(
      'bot-flows/escalation.ts: escalation.rungs[1].id: 标识重复：principal',
    );
    expect(() => loadEscalationLadder(withRung(0, { message: '{who} 请督办' }))).toThrow(
      'bot-flows/escalation.ts: escalation.rungs[0].message: 未知占位符 {who}',
    );
    expect(() => loadEscalationLadder({ ...escalation, nags: { ...escalation.nags, overdueAt: '9:00' } })).toThrow(
      'bot-flows/escalation.ts: nags.overdueAt: 时间格式应为 HH:MM',
    );
    expect(() =>
      loadEscalationLadder({ ...escalation, escalation: { ...escalation.escalation, countDays: 'weekdays' } }),
    ).toThrow('bot-flows/escalation.ts: escalation.countDays: 应为 calendar 或 school');
  });
});
