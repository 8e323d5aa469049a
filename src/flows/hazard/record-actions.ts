import { checkPermission, fixCommandType, type PolicyAction } from '../../domain/hazard/index.js';
import { findHazardById, type HazardRow } from '../../db/repos/hazards.js';
import type { ActionAnswer, ActionValue } from '../../model/card.js';
import type { FlowContext } from '../types.js';
import { FlowRefusal } from '../types.js';
import type { RecordFormKind } from './cards/record-forms.js';
import { formCommand } from './commands/form-command.js';
import { runHazardCommand } from './commands/run.js';
import type { HazardDeps } from './deps.js';
import { type HazardScope, scopeForSchool } from './scope.js';
import { recordCardOf } from './views.js';

const FORMS: Record<string, RecordFormKind> = { 'open-assign': 'assign', 'open-fix': 'fix', 'open-verify': 'verify' };

function formPermission(kind: RecordFormKind, hazard: HazardRow): PolicyAction {
  if (kind === 'fix') return fixCommandType(hazard.status);
  return kind === 'verify' ? 'accept' : 'assign';
}

function gone(): ActionAnswer {
  return { toast: { type: 'error', text: '找不到这条隐患记录，请发送「台账」查看。' } };
}

/**
 * The record card's buttons: 刷新 redraws it, 指派 / 整改 / 复查 open their form (only for someone who may
 * use it), and the form submits run the same use-case as the chat commands.
 */
export function recordAction(deps: HazardDeps) {
  return async (ctx: FlowContext, value: ActionValue, form: Record<string, string>): Promise<ActionAnswer> => {
    const hazard = await findHazardById(ctx.db, String(value.hazard ?? ''));
    if (!hazard) return gone();
    const resolved = await scopeForSchool(ctx, deps, hazard.schoolId);
    if (!resolved.ok) throw new FlowRefusal(resolved.reason);
    const scope: HazardScope = resolved.scope;
    const cardOf = (row: HazardRow, kind?: RecordFormKind) =>
      recordCardOf(ctx.db, deps, row, { timeZone: scope.timezone, now: ctx.now, ...(kind ? { form: kind } : {}) });
    const kind = FORMS[value.op];
    if (value.op === 'show' || kind) {
      const verdict = checkPermission(deps.policy, kind ? formPermission(kind, hazard) : 'view', scope.actor, hazard);
      if (!verdict.ok) throw new FlowRefusal(verdict.reason);
      return { card: await cardOf(hazard, kind) };
    }
    const parsed = formCommand(deps, value.op, form, { code: hazard.code, now: ctx.now, timeZone: scope.timezone });
    const outcome = await runHazardCommand(ctx, deps, scope, parsed);
    await ctx.reply(outcome.reply);
    const text = outcome.reply.type === 'text' ? outcome.reply.text : hazard.code;
    return { toast: { type: 'success', text }, card: await cardOf(outcome.hazard ?? hazard) };
  };
}
