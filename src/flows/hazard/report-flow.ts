import { parseCommand } from '../../domain/commands/index.js';
import { extract } from '../../domain/extract/index.js';
import { checkReport } from '../../domain/hazard/index.js';
import type { FlowHandler } from '../types.js';
import { FlowRefusal } from '../types.js';
import { addressingOf } from './addressing.js';
import { DRAFT_FLOW } from './cards/draft-card.js';
import type { HazardDeps } from './deps.js';
import { draftAction } from './draft/actions.js';
import { createDraft } from './draft/create.js';
import { createIncident } from './incident/create.js';
import { say } from './replies.js';
import { resolveScope } from './scope.js';

/** Runs after the command flows: only text that is no command of any flow is read as a report. */
export const HAZARD_REPORT_PRIORITY = 400;

/**
 * A message addressed to the bot in a staff or leaders chat (or a direct chat) that reads as a hazard
 * becomes a draft with a confirmation card; one that reads as an incident becomes an incident. A `#隐患`
 * tag makes any text a report. Strangers are told how to get bound; nothing is recorded for them.
 */
export function hazardReportFlow(deps: HazardDeps): FlowHandler {
  return {
    name: DRAFT_FLOW,
    priority: HAZARD_REPORT_PRIORITY,
    async onMessage(ctx) {
      const addressing = addressingOf(ctx, deps.settings.reportTags);
      if (!addressing.addressed || ctx.chat?.kind === 'class_parents') return false;
      if ([...ctx.text].length > deps.settings.maxTextLength) return false;
      if (addressing.text === '') {
        if (ctx.event.attachments.length > 0 || !addressing.explicit) return false;
        await ctx.reply(say(deps.replies, 'emptyReport'));
        return true;
      }
      const timeZone = ctx.chat?.timezone ?? ctx.services.timezone;
      if (parseCommand(addressing.text, { catalog: deps.catalog, now: ctx.now, timeZone }) !== null) return false;
      const extraction = extract(addressing.text, deps.taxonomy);
      const intent = extraction.intent === 'other' && addressing.tagged ? 'hazard' : extraction.intent;
      if (intent === 'other') return false;
      const resolved = await resolveScope(ctx, deps);
      if (!resolved.ok) {
        if (!addressing.explicit) return false;
        throw new FlowRefusal(resolved.reason);
      }
      const verdict = checkReport(resolved.scope.actor, deps.policy);
      if (!verdict.ok) throw new FlowRefusal(verdict.reason);
      if (intent === 'incident') await createIncident(ctx, deps, resolved.scope, extraction);
      else await createDraft(ctx, deps, resolved.scope, extraction, addressing.text);
      return true;
    },
    onAction: draftAction(deps),
  };
}
