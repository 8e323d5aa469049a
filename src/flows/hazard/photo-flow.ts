import { latestPendingDraft, updateDraft } from '../../db/repos/hazard-drafts.js';
import { keepPendingAttachments } from '../../db/repos/pending-attachments.js';
import type { FlowHandler } from '../types.js';
import type { HazardDeps } from './deps.js';
import { imagesOf, photoSource, photoWindowMs } from './photos.js';
import { say } from './replies.js';
import { resolveScope } from './scope.js';

export const HAZARD_PHOTO_PRIORITY = 105;

/**
 * A photo without text from staff: added to the sender's report awaiting confirmation here (made in the
 * last few minutes), or kept a few minutes for the report or fix that follows. Silent in groups.
 */
export function hazardPhotoFlow(deps: HazardDeps): FlowHandler {
  return {
    name: 'hazard-photo',
    priority: HAZARD_PHOTO_PRIORITY,
    async onMessage(ctx) {
      const images = imagesOf(ctx.event.attachments);
      if (ctx.text !== '' || images.length === 0 || !ctx.actor.personId) return false;
      const resolved = await resolveScope(ctx, deps);
      if (!resolved.ok) return false;
      const draft = await latestPendingDraft(ctx.db, {
        platform: ctx.event.platform,
        tenant: ctx.event.tenant,
        chatId: ctx.event.chat.id,
        reporterId: resolved.scope.actor.personId,
        since: new Date(ctx.now.getTime() - photoWindowMs(deps)),
      });
      if (draft) {
        const attachments = [...draft.attachments, ...images];
        await updateDraft(ctx.db, draft.id, { attachments });
        await ctx.reply(
          say(deps.replies, 'photosAttached', { count: images.length, total: imagesOf(attachments).length }),
        );
        return true;
      }
      await keepPendingAttachments(ctx.db, photoSource(ctx), images, ctx.now);
      if (ctx.event.chat.type === 'direct') {
        await ctx.reply(say(deps.replies, 'photoKept', { minutes: deps.settings.photoWindowMinutes }));
      }
      return true;
    },
  };
}
