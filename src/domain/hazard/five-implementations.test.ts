import { describe, expect, it } from 'vitest';
import { describeMissing, isBareZeroFunds, missingFiveImplementations } from './five-implementations.js';

const complete = {
  ownerId: 'p-owner',
  measures: '更换护栏',
  funds: '3000元',
  deadline: new Date('2026-06-30T15:59:59Z'),
  interimPlan: '设置围挡',
};

describe('五落实', () => {
  it('is complete with all five', () => {
    expect(missingFiveImplementations(complete)).toEqual([]);
  });

  it('lists every missing or blank item in order', () => {
    const empty = { ownerId: null, measures: ' ', funds: null, deadline: null, interimPlan: '' };
    expect(missingFiveImplementations(empty)).toEqual(['owner', 'measures', 'funds', 'deadline', 'interimPlan']);
    expect(describeMissing(missingFiveImplementations(empty), empty)).toBe('责任人、措施、资金、时限、预案');
  });

  it('accepts zero funds with a note, not bare', () => {
    expect(missingFiveImplementations({ ...complete, funds: '0（后勤自行整改）' })).toEqual([]);
    for (const bare of ['0', '0元', '０', '0.00', '零', '无', '0 万元']) {
      expect(isBareZeroFunds(bare)).toBe(true);
    }
    const bare = { ...complete, funds: '0' };
    expect(describeMissing(missingFiveImplementations(bare), bare)).toContain('为 0 时请注明原因');
  });

  it('does not mistake real amounts for zero', () => {
    expect(isBareZeroFunds('10元')).toBe(false);
    expect(isBareZeroFunds('0.5万元')).toBe(false);
  });
});
