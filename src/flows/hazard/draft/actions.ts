import { type DraftRow, findDraft, updateDraft } from '../../../db/repos/hazard-drafts.js';
import { findHazardById } from '../../../db/repos/hazards.js';
import type { ActionAnswer, ActionValue } from '../../../model/card.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import { type DraftOutcome, draftOutcomeCard } from '../cards/draft-card.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import { type HazardScope, scopeForSchool } from '../scope.js';
import { draftView } from '../views.js';
import { confirmDraft } from './confirm.js';
import { openDraftEdit, saveDraftEdit } from './edit.js';
import { mergeDraft } from './merge.js';

/** The reporter, or whoever manages the ledger (those who may assign: safety officer, principal). */
function mayHandle(deps: HazardDeps, scope: HazardScope, draft: DraftRow): boolean {
  if (scope.actor.personId === draft.reporterId) return true;
  return scope.actor.roles.some((role) => deps.policy.permissions.assign.roles.includes(role));
}

/** A second click on a settled draft answers what happened and changes nothing. */
async function settledAnswer(ctx: FlowContext, deps: HazardDeps, draft: DraftRow): Promise<ActionAnswer> {
  const hazard = draft.hazardId ? await findHazardById(ctx.db, draft.hazardId) : null;
  let outcome: DraftOutcome = { kind: 'cancelled' };
  let text = say(deps.replies, 'draftAlreadyCancelled');
  if (hazard && draft.status === 'confirmed') {
    outcome = { kind: 'confirmed', code: hazard.code, hazardId: hazard.id };
    text = say(deps.replies, 'alreadyRegistered', { code: hazard.code });
  } else if (hazard && draft.status === 'merged') {
    outcome = { kind: 'merged', code: hazard.code, hazardId: hazard.id };
    text = say(deps.replies, 'draftMerged', { code: hazard.code });
  }
  const card = draftOutcomeCard(await draftView(ctx.db, draft), deps.taxonomy, outcome);
  return { toast: { type: 'info', text }, card };
}

async function cancelDraft(ctx: FlowContext, deps: HazardDeps, draft: DraftRow): Promise<ActionAnswer> {
  const cancelled = await updateDraft(ctx.db, draft.id, { status: 'cancelled' });
  const card = draftOutcomeCard(await draftView(ctx.db, cancelled), deps.taxonomy, { kind: 'cancelled' });
  return { toast: { type: 'success', text: say(deps.replies, 'draftCancelled') }, card };
}

/**
 * Buttons of the confirmation card. The draft row is locked first, so a double click waits for the first
 * click's transaction and then finds the draft settled.
 */
export function draftAction(deps: HazardDeps) {
  return async (ctx: FlowContext, value: ActionValue, form: Record<string, string>): Promise<ActionAnswer> => {
    const draft = await findDraft(ctx.db, String(value.draft ?? ''), { lock: true });
    if (!draft) return { toast: { type: 'error', text: say(deps.replies, 'draftMissing') } };
    const resolved = await scopeForSchool(ctx, deps, draft.schoolId);
    if (!resolved.ok) throw new FlowRefusal(resolved.reason);
    if (draft.status !== 'pending') return settledAnswer(ctx, deps, draft);
    if (!mayHandle(deps, resolved.scope, draft)) throw new FlowRefusal(say(deps.replies, 'draftNotYours'));
    switch (value.op) {
      case 'confirm':
        return confirmDraft(ctx, deps, resolved.scope, draft);
      case 'merge':
        return mergeDraft(ctx, deps, resolved.scope, draft);
      case 'edit':
        return openDraftEdit(ctx, deps, draft);
      case 'save':
        return saveDraftEdit(ctx, deps, draft, form);
      case 'cancel':
        return cancelDraft(ctx, deps, draft);
      default:
        return { toast: { type: 'error', text: '这个按钮已失效，请重新发起。' } };
    }
  };
}
