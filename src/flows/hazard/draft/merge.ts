import { STATUS_LABELS } from '../../../domain/hazard/index.js';
import { type DraftRow, updateDraft } from '../../../db/repos/hazard-drafts.js';
import { appendHazardEvent } from '../../../db/repos/hazard-events.js';
import { findHazardById } from '../../../db/repos/hazards.js';
import type { ActionAnswer } from '../../../model/card.js';
import { recordDailyCheckReport } from '../../reminders/daily-check.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import { draftOutcomeCard } from '../cards/draft-card.js';
import type { HazardDeps } from '../deps.js';
import { recipients, sendPrivately } from '../notify/private.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';
import { draftView } from '../views.js';

/**
 * 补充到 YH-…: the report repeats an open hazard, so its text and photos become a timeline note on that
 * record (the owner is told) and the draft is marked merged instead of opening a second record.
 */
export async function mergeDraft(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  draft: DraftRow,
): Promise<ActionAnswer> {
  const target = draft.duplicateOf ? await findHazardById(ctx.db, draft.duplicateOf, { lock: true }) : null;
  if (!target) throw new FlowRefusal(say(deps.replies, 'draftMissing'));
  if (target.status === 'closed' || target.status === 'dismissed') {
    throw new FlowRefusal(
      say(deps.replies, 'mergeClosed', { code: target.code, status: STATUS_LABELS[target.status] }),
    );
  }
  const eventId = await appendHazardEvent(ctx.db, target.id, {
    at: ctx.now,
    actorId: scope.actor.personId,
    action: 'supplement',
    fromStatus: target.status,
    toStatus: target.status,
    note: draft.description,
    detail: { draftId: draft.id, reporterId: draft.reporterId },
    attachments: draft.attachments,
  });
  const settled = await updateDraft(ctx.db, draft.id, { status: 'merged', hazardId: target.id });
  await recordDailyCheckReport(ctx.db, draft.schoolId, draft.reporterId, ctx.now, scope.timezone, {
    hazardId: target.id,
    code: target.code,
  });
  for (const personId of recipients([target.ownerId], scope.actor.personId)) {
    await sendPrivately(ctx, personId, {
      body: {
        type: 'text',
        text: say(deps.replies, 'notifySupplement', {
          code: target.code,
          actor: ctx.actor.name,
          note: draft.description,
        }),
      },
      urgency: 'normal',
      key: `hazard:${target.id}:${eventId}:supplement:${personId}`,
      timeZone: scope.timezone,
      quietHours: deps.quietHours,
    });
  }
  const text = say(deps.replies, 'draftMerged', { code: target.code });
  await ctx.reply(text);
  const card = draftOutcomeCard(await draftView(ctx.db, settled), deps.taxonomy, {
    kind: 'merged',
    code: target.code,
    hazardId: target.id,
  });
  return { toast: { type: 'success', text }, card };
}
