import { auditFirstReport, findIncident, markFirstReport } from '../../../db/repos/incidents.js';
import type { ActionAnswer } from '../../../model/card.js';
import type { FlowHandler } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import { INCIDENT_FLOW, incidentCard } from '../cards/incident-card.js';
import { formatTime } from '../cards/format.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import { scopeForSchool } from '../scope.js';
import { incidentView } from './view.js';

/** 已完成首报 on the incident card: records first_report_at once; the scheduler then stops nagging. */
export function incidentFlow(deps: HazardDeps): FlowHandler {
  return {
    name: INCIDENT_FLOW,
    priority: 400,
    async onAction(ctx, value): Promise<ActionAnswer> {
      const incident = await findIncident(ctx.db, String(value.incident ?? ''), { lock: true });
      if (!incident || value.op !== 'first-report') {
        return { toast: { type: 'error', text: '这个按钮已失效，请重新发起。' } };
      }
      const resolved = await scopeForSchool(ctx, deps, incident.schoolId);
      if (!resolved.ok) throw new FlowRefusal(resolved.reason);
      const { scope } = resolved;
      const cardOf = async (row: typeof incident) =>
        incidentCard(await incidentView(ctx.db, deps.taxonomy, row), scope.timezone, ctx.now);
      if (incident.firstReportAt) {
        const at = formatTime(incident.firstReportAt, scope.timezone, ctx.now);
        const text = say(deps.replies, 'firstReportAlready', { code: incident.code, at });
        return { toast: { type: 'info', text }, card: await cardOf(incident) };
      }
      const manager = scope.actor.roles.some((role) => deps.policy.permissions.assign.roles.includes(role));
      if (!manager && scope.actor.personId !== incident.reporterId) {
        throw new FlowRefusal(say(deps.replies, 'firstReportNotAllowed'));
      }
      const reported = await markFirstReport(ctx.db, incident.id, ctx.now);
      await auditFirstReport(ctx.db, incident.id, scope.actor.personId, ctx.now);
      const minutes = Math.round((ctx.now.getTime() - incident.reportedAt.getTime()) / 60_000);
      const text = say(deps.replies, 'firstReportDone', { code: incident.code, actor: ctx.actor.name, minutes });
      await ctx.reply(text);
      return { toast: { type: 'success', text }, card: await cardOf(reported) };
    },
  };
}
