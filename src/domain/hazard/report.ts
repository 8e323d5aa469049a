import type { Attachment } from '../../model/inbound.js';
import { checkPermission, type HazardPolicy, type Verdict } from './policy.js';
import type { Actor, HazardFields, HazardLevel, TimelineEntry } from './types.js';

export interface NewHazardInput {
  code: string;
  category: string;
  level: HazardLevel;
  location: string;
  description: string;
  /** Photos that came with the report (the draft's attachments). */
  attachments?: readonly Attachment[];
  /** A deadline the reporter already named; kept for the assigner, not binding. */
  deadline?: Date;
}

export function checkReport(actor: Actor, policy: HazardPolicy): Verdict {
  return checkPermission(policy, 'report', actor);
}

/**
 * The first state of a confirmed report and its timeline entry. The caller has checked
 * `checkReport` and drawn the code from the yearly sequence.
 */
export function newHazard(
  input: NewHazardInput,
  reporter: Actor,
  now: Date,
  policy: HazardPolicy,
): { fields: HazardFields; event: TimelineEntry } {
  const fields: HazardFields = {
    code: input.code,
    status: 'reported',
    category: input.category,
    level: input.level,
    location: input.location.trim(),
    description: input.description.trim(),
    reporterId: reporter.personId,
    reportedAt: now,
    ownerId: null,
    deadline: input.deadline ?? null,
    measures: null,
    funds: null,
    interimPlan: null,
    supervised: input.level === 'major' && policy.major.supervise,
    fixedAt: null,
    fixedBy: null,
    fixNote: null,
    verifiedAt: null,
    verifiedBy: null,
    verifyResult: null,
    closedAt: null,
    dismissReason: null,
    cycle: 0,
  };
  const event: TimelineEntry = {
    at: now,
    actorId: reporter.personId,
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    note: fields.description,
    detail: { category: input.category, level: input.level, location: fields.location },
    attachments: [...(input.attachments ?? [])],
  };
  return { fields, event };
}
