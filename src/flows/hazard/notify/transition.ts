import {
  describeMissing,
  type FiveImplementation,
  LEVEL_LABELS,
  type TimelineEntry,
} from '../../../domain/hazard/index.js';
import type { HazardRow } from '../../../db/repos/hazards.js';
import { namesOf, peopleWithRole } from '../../../db/repos/school-people.js';
import type { FlowContext } from '../../types.js';
import { formatTime, summaryOf } from '../cards/format.js';
import type { HazardDeps } from '../deps.js';
import { type ReplyVars, say } from '../replies.js';
import type { HazardScope } from '../scope.js';
import { alertMajor } from './major.js';
import { recipients, sendPrivately } from './private.js';

export interface Transition {
  before: HazardRow;
  after: HazardRow;
  entry: TimelineEntry;
  eventId: string;
}

type NoticeKey =
  | 'notifyAssigned'
  | 'notifyVerify'
  | 'notifyClosed'
  | 'notifyRejected'
  | 'notifyDismissed'
  | 'notifyReopened';

async function tell(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  transition: Transition,
  people: readonly (string | null)[],
  notice: NoticeKey,
  vars: ReplyVars,
): Promise<void> {
  for (const personId of recipients(people, scope.actor.personId)) {
    await sendPrivately(ctx, personId, {
      body: { type: 'text', text: say(deps.replies, notice, vars) },
      urgency: 'normal',
      key: `hazard:${transition.after.id}:${transition.eventId}:${notice}:${personId}`,
      timeZone: scope.timezone,
      quietHours: deps.quietHours,
    });
  }
}

function assignmentExtra(hazard: HazardRow): string {
  return [
    hazard.measures ? `\n整改措施：${hazard.measures}` : '',
    hazard.funds ? `\n整改资金：${hazard.funds}` : '',
    hazard.interimPlan ? `\n临时防范措施/预案：${hazard.interimPlan}` : '',
  ].join('');
}

/**
 * Who hears about a step: the new owner on assignment; the reporter and the safety officers when a fix
 * awaits verification; owner and reporter when it is closed, sent back, dismissed or reopened; the
 * principals when it becomes major.
 */
export async function notifyTransition(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  transition: Transition,
): Promise<void> {
  const { after, entry } = transition;
  const reason = entry.note ?? '';
  const base = { code: after.code, actor: ctx.actor.name, reason };
  switch (entry.action) {
    case 'assign': {
      const deadline = after.deadline ? formatTime(after.deadline, scope.timezone, ctx.now) : '未定';
      const vars = { ...base, summary: summaryOf(after), deadline, extra: assignmentExtra(after) };
      return tell(ctx, deps, scope, transition, [after.ownerId], 'notifyAssigned', vars);
    }
    case 'fix_on_spot':
    case 'submit_fix': {
      const officers = await peopleWithRole(ctx.db, scope.schoolId, 'safety_officer');
      const people = [after.reporterId, ...officers.map((officer) => officer.personId)];
      const note = entry.note ?? `附整改后照片 ${entry.attachments.length} 张`;
      return tell(ctx, deps, scope, transition, people, 'notifyVerify', { ...base, note });
    }
    case 'accept':
      return tell(ctx, deps, scope, transition, [after.ownerId, after.reporterId], 'notifyClosed', base);
    case 'reject':
      return tell(ctx, deps, scope, transition, [after.ownerId, after.reporterId], 'notifyRejected', base);
    case 'dismiss':
      return tell(ctx, deps, scope, transition, [after.reporterId, after.ownerId], 'notifyDismissed', base);
    case 'reopen':
      return tell(ctx, deps, scope, transition, [after.ownerId, after.reporterId], 'notifyReopened', base);
    case 'change_level':
      if (after.level === 'major')
        await alertMajor(ctx, deps, scope, after, { kind: 'raised', eventId: transition.eventId });
      return;
    default:
      return;
  }
}

/** What the chat hears right after a step. */
export async function transitionReply(ctx: FlowContext, deps: HazardDeps, scope: HazardScope, transition: Transition) {
  const { after, entry } = transition;
  const code = after.code;
  switch (entry.action) {
    case 'assign': {
      const names = await namesOf(ctx.db, [after.ownerId]);
      const deadline = after.deadline ? formatTime(after.deadline, scope.timezone, ctx.now) : '未定';
      return say(deps.replies, 'assigned', { code, owner: names.get(after.ownerId ?? '') ?? '', deadline });
    }
    case 'fix_on_spot':
    case 'submit_fix':
      return say(deps.replies, 'fixSubmitted', { code });
    case 'accept':
      return say(deps.replies, 'closed', { code });
    case 'reject':
      return say(deps.replies, 'rejected', { code, reason: entry.note ?? '' });
    case 'dismiss':
      return say(deps.replies, 'dismissed', { code, reason: entry.note ?? '' });
    case 'reopen':
      return say(deps.replies, 'reopened', { code, cycle: after.cycle, reason: entry.note ?? '' });
    case 'change_level':
      return levelReply(deps, transition);
    default:
      return code;
  }
}

function levelReply(deps: HazardDeps, { after, entry }: Transition): string {
  const level = `${LEVEL_LABELS[after.level]}${after.supervised ? '（挂牌督办）' : ''}`;
  const changed = say(deps.replies, 'levelChanged', { code: after.code, level });
  const missing = entry.detail.missingFiveImplementations;
  if (!Array.isArray(missing) || missing.length === 0) return changed;
  const names = describeMissing(missing as FiveImplementation[], after);
  return `${changed}\n${say(deps.replies, 'levelMissingFive', { code: after.code, missing: names })}`;
}
