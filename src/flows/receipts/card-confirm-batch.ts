import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import { inboundKeyText } from '../../db/repos/inbound-events.js';
import { recordTaps } from '../../db/repos/receipt-taps.js';
import { isUuid, type NewReceipt } from '../../db/repos/receipts.js';
import { type Confirmer, findConfirmers } from '../../db/repos/receipts-confirmers.js';
import type { Db } from '../../db/types.js';
import type { InboundEvent } from '../../model/inbound.js';
import type { HandleResult } from '../../platforms/types.js';
import type { BatchActionHandler } from '../types.js';
import { confirmationText, resolveConfirmation } from './confirm-request.js';
import { loadTargets, type TargetResult } from './target.js';

/**
 * The letter card's "我已阅读并承诺" for a burst of parents: who they are, their chats and the campaigns in
 * two queries, then one statement claims the events and writes every receipt (one commit). Only the
 * plain case is taken here — a known guardian of the card's class, in an open campaign, tapping in a chat
 * that is not another class's; everything else (binding, closed campaigns, wrong class) goes to the
 * flow's own onConfirm, which answers it in full.
 */

interface Plan {
  event: InboundEvent;
  rows: NewReceipt[];
  names: Map<string, string>;
}

function isReceiptConfirm(event: InboundEvent): boolean {
  const value = event.action?.value;
  return (
    event.kind === 'action' &&
    value?.flow === 'receipt' &&
    value.op === 'confirm' &&
    isUuid(value.campaign) &&
    isUuid(value.class) &&
    Boolean(event.chat.id) &&
    !event.extraDedupeKeys?.length
  );
}

function plan(event: InboundEvent, target: TargetResult, confirmer: Confirmer, at: Date): Plan | null {
  if (!target.ok || !confirmer.personId) return null;
  const classId = target.target.classId;
  if (confirmer.chat?.kind === 'class_parents' && confirmer.chat.classId && confirmer.chat.classId !== classId) {
    return null;
  }
  const resolution = resolveConfirmation({
    campaignId: target.target.campaign.id,
    classId,
    channel: 'card',
    personId: confirmer.personId,
    links: confirmer.links,
    at,
  });
  return resolution.ok ? { event, rows: resolution.rows, names: resolution.studentNames } : null;
}

export function receiptConfirmBatch(letters?: readonly LetterTemplate[]): BatchActionHandler {
  return {
    accepts: isReceiptConfirm,
    async handleBatch(db: Db, events: readonly InboundEvent[], at: Date): Promise<(HandleResult | null)[]> {
      const [targets, confirmers] = await Promise.all([
        loadTargets(
          db,
          events.map((event) => ({
            campaignId: String(event.action?.value.campaign),
            classId: String(event.action?.value.class),
          })),
          at,
          letters,
        ),
        findConfirmers(
          db,
          events.map((event) => ({
            platform: event.platform,
            tenant: event.tenant,
            userId: event.actor.platformUserId,
            chatId: event.chat.id,
          })),
        ),
      ]);
      const plans = events.map((event, index) => plan(event, targets[index]!, confirmers[index]!, at));
      // The same event twice in one burst (a platform retry racing the first delivery): the first is handled.
      const firstOfKey = new Map<string, Plan>();
      for (const candidate of plans) {
        if (!candidate) continue;
        const key = inboundKeyText({ platform: candidate.event.platform, eventId: candidate.event.id });
        if (!firstOfKey.has(key)) firstOfKey.set(key, candidate);
      }
      const unique = [...firstOfKey.values()];
      const taps = await recordTaps(
        db,
        unique.map((candidate) => ({
          platform: candidate.event.platform,
          eventId: candidate.event.id,
          rows: candidate.rows,
        })),
      );
      const outcomes = new Map(unique.map((candidate, position) => [candidate, taps[position]!]));
      return plans.map((candidate): HandleResult | null => {
        if (!candidate) return null;
        const tap = outcomes.get(candidate);
        if (!tap?.claimed) return { duplicate: true };
        const text = confirmationText(candidate.names, tap.recorded);
        return { duplicate: false, answer: { toast: { type: 'success', text } } };
      });
    },
  };
}
