import { and, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Attachment } from '../../model/inbound.js';
import { pendingAttachments } from '../schema.js';
import type { Db } from '../types.js';

export interface PhotoSource {
  platform: string;
  tenant: string;
  chatId: string;
  /** Platform user id of the person who posted. */
  userId: string;
}

export async function keepPendingAttachments(
  db: Db,
  source: PhotoSource,
  attachments: readonly Attachment[],
  postedAt: Date,
): Promise<void> {
  if (attachments.length === 0) return;
  await db.insert(pendingAttachments).values(attachments.map((attachment) => ({ ...source, attachment, postedAt })));
}

/**
 * Hands the person's unclaimed photos posted in [from, to] to `claimedBy` (a draft, hazard or incident)
 * and returns them oldest first. Each photo is claimed once.
 */
export async function claimPendingAttachments(
  db: Db,
  source: PhotoSource,
  window: { from: Date; to: Date },
  claimedBy: string,
): Promise<Attachment[]> {
  const rows = await db
    .update(pendingAttachments)
    .set({ claimedBy })
    .where(
      and(
        eq(pendingAttachments.platform, source.platform),
        eq(pendingAttachments.tenant, source.tenant),
        eq(pendingAttachments.chatId, source.chatId),
        eq(pendingAttachments.userId, source.userId),
        isNull(pendingAttachments.claimedBy),
        gte(pendingAttachments.postedAt, window.from),
        lte(pendingAttachments.postedAt, window.to),
      ),
    )
    .returning({ attachment: pendingAttachments.attachment, postedAt: pendingAttachments.postedAt });
  return rows.sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime()).map((row) => row.attachment);
}
