import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Attachment } from '../../model/inbound.js';
import { hazardEvents } from '../schema.js';
import type { Db } from '../types.js';

export type HazardEventRow = typeof hazardEvents.$inferSelect;

export interface NewHazardEvent {
  at: Date;
  actorId: string | null;
  /** A lifecycle action, or `supplement` for a duplicate report added to the record. */
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  detail: Record<string, unknown>;
  attachments: Attachment[];
}

/** Appends one immutable timeline entry; returns its id (the key of what it announces). */
export async function appendHazardEvent(db: Db, hazardId: string, event: NewHazardEvent): Promise<string> {
  const [row] = await db
    .insert(hazardEvents)
    .values({ hazardId, ...event })
    .returning({ id: hazardEvents.id });
  return row!.id;
}

/** The newest `limit` entries, oldest first (as a timeline reads). */
export async function timelineOf(db: Db, hazardId: string, limit: number): Promise<HazardEventRow[]> {
  const rows = await db
    .select()
    .from(hazardEvents)
    .where(eq(hazardEvents.hazardId, hazardId))
    .orderBy(desc(hazardEvents.at), desc(hazardEvents.id))
    .limit(limit);
  return rows.reverse();
}

/** Attachments of the latest fix submission: the evidence a verifier judges. */
export async function latestFixAttachments(db: Db, hazardId: string): Promise<Attachment[]> {
  const [row] = await db
    .select({ attachments: hazardEvents.attachments })
    .from(hazardEvents)
    .where(and(eq(hazardEvents.hazardId, hazardId), inArray(hazardEvents.action, ['submit_fix', 'fix_on_spot'])))
    .orderBy(desc(hazardEvents.at))
    .limit(1);
  return row?.attachments ?? [];
}
