import { inboundKeyText } from '../../db/repos/inbound-events.js';
import { confirmTaps, type TapRequest } from '../../db/repos/receipt-taps.js';
import { isUuid } from '../../db/repos/receipts.js';
import type { Db } from '../../db/types.js';
import type { InboundEvent } from '../../model/inbound.js';
import type { HandleResult } from '../../platforms/types.js';
import type { BatchActionHandler } from '../types.js';
import { confirmationText } from './confirm-request.js';

/**
 * The letter card's "我已阅读并承诺" for a burst of parents, in one statement (confirmTaps). Only the plain
 * case is taken here — a known guardian of the card's class, in an open campaign, tapping in a chat that
 * is not another class's; everything else (binding, closed campaigns, wrong class) goes to the flow's own
 * onConfirm, which answers it in full.
 */

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

const tapOf = (event: InboundEvent): TapRequest => ({
  platform: event.platform,
  tenant: event.tenant,
  userId: event.actor.platformUserId,
  chatId: event.chat.id,
  eventId: event.id,
  campaignId: String(event.action?.value.campaign),
  classId: String(event.action?.value.class),
});

export function receiptConfirmBatch(): BatchActionHandler {
  return {
    accepts: isReceiptConfirm,
    async handleBatch(db: Db, events: readonly InboundEvent[], at: Date): Promise<(HandleResult | null)[]> {
      // The same event twice in one burst (a platform retry racing the first delivery): the first is handled.
      const firstOfKey = new Map<string, number>();
      for (const [index, event] of events.entries()) {
        const key = inboundKeyText({ platform: event.platform, eventId: event.id });
        if (!firstOfKey.has(key)) firstOfKey.set(key, index);
      }
      const unique = [...firstOfKey.values()];
      const outcomes = await confirmTaps(
        db,
        unique.map((index) => tapOf(events[index]!)),
        at,
      );
      const byEvent = new Map(unique.map((index, position) => [index, outcomes[position]] as const));
      return events.map((event, index): HandleResult | null => {
        const first = firstOfKey.get(inboundKeyText({ platform: event.platform, eventId: event.id }))!;
        const outcome = byEvent.get(first);
        if (!outcome) return null;
        if (first !== index || !outcome.claimed) return { duplicate: true };
        const text = confirmationText(outcome.names, outcome.recorded);
        return { duplicate: false, answer: { toast: { type: 'success', text } } };
      });
    },
  };
}
