import { localParts } from '../../../domain/dates/index.js';
import { CODE_PREFIXES, formatHazardCode, LEVEL_LABELS, newHazard } from '../../../domain/hazard/index.js';
import { nextCodeNumber } from '../../../db/repos/code-sequences.js';
import { type DraftRow, updateDraft } from '../../../db/repos/hazard-drafts.js';
import { appendHazardEvent } from '../../../db/repos/hazard-events.js';
import { insertHazard } from '../../../db/repos/hazards.js';
import type { ActionAnswer } from '../../../model/card.js';
import { recordDailyCheckReport } from '../../reminders/daily-check.js';
import type { FlowContext } from '../../types.js';
import { draftOutcomeCard } from '../cards/draft-card.js';
import { summaryOf } from '../cards/format.js';
import type { HazardDeps } from '../deps.js';
import { alertMajor } from '../notify/major.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';
import { draftView } from '../views.js';

/**
 * 确认登记: the draft becomes a hazard with the next YH-<year>-<seq> of the school's register (the year
 * as the school's clock reads it), its first timeline entry and a reply naming the code; the reporter's
 * daily inspection record (全员日排查) says 'reported'. A major hazard is supervised and the principals are
 * alerted at once.
 */
export async function confirmDraft(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  draft: DraftRow,
): Promise<ActionAnswer> {
  const year = localParts(ctx.now, scope.timezone).year;
  const code = formatHazardCode(year, await nextCodeNumber(ctx.db, draft.schoolId, CODE_PREFIXES.hazard, year));
  const reporter = { personId: draft.reporterId, roles: [] };
  const { category, level, location, description, attachments } = draft;
  const input = { code, category, level, location, description, attachments };
  const { fields, event } = newHazard(input, reporter, ctx.now, deps.policy);
  const hazard = await insertHazard(ctx.db, {
    ...fields,
    reportedAt: draft.createdAt,
    schoolId: draft.schoolId,
    sourceChat: draft.chatId,
  });
  const detail = {
    ...event.detail,
    draftId: draft.id,
    confirmedBy: scope.actor.personId,
    ...(draft.deadlineHint ? { deadlineHint: draft.deadlineHint } : {}),
  };
  await appendHazardEvent(ctx.db, hazard.id, { ...event, detail });
  const settled = await updateDraft(ctx.db, draft.id, { status: 'confirmed', hazardId: hazard.id });
  await recordDailyCheckReport(ctx.db, draft.schoolId, draft.reporterId, ctx.now, scope.timezone, {
    hazardId: hazard.id,
    code,
  });
  const major = hazard.level === 'major';
  const registered = say(deps.replies, 'registered', {
    code,
    level: LEVEL_LABELS[hazard.level],
    summary: summaryOf(hazard),
  });
  await ctx.reply(major ? `${registered}\n${say(deps.replies, 'registeredMajor')}` : registered);
  if (major) await alertMajor(ctx, deps, scope, hazard, { kind: 'created' });
  const card = draftOutcomeCard(await draftView(ctx.db, settled), deps.taxonomy, {
    kind: 'confirmed',
    code,
    hazardId: hazard.id,
  });
  return { toast: { type: 'success', text: `已登记 ${code}` }, card };
}
