import { type DraftRow, updateDraft } from '../../../db/repos/hazard-drafts.js';
import type { ActionAnswer } from '../../../model/card.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import { draftCard } from '../cards/draft-card.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import { draftView } from '../views.js';
import { MAX_LOCATION_LENGTH } from './create.js';
import { duplicateOf } from './duplicate.js';

const LEVELS = ['general', 'major'] as const;

/** 修改: the card redrawn with the edit form (category, level, location, description). */
export async function openDraftEdit(ctx: FlowContext, deps: HazardDeps, draft: DraftRow): Promise<ActionAnswer> {
  return { card: draftCard(await draftView(ctx.db, draft), deps.taxonomy, { editing: true }) };
}

function readForm(deps: HazardDeps, draft: DraftRow, form: Record<string, string>) {
  const category = form.category ?? draft.category;
  if (!deps.taxonomy.categories.some((known) => known.code === category)) {
    throw new FlowRefusal(say(deps.replies, 'formCategory'));
  }
  const level = form.level ?? draft.level;
  if (!LEVELS.includes(level as (typeof LEVELS)[number])) throw new FlowRefusal(say(deps.replies, 'formLevel'));
  const location = (form.location ?? draft.location).trim();
  if ([...location].length > MAX_LOCATION_LENGTH) {
    throw new FlowRefusal(say(deps.replies, 'formLocation', { max: MAX_LOCATION_LENGTH }));
  }
  const description = (form.description ?? draft.description).replace(/\s+/g, ' ').trim();
  const max = deps.settings.maxTextLength;
  if (description === '' || [...description].length > max) {
    throw new FlowRefusal(say(deps.replies, 'formDescription', { max }));
  }
  return { category, level: level as (typeof LEVELS)[number], location, description };
}

/** The edit form submitted: the draft takes the corrected fields, the duplicate check reruns, the card redraws. */
export async function saveDraftEdit(
  ctx: FlowContext,
  deps: HazardDeps,
  draft: DraftRow,
  form: Record<string, string>,
): Promise<ActionAnswer> {
  const fields = readForm(deps, draft, form);
  const updated = await updateDraft(ctx.db, draft.id, {
    ...fields,
    duplicateOf: await duplicateOf(ctx.db, draft.schoolId, fields),
  });
  return {
    toast: { type: 'success', text: '已保存修改，请确认登记。' },
    card: draftCard(await draftView(ctx.db, updated), deps.taxonomy),
  };
}
