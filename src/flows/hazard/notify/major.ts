import type { HazardRow } from '../../../db/repos/hazards.js';
import { peopleWithRole, schoolChats } from '../../../db/repos/school-people.js';
import type { Card } from '../../../model/card.js';
import { isPlatform } from '../../../model/platform.js';
import type { FlowContext } from '../../types.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';
import { recordCardOf } from '../views.js';
import { recipients, sendPrivately } from './private.js';

/**
 * A hazard became major (registered as major, or raised by 改级): every principal of the school hears at
 * once, urgently and privately, and the leaders' group gets the record. One key per hazard, step and person.
 */
export async function alertMajor(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  hazard: HazardRow,
  how: { kind: 'created' } | { kind: 'raised'; eventId: string },
): Promise<void> {
  const intro =
    how.kind === 'created'
      ? say(deps.replies, 'majorCreated', { school: scope.schoolName, code: hazard.code })
      : say(deps.replies, 'majorRaised', { actor: ctx.actor.name, code: hazard.code });
  const record = await recordCardOf(ctx.db, deps, hazard, {
    timeZone: scope.timezone,
    now: ctx.now,
    title: `【重大隐患】${hazard.code} · ${scope.schoolName}`,
  });
  const card: Card = { ...record, blocks: [{ type: 'markdown', text: intro }, ...record.blocks] };
  const key = how.kind === 'created' ? `hazard:${hazard.id}:major` : `hazard:${hazard.id}:major:${how.eventId}`;
  const principals = await peopleWithRole(ctx.db, scope.schoolId, 'principal');
  for (const personId of recipients(
    principals.map((principal) => principal.personId),
    scope.actor.personId,
  )) {
    await sendPrivately(ctx, personId, {
      body: { type: 'card', card },
      urgency: 'urgent',
      key: `${key}:principal:${personId}`,
      timeZone: scope.timezone,
      quietHours: deps.quietHours,
    });
  }
  for (const chat of await schoolChats(ctx.db, scope.schoolId, 'leaders')) {
    const here = chat.platform === ctx.event.platform && chat.chatId === ctx.event.chat.id;
    if (here || !isPlatform(chat.platform)) continue;
    await ctx.send({
      target: { platform: chat.platform, tenant: chat.tenant, chatId: chat.chatId },
      body: { type: 'card', card },
      urgency: 'normal',
      idempotencyKey: `${key}:leaders:${chat.id}`,
    });
  }
}
