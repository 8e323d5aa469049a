import { localParts } from '../../../domain/dates/index.js';
import type { Extraction } from '../../../domain/extract/index.js';
import { CODE_PREFIXES, formatIncidentCode } from '../../../domain/hazard/index.js';
import { nextCodeNumber } from '../../../db/repos/code-sequences.js';
import { insertIncident } from '../../../db/repos/incidents.js';
import { peopleWithRole, schoolChats } from '../../../db/repos/school-people.js';
import { isPlatform } from '../../../model/platform.js';
import type { FlowContext } from '../../types.js';
import { incidentCard } from '../cards/incident-card.js';
import { formatTime } from '../cards/format.js';
import type { HazardDeps } from '../deps.js';
import { recipients, sendPrivately } from '../notify/private.js';
import { messageAndRecentPhotos } from '../photos.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';
import { incidentView } from './view.js';

/**
 * Something already happened (事故): an SG-<year>-<seq> record, the card with the first-report countdown
 * in the chat, and an urgent alert to every principal (and the leaders' group) at once.
 */
export async function createIncident(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  extraction: Extraction,
): Promise<void> {
  const year = localParts(ctx.now, scope.timezone).year;
  const code = formatIncidentCode(year, await nextCodeNumber(ctx.db, scope.schoolId, CODE_PREFIXES.incident, year));
  const id = crypto.randomUUID();
  const minutes = deps.settings.incident.firstReportMinutes;
  const incident = await insertIncident(ctx.db, {
    id,
    schoolId: scope.schoolId,
    code,
    category: extraction.category ?? deps.taxonomy.fallbackCategory,
    location: extraction.location ?? '',
    description: extraction.description,
    reporterId: scope.actor.personId,
    reportedAt: ctx.now,
    firstReportDue: new Date(ctx.now.getTime() + minutes * 60_000),
    attachments: await messageAndRecentPhotos(ctx, deps, id),
  });
  const view = await incidentView(ctx.db, deps.taxonomy, incident);
  await ctx.reply({ type: 'card', card: incidentCard(view, scope.timezone, ctx.now) });
  const alert = say(deps.replies, 'incidentAlert', {
    school: scope.schoolName,
    code,
    description: incident.description,
    reporter: ctx.actor.name,
    due: formatTime(incident.firstReportDue, scope.timezone, ctx.now),
    minutes,
  });
  const principals = await peopleWithRole(ctx.db, scope.schoolId, 'principal');
  for (const personId of recipients(
    principals.map((principal) => principal.personId),
    scope.actor.personId,
  )) {
    await sendPrivately(ctx, personId, {
      body: { type: 'text', text: alert },
      urgency: 'urgent',
      key: `incident:${id}:principal:${personId}`,
      timeZone: scope.timezone,
      quietHours: deps.quietHours,
    });
  }
  for (const chat of await schoolChats(ctx.db, scope.schoolId, 'leaders')) {
    const here = chat.platform === ctx.event.platform && chat.chatId === ctx.event.chat.id;
    if (here || !isPlatform(chat.platform)) continue;
    await ctx.send({
      target: { platform: chat.platform, tenant: chat.tenant, chatId: chat.chatId },
      body: { type: 'text', text: alert },
      urgency: 'urgent',
      idempotencyKey: `incident:${id}:leaders:${chat.id}`,
    });
  }
}
