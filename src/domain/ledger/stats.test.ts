import { describe, expect, it } from 'vitest';
import { campaignStatsMarkdown } from './report-tables.js';
import { campaignStats } from './stats.js';
import { campaignStatsText } from './stats-text.js';
import type { HazardFacts, StatusChange } from './types.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

function hazard(
  code: string,
  reported: string,
  changes: [string, StatusChange['toStatus'], string?][],
  extra: Partial<HazardFacts> = {},
): HazardFacts {
  const history: StatusChange[] = [{ at: at(reported), fromStatus: null, toStatus: 'reported' }];
  for (const [when, to, deadline] of changes) {
    history.push({
      at: at(when),
      fromStatus: history.at(-1)!.toStatus,
      toStatus: to,
      ...(deadline ? { deadline: at(deadline) } : {}),
    });
  }
  return {
    id: code,
    code,
    category: 'fire',
    level: 'general',
    status: history.at(-1)!.toStatus,
    reportedAt: at(reported),
    deadline: null,
    closedAt: null,
    history,
    ...extra,
  };
}

const rows = [
  hazard('A', '2026-06-01T09:00:00', [
    ['2026-06-01T10:00:00', 'rectifying', '2026-06-05T23:59:00'],
    ['2026-06-04T10:00:00', 'verifying'],
    ['2026-06-05T10:00:00', 'closed'],
  ]),
  hazard('B', '2026-06-02T09:00:00', [
    ['2026-06-02T10:00:00', 'rectifying', '2026-06-20T23:59:00'],
    ['2026-06-09T10:00:00', 'verifying'],
  ]),
  hazard('C', '2026-06-03T09:00:00', [['2026-06-03T10:00:00', 'rectifying', '2026-06-06T23:59:00']], {
    category: 'drowning',
    level: 'major',
  }),
  hazard('D', '2026-06-04T09:00:00', [['2026-06-04T10:00:00', 'dismissed']]),
  hazard('E', '2026-06-09T09:00:00', [], { category: 'food' }),
  // Outside the span: before it and after it.
  hazard('F', '2026-05-31T23:59:00', []),
  hazard('G', '2026-06-11T00:00:00', []),
];

describe('campaignStats', () => {
  const stats = campaignStats(rows, { from: '2026-06-01', to: '2026-06-10' }, TZ, at('2026-06-30T00:00:00'));

  it('counts found, fixed, closed and outstanding for the span, both days included', () => {
    expect(stats).toMatchObject({ found: 5, dismissed: 1, fixed: 2, closed: 1, outstanding: 3, overdue: 1 });
    expect(stats.fixRate).toBe(0.5);
    expect(stats.closureRate).toBe(0.25);
    expect(stats.found).toBe(stats.dismissed + stats.closed + stats.outstanding);
  });

  it('reads the state at the end of the span, not today', () => {
    const early = campaignStats(rows, { from: '2026-06-01', to: '2026-06-04' }, TZ, at('2026-06-30T00:00:00'));
    // On 06-04 A's fix was in but not closed, B was still being rectified, C's deadline (06-06) had not passed.
    expect(early).toMatchObject({ found: 4, fixed: 1, closed: 0, outstanding: 3, overdue: 0 });
  });

  it('groups by category and level', () => {
    expect(stats.byCategory.find((group) => group.category === 'drowning')?.counts).toMatchObject({
      found: 1,
      overdue: 1,
      outstanding: 1,
    });
    expect(stats.byLevel.map((group) => group.counts.found)).toEqual([4, 1]);
  });

  it('renders text and Markdown in Chinese, with "—" for an empty span', () => {
    expect(campaignStatsText(stats)).toContain('发现隐患 5 处（其中驳回 1 处），已整改 2 处，已销号 1 处，未销号 3 处');
    expect(campaignStatsMarkdown(stats, '示范小学')).toContain('| 防溺水 | 1 | 0 | 0 | 0 | 1 | 1 | 0.0% | 0.0% |');
    const empty = campaignStats([], { from: '2026-07-01', to: '2026-07-10' }, TZ, at('2026-07-30T00:00:00'));
    expect(campaignStatsText(empty)).toContain('整改率 —，销号率 —');
    expect(campaignStatsMarkdown(empty, '示范小学')).not.toContain('NaN');
  });

  it('refuses a reversed or invalid span', () => {
    expect(() => campaignStats([], { from: '2026-06-10', to: '2026-06-01' }, TZ, at('2026-06-30T00:00:00'))).toThrow(
      RangeError,
    );
    expect(() => campaignStats([], { from: '2026-02-30', to: '2026-03-01' }, TZ, at('2026-06-30T00:00:00'))).toThrow(
      RangeError,
    );
  });
});
