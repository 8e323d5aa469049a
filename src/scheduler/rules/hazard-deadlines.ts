/**
 * Deadline nags to the owner and the escalation ladder (bot-flows/escalation.ts).
 *
 * Candidates come from one range of hazards_open_deadline: hazards in rectification whose deadline is
 * at most `beforeHours` ahead (overdue ones included, they nag daily). The domain clock lists each one's
 * due occurrences; one batched key lookup drops those already fired, so a quiet minute costs an index
 * range and a key probe, and only new occurrences read recipients and write rows.
 */
import { type DueHazard, rectifyingDueBy } from '../../db/repos/schedule-due.js';
import { accountsByPerson, type SchoolRef } from '../../db/repos/schedule.js';
import { type HazardOccurrence, hazardOccurrences } from '../../domain/escalation/hazard-clock.js';
import { fillMessage, type MessageVariables } from '../../domain/escalation/ladder.js';
import { LEVEL_LABELS } from '../../domain/hazard/labels.js';
import type { Card } from '../../model/card.js';
import { toAccounts } from '../address.js';
import { formatLocalTime } from '../format.js';
import { enqueueAll } from '../batch.js';
import { bureauFor, peopleWithRoles, type Recipient } from '../recipients.js';
import { emptyResult, type Occurrence, type TickContext, type TickRule } from '../rule.js';

export const HAZARD_DEADLINES_RULE = 'hazard_deadlines';

interface Pending {
  hazard: DueHazard;
  school: SchoolRef;
  occurrence: HazardOccurrence;
}

const NAG_TITLES = { before: '整改期限提醒', due: '整改已到期限', overdue: '整改已逾期' } as const;

function variables(hazard: DueHazard, school: SchoolRef, occurrence: HazardOccurrence, now: Date): MessageVariables {
  return {
    code: hazard.code,
    description: hazard.description,
    location: hazard.location,
    owner: hazard.ownerName ?? '未指定',
    deadline: formatLocalTime(hazard.deadline, school.timezone, now),
    days: String(occurrence.daysOverdue),
    level: LEVEL_LABELS[hazard.level],
  };
}

function cardFor(ctx: TickContext, { hazard, school, occurrence }: Pending): Card {
  const policy = ctx.escalation;
  const vars = variables(hazard, school, occurrence, ctx.now);
  const text =
    occurrence.kind === 'nag'
      ? fillMessage(policy.nags.messages[occurrence.stage], vars)
      : fillMessage(policy.escalation.rungs.find((rung) => rung.id === occurrence.rung)!.message, vars);
  const title = occurrence.kind === 'nag' ? NAG_TITLES[occurrence.stage] : `逾期督办 · ${hazard.code}`;
  const tone =
    occurrence.urgency === 'urgent'
      ? 'danger'
      : occurrence.kind === 'nag' && occurrence.stage === 'before'
        ? 'info'
        : 'warning';
  return {
    title,
    tone,
    blocks: [
      { type: 'markdown', text },
      {
        type: 'fields',
        fields: [
          { label: '编号', value: hazard.code },
          { label: '等级', value: LEVEL_LABELS[hazard.level] },
          { label: '责任人', value: vars.owner ?? '' },
          { label: '整改期限', value: vars.deadline ?? '' },
        ],
      },
    ],
    buttons: [],
    footer: `${school.name} · 发送“@校安 查 ${hazard.code}”查看详情`,
  };
}

function candidates(ctx: TickContext, rows: DueHazard[], schools: Map<string, SchoolRef>, errors: { n: number }) {
  const pending: Pending[] = [];
  for (const hazard of rows) {
    const school = schools.get(hazard.schoolId);
    if (!school) continue;
    try {
      const context = {
        policy: ctx.escalation,
        timezone: school.timezone,
        calendar: ctx.calendarFor(school),
        quiet: ctx.quietHours,
      };
      for (const occurrence of hazardOccurrences(hazard, ctx.now, context))
        pending.push({ hazard, school, occurrence });
    } catch (error) {
      errors.n += 1;
      ctx.services.log.error({ err: error, hazard: hazard.id }, 'hazard deadline evaluation failed');
    }
  }
  return pending;
}

/** Recipients of the pending occurrences only: owners' accounts, and each rung's people per school. */
async function recipientsFor(ctx: TickContext, pending: Pending[]) {
  const schoolsFor = (notify: string) => [
    ...new Map(
      pending
        .filter(({ occurrence }) => occurrence.kind === 'escalation' && occurrence.recipient === notify)
        .map(({ school }) => [school.id, school]),
    ).values(),
  ];
  const ids = (list: SchoolRef[]) => list.map((school) => school.id);
  const owners = await accountsByPerson(
    ctx.db,
    pending.flatMap(({ hazard, occurrence }) => (occurrence.kind === 'nag' && hazard.ownerId ? [hazard.ownerId] : [])),
  );
  return {
    owners,
    safety_officer: await peopleWithRoles(ctx.db, ids(schoolsFor('safety_officer')), ['safety_officer']),
    principal: await peopleWithRoles(ctx.db, ids(schoolsFor('principal')), ['principal']),
    bureau: await bureauFor(ctx.db, schoolsFor('bureau')),
  };
}

export function hazardDeadlineRule(): TickRule {
  return {
    name: HAZARD_DEADLINES_RULE,
    async run(ctx) {
      const result = emptyResult();
      const horizon = new Date(ctx.now.getTime() + ctx.escalation.nags.beforeHours * 3_600_000);
      const rows = await rectifyingDueBy(ctx.db, horizon);
      if (rows.length === 0) return result;
      const schools = new Map((await ctx.schools()).map((school) => [school.id, school]));
      const errors = { n: 0 };
      const all = candidates(ctx, rows, schools, errors);
      result.errors += errors.n;
      const fired = await ctx.firedKeys(all.map(({ occurrence }) => occurrence.key));
      const pending = all.filter(({ occurrence }) => !fired.has(occurrence.key));
      result.alreadyFired += all.length - pending.length;
      if (pending.length === 0) return result;
      const recipients = await recipientsFor(ctx, pending);
      const occurrences: Occurrence[] = [];
      for (const item of pending) {
        const { hazard, school, occurrence } = item;
        let people: { accounts: Recipient['accounts'] }[];
        if (occurrence.kind === 'nag') {
          people = hazard.ownerId ? [{ accounts: recipients.owners.get(hazard.ownerId) ?? [] }] : [];
        } else {
          people = recipients[occurrence.recipient].get(school.id) ?? [];
        }
        const reachable = people.filter((person) => person.accounts.length > 0);
        result.noAccount += people.length - reachable.length + (people.length === 0 ? 1 : 0);
        const notBefore = ctx.notBefore(occurrence.urgency, school.timezone);
        const delivery = {
          body: { type: 'card' as const, card: cardFor(ctx, item) },
          urgency: occurrence.urgency,
          ...(notBefore ? { notBefore } : {}),
        };
        const messages = reachable.flatMap((person) => toAccounts(occurrence.key, person.accounts, delivery));
        occurrences.push({ key: occurrence.key, rule: HAZARD_DEADLINES_RULE, messages });
      }
      await enqueueAll(ctx, occurrences, result);
      return result;
    },
  };
}
