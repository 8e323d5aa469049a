import type { HazardCommand } from '../../../domain/hazard/index.js';
import { decide } from '../../../domain/hazard/index.js';
import { appendHazardEvent, latestFixAttachments } from '../../../db/repos/hazard-events.js';
import { type HazardRow, updateHazard } from '../../../db/repos/hazards.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import type { HazardDeps } from '../deps.js';
import { notifyTransition, type Transition } from '../notify/transition.js';
import type { HazardScope } from '../scope.js';

/**
 * Runs one lifecycle step on a hazard the caller has locked: the domain decides, then the patch, the
 * timeline entry and the notifications are written in the event's transaction. A refusal changes nothing.
 */
export async function applyTransition(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  hazard: HazardRow,
  command: HazardCommand,
): Promise<Transition> {
  const verifying = command.type === 'accept' || command.type === 'reject';
  const fixAttachments = verifying ? await latestFixAttachments(ctx.db, hazard.id) : [];
  const decision = decide({ ...hazard, fixAttachments }, command, scope.actor, ctx.now, deps.policy);
  if (!decision.ok) throw new FlowRefusal(decision.reason);
  const after = await updateHazard(ctx.db, hazard.id, decision.patch, ctx.now);
  const eventId = await appendHazardEvent(ctx.db, hazard.id, decision.event);
  const transition = { before: hazard, after, entry: decision.event, eventId };
  await notifyTransition(ctx, deps, scope, transition);
  return transition;
}
