import { isCommandError, parseCommand } from '../../domain/commands/index.js';
import type { FlowContext, FlowHandler } from '../types.js';
import { FlowRefusal } from '../types.js';
import { addressingOf } from './addressing.js';
import { isHazardCommand, isHazardCommandName, runHazardCommand } from './commands/run.js';
import type { HazardDeps } from './deps.js';
import { recordAction } from './record-actions.js';
import { say } from './replies.js';
import { resolveScope } from './scope.js';

export const HAZARD_COMMAND_PRIORITY = 100;

function parse(deps: HazardDeps, ctx: FlowContext, text: string, timeZone: string) {
  return parseCommand(text, { catalog: deps.catalog, now: ctx.now, timeZone });
}

/**
 * 指派 / 整改 / 复查 / 驳回 / 重开 / 改级 / 查 / 我的 / 台账 / 逾期 addressed to the bot, and the buttons and
 * forms of the record card. Over-long addressed messages are refused here, before anything reads them.
 */
export function hazardCommandFlow(deps: HazardDeps): FlowHandler {
  return {
    name: 'hazard',
    priority: HAZARD_COMMAND_PRIORITY,
    async onMessage(ctx) {
      const addressing = addressingOf(ctx, deps.settings.reportTags);
      if (!addressing.addressed) return false;
      const length = [...ctx.text].length;
      if (length > deps.settings.maxTextLength) {
        if (!addressing.explicit) return false;
        await ctx.reply(say(deps.replies, 'tooLong', { length, max: deps.settings.maxTextLength }));
        return true;
      }
      const guessZone = ctx.chat?.timezone ?? ctx.services.timezone;
      const first = parse(deps, ctx, addressing.text, guessZone);
      if (!first || !isHazardCommandName(isCommandError(first) ? first.command : first.name)) return false;
      const scope = await resolveScope(ctx, deps);
      if (!scope.ok) throw new FlowRefusal(scope.reason);
      const parsed =
        scope.scope.timezone === guessZone ? first : parse(deps, ctx, addressing.text, scope.scope.timezone);
      if (!parsed) return false;
      if (isCommandError(parsed)) {
        await ctx.reply(parsed.error);
        return true;
      }
      if (!isHazardCommand(parsed)) return false;
      const outcome = await runHazardCommand(ctx, deps, scope.scope, parsed);
      await ctx.reply(outcome.reply);
      return true;
    },
    onAction: recordAction(deps),
  };
}
