import type { HazardFields } from './types.js';

/** 五落实: what a major hazard must have before it leaves 登记. */
export const FIVE_IMPLEMENTATIONS = ['owner', 'measures', 'funds', 'deadline', 'interimPlan'] as const;
export type FiveImplementation = (typeof FIVE_IMPLEMENTATIONS)[number];

export type FiveImplementationFields = Pick<
  HazardFields,
  'ownerId' | 'measures' | 'funds' | 'deadline' | 'interimPlan'
>;

const LABELS: Record<FiveImplementation, string> = {
  owner: '责任人',
  measures: '措施',
  funds: '资金',
  deadline: '时限',
  interimPlan: '预案',
};

/** "0", "0元", "零", "无": zero funds are fine, but only with a word on how the work is paid for. */
const BARE_ZERO_FUNDS = /^(?:0+(?:\.0+)?|零|无|没有)\s*(?:元|万元|万)?$/;

function filled(text: string | null): boolean {
  return text !== null && text.trim() !== '';
}

export function isBareZeroFunds(funds: string | null): boolean {
  return funds !== null && BARE_ZERO_FUNDS.test(funds.normalize('NFKC').trim());
}

export function missingFiveImplementations(fields: FiveImplementationFields): FiveImplementation[] {
  const missing: FiveImplementation[] = [];
  if (!filled(fields.ownerId)) missing.push('owner');
  if (!filled(fields.measures)) missing.push('measures');
  if (!filled(fields.funds) || isBareZeroFunds(fields.funds)) missing.push('funds');
  if (fields.deadline === null) missing.push('deadline');
  if (!filled(fields.interimPlan)) missing.push('interimPlan');
  return missing;
}

/** 措施、资金（为 0 时请注明原因）、预案 */
export function describeMissing(missing: readonly FiveImplementation[], fields: FiveImplementationFields): string {
  return missing
    .map((item) =>
      item === 'funds' && isBareZeroFunds(fields.funds) ? '资金（为 0 时请注明原因，如：0（自行整改））' : LABELS[item],
    )
    .join('、');
}
