import type { BotFlows } from '../../../bot-flows/index.js';
import type { FlowHandler } from '../types.js';
import { reminderAction } from './actions.js';
import { remindCommand } from './remind-command.js';

export { recordDailyCheckReport } from './daily-check.js';

/** Before the hazard commands (100): `提醒 …` is not a hazard command, and reminder cards' buttons. */
export const REMINDER_PRIORITY = 90;

export function reminderFlow(botFlows: BotFlows): FlowHandler {
  return {
    name: 'reminder',
    priority: REMINDER_PRIORITY,
    onMessage: (ctx) => remindCommand(ctx, botFlows.commands),
    onAction: (ctx, value) => reminderAction(ctx, value),
  };
}
