import type { CommandCatalog } from '../../../domain/commands/index.js';
import { parseDeadline } from '../../../domain/dates/index.js';
import { FlowRefusal } from '../../types.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import type { HazardParsedCommand } from './run.js';

export interface FormContext {
  code: string;
  now: Date;
  timeZone: string;
}

const text = (value: string | undefined) => value?.trim() || undefined;

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The catalog's deadline time of day; 23:59 means the whole day (23:59:59), as the command parser reads it. */
function dayTime(catalog: CommandCatalog) {
  const [hour = 23, minute = 59] = catalog.deadlineTime.split(':').map(Number);
  return { hour, minute, second: hour === 23 && minute === 59 ? 59 : 0 };
}

function readDeadline(deps: HazardDeps, input: string, context: FormContext) {
  const result = parseDeadline(input, context.now, { timeZone: context.timeZone, dayTime: dayTime(deps.catalog) });
  if (!result.ok) throw new FlowRefusal(result.reason);
  return { at: result.at, text: result.text, label: result.label };
}

/**
 * A card form (指派 / 整改 / 复查) read as the chat command it stands for, so both paths run the same
 * use-case. Missing or unreadable fields are refused with the reason.
 */
export function formCommand(
  deps: HazardDeps,
  op: string,
  form: Record<string, string>,
  context: FormContext,
): HazardParsedCommand {
  const { code } = context;
  switch (op) {
    case 'assign': {
      const owner = text(form.owner);
      if (!owner) throw new FlowRefusal(say(deps.replies, 'formOwner'));
      const deadline = text(form.deadline);
      return withoutUndefined({
        name: 'assign' as const,
        code,
        owner: owner.startsWith('@') ? { name: owner.slice(1), mentioned: true } : { name: owner, mentioned: false },
        deadline: deadline ? readDeadline(deps, deadline, context) : undefined,
        measures: text(form.measures),
        funds: text(form.funds),
        interimPlan: text(form.interimPlan),
      });
    }
    case 'fix':
      return withoutUndefined({ name: 'fix' as const, code, note: text(form.note) });
    case 'verify': {
      const note = text(form.note);
      if (form.verdict === 'pass')
        return withoutUndefined({ name: 'verify' as const, code, verdict: 'pass' as const, note });
      if (form.verdict !== 'reject') throw new FlowRefusal(say(deps.replies, 'formVerdict'));
      if (!note) throw new FlowRefusal(say(deps.replies, 'formReason'));
      return { name: 'verify', code, verdict: 'reject', reason: note };
    }
    default:
      throw new FlowRefusal('这个按钮已失效，请重新发起。');
  }
}
