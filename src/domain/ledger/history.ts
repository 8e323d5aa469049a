import { OPEN_STATUSES } from '../hazard/types.js';
import type { HazardStatus } from '../hazard/types.js';
import type { HazardFacts, StatusChange } from './types.js';

/**
 * Reads a hazard's state at an instant from its status history. Every question is asked "just before
 * `at`": an entry stamped exactly at a period's start belongs to that period.
 */
export interface HazardTimeline {
  facts: HazardFacts;
  /** Oldest first. */
  changes: readonly StatusChange[];
}

/** The timeline of a hazard whose history is missing, rebuilt from the row's own fields. */
function inferredChanges(facts: HazardFacts): StatusChange[] {
  const report: StatusChange = { at: facts.reportedAt, fromStatus: null, toStatus: 'reported' };
  if (facts.status === 'closed') {
    return [
      report,
      { at: facts.closedAt ?? facts.updatedAt ?? facts.reportedAt, fromStatus: null, toStatus: 'closed' },
    ];
  }
  if (facts.status === 'dismissed') {
    return [report, { at: facts.updatedAt ?? facts.reportedAt, fromStatus: null, toStatus: 'dismissed' }];
  }
  return [{ ...report, toStatus: facts.status }];
}

export function timelineOf(facts: HazardFacts): HazardTimeline {
  const changes =
    facts.history.length === 0
      ? inferredChanges(facts)
      : [...facts.history].sort((a, b) => a.at.getTime() - b.at.getTime());
  return { facts, changes };
}

export const isOpen = (status: HazardStatus | null): boolean => status !== null && OPEN_STATUSES.includes(status);

/** The status just before `at`; null when the hazard had not been reported yet. */
export function statusBefore(timeline: HazardTimeline, at: Date): HazardStatus | null {
  if (timeline.facts.reportedAt.getTime() >= at.getTime()) return null;
  let status: HazardStatus | null = null;
  for (const change of timeline.changes) {
    if (change.at.getTime() >= at.getTime()) break;
    status = change.toStatus;
  }
  // Entries before the first recorded one (a partial timeline) leave the hazard where that entry found it.
  return status ?? timeline.changes[0]?.fromStatus ?? 'reported';
}

/** The deadline in force just before `at`: the latest entry that named one, else the row's deadline. */
export function deadlineBefore(timeline: HazardTimeline, at: Date): Date | null {
  let deadline: Date | null | undefined;
  for (const change of timeline.changes) {
    if (change.at.getTime() >= at.getTime()) break;
    if (change.deadline !== undefined) deadline = change.deadline;
  }
  return deadline === undefined ? timeline.facts.deadline : deadline;
}

/** True when some entry in [from, to) moved the hazard into an open status. */
export function openedWithin(timeline: HazardTimeline, from: Date, to: Date): boolean {
  return timeline.changes.some(
    (change) => change.at.getTime() >= from.getTime() && change.at.getTime() < to.getTime() && isOpen(change.toStatus),
  );
}

/** 逾期: still being rectified with its deadline passed, just before `at`. */
export function overdueBefore(timeline: HazardTimeline, at: Date): boolean {
  if (statusBefore(timeline, at) !== 'rectifying') return false;
  const deadline = deadlineBefore(timeline, at);
  return deadline !== null && deadline.getTime() < at.getTime();
}
