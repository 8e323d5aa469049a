import type { HazardChatSettings } from '../../../bot-flows/hazard-chat.js';
import type { HazardReplies } from '../../../bot-flows/hazard-replies.js';
import type { BotFlows } from '../../../bot-flows/index.js';
import type { Taxonomy } from '../../../bot-flows/taxonomy.js';
import type { CommandCatalog } from '../../domain/commands/index.js';
import type { QuietWindow } from '../../domain/schedule/quiet-hours.js';
import type { HazardPolicy } from '../../domain/hazard/index.js';

/** The district data the hazard chat flows run on (all validated at start-up in bot-flows/index.ts). */
export interface HazardDeps {
  policy: HazardPolicy;
  catalog: CommandCatalog;
  taxonomy: Taxonomy;
  settings: HazardChatSettings;
  replies: HazardReplies;
  /** Non-urgent private notices produced inside these hours wait for their end (bot-flows/reminders.ts). */
  quietHours: QuietWindow;
}

export function hazardDeps(botFlows: BotFlows): HazardDeps {
  return {
    policy: botFlows.policy,
    catalog: botFlows.commands,
    taxonomy: botFlows.taxonomy,
    settings: botFlows.hazardChat,
    replies: botFlows.hazardReplies,
    quietHours: botFlows.reminders.quietHours,
  };
}
