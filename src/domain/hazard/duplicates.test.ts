import { describe, expect, it } from 'vitest';
import { compareLocations, findDuplicate } from './duplicates.js';
import type { HazardStatus } from './types.js';

interface Open {
  code: string;
  status: HazardStatus;
  category: string;
  location: string;
  reportedAt?: Date;
}

const open = (code: string, category: string, location: string, status: HazardStatus = 'rectifying'): Open => ({
  code,
  status,
  category,
  location,
});

describe('findDuplicate', () => {
  const ledger = [
    open('YH-2026-0001', 'fire', '二楼东侧走廊'),
    open('YH-2026-0002', 'facility', '二楼东侧走廊'),
    open('YH-2026-0003', 'fire', '3号楼'),
    open('YH-2026-0004', 'fire', '食堂后厨', 'closed'),
    open('YH-2026-0005', 'facility', '11楼卫生间'),
    open('YH-2026-0006', 'food', '学校食堂'),
  ];

  it('matches the same place written differently, in the same category', () => {
    const match = findDuplicate({ category: 'fire', location: '2楼东边的走廊' }, ledger);
    expect(match).toMatchObject({ hazard: { code: 'YH-2026-0001' }, score: 1, kind: 'same' });
  });

  it('picks the category of the report', () => {
    expect(findDuplicate({ category: 'facility', location: '二层东侧走廊' }, ledger)?.hazard.code).toBe('YH-2026-0002');
  });

  it('matches a place inside an open hazard’s place', () => {
    const match = findDuplicate({ category: 'fire', location: '3号楼一楼' }, ledger);
    expect(match).toMatchObject({ hazard: { code: 'YH-2026-0003' }, kind: 'contains' });
    expect(findDuplicate({ category: 'food', location: '食堂' }, ledger)?.hazard.code).toBe('YH-2026-0006');
  });

  it('ignores closed and dismissed hazards', () => {
    expect(findDuplicate({ category: 'fire', location: '食堂后厨' }, ledger)).toBeNull();
  });

  it('does not match a different floor or building', () => {
    expect(findDuplicate({ category: 'fire', location: '三楼东侧走廊' }, ledger)).toBeNull();
    expect(findDuplicate({ category: 'facility', location: '1楼卫生间' }, ledger)).toBeNull();
    expect(findDuplicate({ category: 'fire', location: '13号楼' }, ledger)).toBeNull();
  });

  it('does not guess without a place', () => {
    expect(findDuplicate({ category: 'fire', location: '' }, ledger)).toBeNull();
  });

  it('prefers the closest place, then the newest report', () => {
    const candidates = [
      { ...open('YH-2026-0010', 'fire', '实验楼'), reportedAt: new Date('2026-06-01') },
      { ...open('YH-2026-0011', 'fire', '实验楼2楼'), reportedAt: new Date('2026-06-02') },
      { ...open('YH-2026-0012', 'fire', '实验楼二层'), reportedAt: new Date('2026-06-03') },
    ];
    expect(findDuplicate({ category: 'fire', location: '实验楼2楼' }, candidates)?.hazard.code).toBe('YH-2026-0012');
  });
});

describe('compareLocations', () => {
  it('scores containment by how much of the place is shared', () => {
    const close = compareLocations('食堂后厨', '食堂后厨灶台');
    const far = compareLocations('食堂', '食堂后厨燃气灶旁墙面');
    expect(close?.kind).toBe('contains');
    expect(far?.kind).toBe('contains');
    expect(close!.score).toBeGreaterThan(far!.score);
  });

  it('accepts near-identical spellings with the same numbers', () => {
    expect(compareLocations('实验楼2楼化学实验室', '实验楼2楼化学实验室门')?.kind).toBe('contains');
    expect(compareLocations('综合楼3楼东卫生间', '综合楼3楼东男卫生间')?.kind).toBe('similar');
  });

  it('rejects single characters and unrelated places', () => {
    expect(compareLocations('楼', '教学楼')).toBeNull();
    expect(compareLocations('操场', '食堂')).toBeNull();
  });
});
