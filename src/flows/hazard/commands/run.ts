import type { CommandName, ParsedCommand } from '../../../domain/commands/index.js';
import { toHazardCommand } from '../../../domain/commands/index.js';
import { checkPermission } from '../../../domain/hazard/index.js';
import { findHazardByCode, type HazardRow } from '../../../db/repos/hazards.js';
import type { MessageBody } from '../../../model/card.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import type { HazardDeps } from '../deps.js';
import { transitionReply } from '../notify/transition.js';
import { messageAndRecentPhotos } from '../photos.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';
import { recordCardOf } from '../views.js';
import { resolveOwner } from './owner.js';
import { listHazards } from './queries.js';
import { applyTransition } from './transition.js';

const NAMES = [
  'assign',
  'fix',
  'verify',
  'dismiss',
  'reopen',
  'change_level',
  'show',
  'mine',
  'ledger',
  'overdue',
] as const;
export type HazardCommandName = (typeof NAMES)[number];
export type HazardParsedCommand = Extract<ParsedCommand, { name: HazardCommandName }>;

/** The chat commands this flow answers; the others (help, remind, receipt, bind) belong to other flows. */
export function isHazardCommandName(name: CommandName | string): name is HazardCommandName {
  return (NAMES as readonly string[]).includes(name);
}

export function isHazardCommand(parsed: ParsedCommand): parsed is HazardParsedCommand {
  return isHazardCommandName(parsed.name);
}

export interface CommandOutcome {
  reply: MessageBody;
  /** The hazard as it stands after the command (null for lists). */
  hazard: HazardRow | null;
}

async function hazardOrRefuse(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  code: string,
  lock: boolean,
): Promise<HazardRow> {
  const hazard = await findHazardByCode(ctx.db, scope.schoolId, code, { lock });
  if (!hazard) throw new FlowRefusal(say(deps.replies, 'unknownCode', { code }));
  return hazard;
}

/** Runs a parsed hazard command in the event's transaction and says what the chat should hear. */
export async function runHazardCommand(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  parsed: HazardParsedCommand,
): Promise<CommandOutcome> {
  switch (parsed.name) {
    case 'mine':
    case 'ledger':
    case 'overdue':
      return { reply: { type: 'card', card: await listHazards(ctx, deps, scope, parsed.name) }, hazard: null };
    case 'show': {
      const hazard = await hazardOrRefuse(ctx, deps, scope, parsed.code, false);
      const verdict = checkPermission(deps.policy, 'view', scope.actor, hazard);
      if (!verdict.ok) throw new FlowRefusal(verdict.reason);
      const card = await recordCardOf(ctx.db, deps, hazard, { timeZone: scope.timezone, now: ctx.now });
      return { reply: { type: 'card', card }, hazard };
    }
    default: {
      const hazard = await hazardOrRefuse(ctx, deps, scope, parsed.code, true);
      let ownerId: string | undefined;
      if (parsed.name === 'assign') {
        // Who may assign is settled before the name is looked up, so a refusal names the real reason.
        const verdict = checkPermission(deps.policy, 'assign', scope.actor, hazard);
        if (!verdict.ok) throw new FlowRefusal(verdict.reason);
        ownerId = await resolveOwner(ctx, deps, scope, parsed.owner);
      }
      const evidence = parsed.name === 'fix' || parsed.name === 'verify';
      const attachments = evidence ? await messageAndRecentPhotos(ctx, deps, hazard.id) : ctx.event.attachments;
      const command = toHazardCommand(parsed, { status: hazard.status, attachments, ...(ownerId ? { ownerId } : {}) });
      if (!command) throw new Error(`command ${parsed.name} has no lifecycle step`);
      const transition = await applyTransition(ctx, deps, scope, hazard, command);
      const text = await transitionReply(ctx, deps, scope, transition);
      return { reply: { type: 'text', text }, hazard: transition.after };
    }
  }
}
