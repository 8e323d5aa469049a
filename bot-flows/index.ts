import { loadCalendar } from './calendar.js';
import { commandCatalogSchema, defaultCommands } from './commands.js';
import { loadEscalationLadder } from './escalation.js';
import { defaultHazardChat, hazardChatSchema } from './hazard-chat.js';
import { defaultHazardReplies, hazardRepliesSchema } from './hazard-replies.js';
import { defaultHelp, helpSchema } from './help.js';
import { defaultLetters, parseLetters } from './letters/index.js';
import { defaultPolicy, policySchema } from './policy.js';
import { loadReminderProgrammes } from './reminders.js';
import { defaultTaxonomy, taxonomySchema } from './taxonomy.js';

/**
 * Everything a district may change without code. Each part is validated at start-up; a bad value stops
 * the service with a line naming the file and field.
 */
export function loadBotFlows() {
  return {
    help: validate('bot-flows/help.ts', helpSchema, defaultHelp),
    letters: parseLetters(defaultLetters),
    policy: validate('bot-flows/policy.ts', policySchema, defaultPolicy),
    commands: validate('bot-flows/commands.ts', commandCatalogSchema, defaultCommands),
    taxonomy: validate('bot-flows/taxonomy.ts', taxonomySchema, defaultTaxonomy),
    hazardChat: validate('bot-flows/hazard-chat.ts', hazardChatSchema, defaultHazardChat),
    hazardReplies: validate('bot-flows/hazard-replies.ts', hazardRepliesSchema, defaultHazardReplies),
    calendar: loadCalendar(),
    reminders: loadReminderProgrammes(),
    escalation: loadEscalationLadder(),
  };
}

export type BotFlows = ReturnType<typeof loadBotFlows>;

function validate<T>(
  file: string,
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${file}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}
