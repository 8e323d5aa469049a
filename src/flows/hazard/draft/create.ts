import type { Extraction } from '../../../domain/extract/index.js';
import { insertDraft } from '../../../db/repos/hazard-drafts.js';
import type { FlowContext } from '../../types.js';
import { draftCard } from '../cards/draft-card.js';
import type { HazardDeps } from '../deps.js';
import { messageAndRecentPhotos } from '../photos.js';
import type { HazardScope } from '../scope.js';
import { draftView } from '../views.js';
import { duplicateOf } from './duplicate.js';

export const MAX_LOCATION_LENGTH = 100;

/**
 * A report becomes a draft with the photos the reporter posted just before, and a confirmation card
 * (offering the open hazard it seems to repeat, if any). Nothing is in the ledger until it is confirmed.
 */
export async function createDraft(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  extraction: Extraction,
  text: string,
): Promise<void> {
  const id = crypto.randomUUID();
  const attachments = await messageAndRecentPhotos(ctx, deps, id);
  const category = extraction.category ?? deps.taxonomy.fallbackCategory;
  const location = [...(extraction.location ?? '')].slice(0, MAX_LOCATION_LENGTH).join('');
  const draft = await insertDraft(ctx.db, {
    id,
    schoolId: scope.schoolId,
    reporterId: scope.actor.personId,
    platform: ctx.event.platform,
    tenant: ctx.event.tenant,
    chatId: ctx.event.chat.id,
    text,
    intent: 'hazard',
    category,
    level: extraction.level ?? 'general',
    location,
    description: extraction.description || text,
    deadlineHint: extraction.deadlineHint ?? null,
    attachments,
    duplicateOf: await duplicateOf(ctx.db, scope.schoolId, { category, location }),
    status: 'pending',
    createdAt: ctx.now,
  });
  await ctx.reply({ type: 'card', card: draftCard(await draftView(ctx.db, draft), deps.taxonomy) });
}
