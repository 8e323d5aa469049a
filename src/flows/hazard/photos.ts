import { claimPendingAttachments, type PhotoSource } from '../../db/repos/pending-attachments.js';
import type { Attachment } from '../../model/inbound.js';
import type { FlowContext } from '../types.js';
import type { HazardDeps } from './deps.js';

export const imagesOf = (attachments: readonly Attachment[]) =>
  attachments.filter((attachment) => attachment.kind === 'image');

export function photoSource(ctx: FlowContext): PhotoSource {
  return {
    platform: ctx.event.platform,
    tenant: ctx.event.tenant,
    chatId: ctx.event.chat.id,
    userId: ctx.actor.platformUserId,
  };
}

export function photoWindowMs(deps: HazardDeps): number {
  return deps.settings.photoWindowMinutes * 60_000;
}

/** The message's own attachments plus the photos the same person posted here in the last few minutes. */
export async function messageAndRecentPhotos(
  ctx: FlowContext,
  deps: HazardDeps,
  claimedBy: string,
): Promise<Attachment[]> {
  const window = { from: new Date(ctx.now.getTime() - photoWindowMs(deps)), to: ctx.now };
  const recent = await claimPendingAttachments(ctx.db, photoSource(ctx), window, claimedBy);
  return [...recent, ...ctx.event.attachments];
}
