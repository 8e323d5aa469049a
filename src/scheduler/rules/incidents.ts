/**
 * The first-report countdown of an incident (事故首报): 15 minutes before the time limit the reporter and
 * the principal are reminded; at the limit, if no first report is recorded, the principal, the safety
 * officers and the reporter are told it is overdue. Both urgent. Candidates are one range of
 * incidents_open_due; recording the first report (status 'reported') takes an incident out of it.
 */
import { type DueIncident, openIncidentsDueBy } from '../../db/repos/schedule-due.js';
import { accountsByPerson, type SchoolRef } from '../../db/repos/schedule.js';
import type { Card } from '../../model/card.js';
import { toAccounts } from '../address.js';
import { formatLocalTime } from '../format.js';
import { enqueueAll } from '../batch.js';
import { peopleWithRoles, type Recipient } from '../recipients.js';
import { emptyResult, type Occurrence, type TickContext, type TickRule } from '../rule.js';

export const INCIDENT_RULE = 'incident_first_report';
const WARNING_MS = 15 * 60_000;

type Stage = 'before15m' | 'due';

function stageOf(incident: DueIncident, now: Date): Stage | null {
  const due = incident.firstReportDue.getTime();
  if (now.getTime() >= due) return 'due';
  // An incident reported inside the warning window already got the countdown card: no second warning.
  return incident.reportedAt.getTime() <= due - WARNING_MS * 2 ? 'before15m' : null;
}

function cardFor(incident: DueIncident, stage: Stage, school: SchoolRef, now: Date): Card {
  const due = formatLocalTime(incident.firstReportDue, school.timezone, now);
  const what = `${incident.location ? `${incident.location}：` : ''}${incident.description}`;
  const text =
    stage === 'due'
      ? `事故 ${incident.code}（${what}）已到首报时限 ${due}，仍未记录首报。请立即向教育局报告，完成后点“已完成首报”。`
      : `事故 ${incident.code}（${what}）首报时限 ${due}，还剩 15 分钟。请尽快向教育局首报，完成后点“已完成首报”。`;
  return {
    title: stage === 'due' ? `事故首报已超时 · ${incident.code}` : `事故首报提醒 · ${incident.code}`,
    tone: 'danger',
    blocks: [{ type: 'markdown', text }],
    buttons: [
      {
        id: 'incident-first-report',
        label: '已完成首报',
        style: 'primary',
        value: { flow: 'incident', op: 'first-report', incident: incident.id },
      },
    ],
    footer: `${school.name} · 上报人：${incident.reporterName}`,
  };
}

export function incidentRule(): TickRule {
  return {
    name: INCIDENT_RULE,
    async run(ctx: TickContext) {
      const result = emptyResult();
      const rows = await openIncidentsDueBy(ctx.db, new Date(ctx.now.getTime() + WARNING_MS));
      if (rows.length === 0) return result;
      const candidates = rows.flatMap((incident) => {
        const stage = stageOf(incident, ctx.now);
        return stage ? [{ incident, stage, key: `${INCIDENT_RULE}:incident:${incident.id}:${stage}` }] : [];
      });
      const fired = await ctx.firedKeys(candidates.map((candidate) => candidate.key));
      const pending = candidates.filter((candidate) => !fired.has(candidate.key));
      result.alreadyFired += candidates.length - pending.length;
      if (pending.length === 0) return result;
      const schools = new Map((await ctx.schools()).map((school) => [school.id, school]));
      const schoolIds = [...new Set(pending.map(({ incident }) => incident.schoolId))];
      const principals = await peopleWithRoles(ctx.db, schoolIds, ['principal']);
      const dueSchools = [
        ...new Set(pending.filter(({ stage }) => stage === 'due').map(({ incident }) => incident.schoolId)),
      ];
      const officers = await peopleWithRoles(ctx.db, dueSchools, ['safety_officer']);
      const reporters = await accountsByPerson(
        ctx.db,
        pending.map(({ incident }) => incident.reporterId),
      );
      const occurrences: Occurrence[] = [];
      for (const { incident, stage, key } of pending) {
        const school = schools.get(incident.schoolId);
        if (!school) continue;
        const people = new Map<string, Recipient['accounts']>([
          [incident.reporterId, reporters.get(incident.reporterId) ?? []],
        ]);
        const told = [
          ...(principals.get(school.id) ?? []),
          ...(stage === 'due' ? (officers.get(school.id) ?? []) : []),
        ];
        for (const person of told) people.set(person.personId, person.accounts);
        for (const accounts of people.values()) if (accounts.length === 0) result.noAccount += 1;
        const delivery = {
          body: { type: 'card' as const, card: cardFor(incident, stage, school, ctx.now) },
          urgency: 'urgent' as const,
        };
        const messages = [...people.values()].flatMap((accounts) => toAccounts(key, accounts, delivery));
        occurrences.push({ key, rule: INCIDENT_RULE, messages });
      }
      await enqueueAll(ctx, occurrences, result);
      return result;
    },
  };
}
