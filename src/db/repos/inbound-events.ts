import { and, eq, lt } from 'drizzle-orm';
import type { ActionAnswer } from '../../model/card.js';
import { inboundEvents } from '../schema.js';
import type { Db } from '../types.js';

/** The inbound dedupe keys: an event is handled by whoever inserts its key first, in that transaction. */

export interface InboundKey {
  platform: string;
  eventId: string;
}

export const inboundKeyText = (key: InboundKey) => `${key.platform}\u0000${key.eventId}`;

/** Inserts the keys that are new and returns them (as inboundKeyText); keys seen before are left out. */
export async function claimInboundKeys(db: Db, keys: readonly InboundKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  // One key order for every writer: two batches claiming overlapping keys wait, never deadlock.
  const ordered = [...keys].sort((a, b) => inboundKeyText(a).localeCompare(inboundKeyText(b)));
  const inserted = await db
    .insert(inboundEvents)
    .values(ordered.map((key) => ({ platform: key.platform, eventId: key.eventId })))
    .onConflictDoNothing()
    .returning({ platform: inboundEvents.platform, eventId: inboundEvents.eventId });
  return new Set(inserted.map(inboundKeyText));
}

const isKey = (key: InboundKey) =>
  and(eq(inboundEvents.platform, key.platform), eq(inboundEvents.eventId, key.eventId));

/** Keeps what an event was answered with, so the same request posted again can be shown the same answer. */
export async function rememberAnswer(db: Db, key: InboundKey, answer: ActionAnswer): Promise<void> {
  await db.update(inboundEvents).set({ answer }).where(isKey(key));
}

export async function rememberedAnswer(db: Db, key: InboundKey): Promise<ActionAnswer | null> {
  const [row] = await db.select({ answer: inboundEvents.answer }).from(inboundEvents).where(isKey(key));
  return row?.answer ?? null;
}

/**
 * How long a dedupe key is kept. Platforms redeliver for hours (Feishu for about 7), and the other keys,
 * those of signed action links, are only ever claimed while their link is valid (at most 14 days): long
 * after both, a key can never be claimed again, so it is only weight on every later claim.
 */
export const INBOUND_KEY_KEEP_MS = 90 * 86_400_000;

export async function forgetInboundKeysBefore(db: Db, cutoff: Date): Promise<void> {
  await db.delete(inboundEvents).where(lt(inboundEvents.receivedAt, cutoff));
}
