import type { BotFlows } from '../../bot-flows/index.js';
import { hazardFlows } from './hazard/index.js';
import { fallbackFlow, helpFlow } from './help/flow.js';
import { receiptFlow } from './receipts/flow.js';
import { reminderFlow } from './reminders/index.js';
import type { FlowHandler } from './types.js';

/** Every use-case the bot runs, in the order messages are offered to them (by priority). */
export function createHandlers(botFlows: BotFlows): FlowHandler[] {
  return [
    helpFlow(botFlows.help),
    ...hazardFlows(botFlows),
    receiptFlow(botFlows.letters),
    reminderFlow(botFlows),
    fallbackFlow(),
  ];
}
