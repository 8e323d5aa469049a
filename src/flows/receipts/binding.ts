import {
  type AttemptKey,
  bindingCandidates,
  clearBindingState,
  loadBindingState,
  lockAttemptKey,
  recordBindingFailure,
} from '../../db/repos/receipts-guardians.js';
import type { Db } from '../../db/types.js';
import {
  type BindingAnswer,
  type BindingOutcome,
  type BindingPolicy,
  DEFAULT_BINDING_POLICY,
  evaluateBindingAttempt,
} from '../../domain/receipts/binding.js';

/**
 * One binding answer checked against the class roster under one or more attempt counters. The card
 * counts per chat identity; the H5 page counts per device cookie and, more loosely, per client address
 * (a cleared cookie does not reset the address counter). A lock on any counter refuses the answer; a
 * wrong answer counts on all of them. Runs inside the caller's transaction.
 */

export interface AttemptCounter {
  key: AttemptKey;
  policy?: BindingPolicy;
}

/** Per client address: generous, because a school's parents may share one carrier NAT address. */
export const ADDRESS_BINDING_POLICY: BindingPolicy = { ...DEFAULT_BINDING_POLICY, maxFailures: 20 };

export async function attemptBinding(
  db: Db,
  counters: readonly AttemptCounter[],
  answer: BindingAnswer,
  classId: string,
  now: Date,
): Promise<BindingOutcome> {
  for (const counter of counters) await lockAttemptKey(db, counter.key);
  const states = await Promise.all(counters.map((counter) => loadBindingState(db, counter.key)));
  const candidates = await bindingCandidates(db, classId);
  const outcomes = counters.map((counter, index) =>
    evaluateBindingAttempt(states[index] ?? null, answer, candidates, now, counter.policy ?? DEFAULT_BINDING_POLICY),
  );
  const locked = outcomes.find((outcome) => !outcome.ok && outcome.code === 'locked');
  if (locked) return locked;
  const primary = outcomes[0]!;
  if (primary.ok) {
    for (const counter of counters) await clearBindingState(db, counter.key);
    return primary;
  }
  if (primary.code === 'invalid') return primary;
  for (const [index, counter] of counters.entries()) {
    const outcome = outcomes[index]!;
    await recordBindingFailure(db, counter.key, outcome.newState, now);
  }
  return outcomes.find((outcome) => outcome.newState.lockedUntil !== null) ?? primary;
}
