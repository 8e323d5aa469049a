import { describe, expect, it } from 'vitest';
import type { HazardStatus } from '../hazard/types.js';
import { monthlySummary } from './monthly.js';
import { monthlySummaryText } from './monthly-text.js';
import type { HazardFacts, StatusChange } from './types.js';

const TZ = 'Asia/Shanghai';
/** Local Shanghai wall time → instant. */
const at = (local: string) => new Date(`${local}+08:00`);

let seq = 0;
function hazard(
  reported: string,
  changes: [string, HazardStatus, string?][] = [],
  extra: Partial<HazardFacts> = {},
): HazardFacts {
  seq += 1;
  const history: StatusChange[] = [{ at: at(reported), fromStatus: null, toStatus: 'reported' }];
  let from: HazardStatus = 'reported';
  for (const [when, to, deadline] of changes) {
    history.push({ at: at(when), fromStatus: from, toStatus: to, ...(deadline ? { deadline: at(deadline) } : {}) });
    from = to;
  }
  return {
    id: `h${seq}`,
    code: `YH-2026-${String(seq).padStart(4, '0')}`,
    category: 'fire',
    level: 'general',
    status: from,
    reportedAt: at(reported),
    deadline: null,
    closedAt: null,
    history,
    ...extra,
  };
}

const AFTER_NOVEMBER = at('2026-12-15T09:00:00');

describe('monthlySummary', () => {
  it('tells carried over from new, and counts a hazard closed next month as open at month end', () => {
    const rows = [
      hazard('2026-10-20T10:00:00', [['2026-10-21T10:00:00', 'rectifying', '2026-12-31T23:59:00']]),
      hazard('2026-11-03T08:00:00', [
        ['2026-11-03T09:00:00', 'rectifying', '2026-11-10T23:59:00'],
        ['2026-11-08T09:00:00', 'verifying'],
        ['2026-11-09T09:00:00', 'closed'],
      ]),
      hazard('2026-11-20T08:00:00', [
        ['2026-11-20T09:00:00', 'rectifying', '2026-12-10T23:59:00'],
        ['2026-12-02T09:00:00', 'verifying'],
        ['2026-12-03T09:00:00', 'closed'],
      ]),
    ];
    const november = monthlySummary(rows, '2026-11', TZ, AFTER_NOVEMBER);
    expect(november).toMatchObject({ carriedOver: 1, added: 2, reopened: 0, closed: 1, open: 2, overdue: 0 });
    expect(november.closureRate).toBeCloseTo(1 / 3);
    expect(november.complete).toBe(true);
    const december = monthlySummary(rows, '2026-12', TZ, at('2027-01-05T00:00:00'));
    expect(december).toMatchObject({ carriedOver: 2, added: 0, closed: 1, open: 1 });
  });

  it('counts a hazard reported at local midnight on the 1st as new, not carried over', () => {
    const rows = [hazard('2026-11-01T00:00:00'), hazard('2026-10-31T23:59:59')];
    const summary = monthlySummary(rows, '2026-11', TZ, AFTER_NOVEMBER);
    expect(summary).toMatchObject({ carriedOver: 1, added: 1, open: 2 });
  });

  it('counts overdue at month end from the deadline in force then, not the one set later', () => {
    const rows = [
      // Deadline 11-25 passed by month end; extended on 12-02 to 12-20.
      hazard('2026-11-10T08:00:00', [
        ['2026-11-10T09:00:00', 'rectifying', '2026-11-25T23:59:00'],
        ['2026-12-02T09:00:00', 'rectifying', '2026-12-20T23:59:00'],
      ]),
      // Deadline after month end: not overdue.
      hazard('2026-11-10T08:00:00', [['2026-11-10T09:00:00', 'rectifying', '2026-12-01T23:59:00']]),
      // Fix submitted before the deadline passed: waiting for review is not overdue.
      hazard('2026-11-10T08:00:00', [
        ['2026-11-10T09:00:00', 'rectifying', '2026-11-20T23:59:00'],
        ['2026-11-19T09:00:00', 'verifying'],
      ]),
    ];
    const summary = monthlySummary(rows, '2026-11', TZ, AFTER_NOVEMBER);
    expect(summary).toMatchObject({ added: 3, open: 3, overdue: 1 });
    expect(summary.overdueCodes).toEqual([rows[0]!.code]);
    expect(monthlySummary(rows, '2026-12', TZ, at('2027-01-05T00:00:00')).overdue).toBe(2);
  });

  it('shows an empty month with rate "—", never NaN', () => {
    const closedLongAgo = hazard('2026-09-01T08:00:00', [['2026-09-02T08:00:00', 'closed']]);
    const summary = monthlySummary([closedLongAgo], '2026-11', TZ, AFTER_NOVEMBER);
    expect(summary).toMatchObject({ carriedOver: 0, added: 0, closed: 0, open: 0, closureRate: null });
    const text = monthlySummaryText(summary);
    expect(text).toContain('销号率 —');
    expect(text).not.toContain('NaN');
    expect(JSON.stringify(summary)).not.toContain('NaN');
  });

  it('counts a hazard reopened in the month separately and keeps the books balanced', () => {
    const rows = [
      hazard('2026-10-01T08:00:00', [
        ['2026-10-02T08:00:00', 'closed'],
        ['2026-11-05T08:00:00', 'rectifying', '2026-11-30T12:00:00'],
        ['2026-11-20T08:00:00', 'verifying'],
        ['2026-11-21T08:00:00', 'closed'],
      ]),
      hazard('2026-11-02T08:00:00', [['2026-11-03T08:00:00', 'dismissed']]),
    ];
    const summary = monthlySummary(rows, '2026-11', TZ, AFTER_NOVEMBER);
    expect(summary).toMatchObject({ carriedOver: 0, added: 1, reopened: 1, closed: 1, dismissed: 1, open: 0 });
    expect(summary.closureRate).toBe(0.5);
    const { carriedOver, added, reopened, closed, dismissed, open } = summary;
    expect(carriedOver + added + reopened).toBe(closed + dismissed + open);
  });

  it('caps a running month at now and says so', () => {
    const rows = [
      hazard('2026-11-03T08:00:00'),
      hazard('2026-11-25T08:00:00'), // after "now": not yet known
    ];
    const summary = monthlySummary(rows, '2026-11', TZ, at('2026-11-18T10:00:00'));
    expect(summary).toMatchObject({ added: 1, open: 1, complete: false });
    expect(monthlySummaryText(summary)).toContain('截至 2026-11-18 10:00');
  });

  it('groups by category (taxonomy order, zeros kept) and by level', () => {
    const rows = [
      hazard('2026-11-03T08:00:00', [], { category: 'food', level: 'major' }),
      hazard('2026-11-04T08:00:00', [['2026-11-05T08:00:00', 'closed']], { category: 'fire' }),
      hazard('2026-11-04T08:00:00', [], { category: 'made-up' }),
    ];
    const summary = monthlySummary(rows, '2026-11', TZ, AFTER_NOVEMBER);
    expect(summary.byCategory[0]).toMatchObject({
      category: 'fire',
      label: '消防安全',
      counts: { added: 1, closed: 1 },
    });
    expect(summary.byCategory.find((group) => group.category === 'food')?.counts.open).toBe(1);
    expect(summary.byCategory.find((group) => group.category === 'lab')?.counts.added).toBe(0);
    expect(summary.byCategory.at(-1)).toMatchObject({ category: 'made-up', label: 'made-up' });
    expect(summary.byLevel.map((group) => [group.label, group.counts.added])).toEqual([
      ['一般隐患', 2],
      ['重大隐患', 1],
    ]);
    const text = monthlySummaryText(summary);
    expect(text).toContain('2026年11月隐患月报');
    expect(text).toContain('本月新增 3 处，上月结转 0 处。');
    expect(text).toContain('销号率 33.3%');
    expect(text).toContain('食品安全 1 处');
    expect(text).not.toContain('实验室与危化品');
  });

  it('infers the history of a row without a timeline from its own fields', () => {
    const closed = hazard('2026-10-10T08:00:00', [], {
      status: 'closed',
      closedAt: at('2026-11-12T08:00:00'),
      history: [],
    });
    const dismissed = hazard('2026-11-10T08:00:00', [], {
      status: 'dismissed',
      updatedAt: at('2026-11-11T08:00:00'),
      history: [],
    });
    const summary = monthlySummary([closed, dismissed], '2026-11', TZ, AFTER_NOVEMBER);
    expect(summary).toMatchObject({ carriedOver: 1, added: 1, closed: 1, dismissed: 1, open: 0 });
  });

  it('uses the school time zone for month boundaries', () => {
    // 2026-11-01 04:00 in Shanghai, still October in UTC.
    const lateUtc = { ...hazard('2026-10-01T00:00:00'), reportedAt: new Date('2026-10-31T20:00:00Z'), history: [] };
    expect(monthlySummary([lateUtc], '2026-11', TZ, AFTER_NOVEMBER).added).toBe(1);
    expect(monthlySummary([lateUtc], '2026-11', 'UTC', AFTER_NOVEMBER).carriedOver).toBe(1);
  });

  it('refuses a month that does not exist', () => {
    expect(() => monthlySummary([], '2026-13', TZ, AFTER_NOVEMBER)).toThrow(RangeError);
  });

  it('is empty for a month that has not begun', () => {
    const summary = monthlySummary([hazard('2026-11-03T08:00:00')], '2027-02', TZ, AFTER_NOVEMBER);
    expect(summary).toMatchObject({ carriedOver: 0, added: 0, open: 0, closureRate: null, complete: false });
  });
});
