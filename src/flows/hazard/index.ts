import type { BotFlows } from '../../../bot-flows/index.js';
import type { FlowHandler } from '../types.js';
import { hazardCommandFlow } from './command-flow.js';
import { hazardDeps } from './deps.js';
import { incidentFlow } from './incident/flow.js';
import { hazardPhotoFlow } from './photo-flow.js';
import { hazardReportFlow } from './report-flow.js';

/** The hazard ledger in the chat: commands (100), photos (105), reports and incidents (400). */
export function hazardFlows(botFlows: BotFlows): FlowHandler[] {
  const deps = hazardDeps(botFlows);
  return [hazardCommandFlow(deps), hazardPhotoFlow(deps), hazardReportFlow(deps), incidentFlow(deps)];
}
