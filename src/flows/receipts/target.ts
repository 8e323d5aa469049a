import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import { findLetter } from '../../../bot-flows/letters/index.js';
import { type CampaignClassKey, type CampaignRecord, findCampaignClasses } from '../../db/repos/receipts.js';
import type { Db } from '../../db/types.js';
import { formatDeadline } from './format.js';

/** What every confirmation path (card, keyword, H5 page) checks first: an open campaign that covers the class. */

export type LetterText = Pick<LetterTemplate, 'title' | 'summary' | 'fullText' | 'confirmLabel' | 'confirmation'>;

export interface ReceiptTarget {
  campaign: CampaignRecord;
  classId: string;
  className: string;
  letter: LetterText;
  deadlineLabel: string;
}

export type TargetResult = { ok: true; target: ReceiptTarget } | { ok: false; reason: string; closed?: boolean };

/** A campaign keeps its title even if its letter template is later removed from bot-flows. */
export function letterOf(
  campaign: Pick<CampaignRecord, 'letter' | 'title'>,
  letters?: readonly LetterTemplate[],
): LetterText {
  const found = findLetter(campaign.letter, letters);
  return (
    found ?? {
      title: campaign.title,
      summary: `请阅读《${campaign.title}》，并点击下方按钮确认。`,
      fullText: `请阅读学校发出的《${campaign.title}》。`,
      confirmLabel: '我已阅读并承诺',
      confirmation: `我已阅读《${campaign.title}》，并承诺按要求做好孩子的安全教育和监护。`,
    }
  );
}

export async function loadTarget(
  db: Db,
  campaignId: unknown,
  classId: unknown,
  now: Date,
  letters?: readonly LetterTemplate[],
): Promise<TargetResult> {
  if (typeof campaignId !== 'string' || typeof classId !== 'string') return GONE;
  const [result] = await loadTargets(db, [{ campaignId, classId }], now, letters);
  return result!;
}

const GONE = { ok: false as const, reason: '这条回执已失效，请在班级群查看最新的通知。' };

/** Many pairs in one query (a burst of confirmations): a result per pair, in order. */
export async function loadTargets(
  db: Db,
  pairs: readonly CampaignClassKey[],
  now: Date,
  letters?: readonly LetterTemplate[],
): Promise<TargetResult[]> {
  const found = new Map(
    (await findCampaignClasses(db, pairs)).map((row) => [`${row.campaignId}|${row.classId}`, row] as const),
  );
  const deadlineLabels = new Map<string, string>();
  const labelOf = (campaign: CampaignRecord) => {
    let label = deadlineLabels.get(campaign.id);
    if (label === undefined) {
      label = formatDeadline(campaign.deadline, campaign.timezone);
      deadlineLabels.set(campaign.id, label);
    }
    return label;
  };
  return pairs.map(({ campaignId, classId }): TargetResult => {
    const row = found.get(`${campaignId}|${classId}`);
    if (!row) return GONE;
    const { campaign } = row;
    const deadlineLabel = labelOf(campaign);
    if (campaign.status !== 'open' || campaign.deadline.getTime() < now.getTime()) {
      return {
        ok: false,
        closed: true,
        reason: `《${campaign.title}》回执已于 ${deadlineLabel} 截止，如有需要请联系班主任。`,
      };
    }
    return {
      ok: true,
      target: { campaign, classId, className: row.className, letter: letterOf(campaign, letters), deadlineLabel },
    };
  });
}
