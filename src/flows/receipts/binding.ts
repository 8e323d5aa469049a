import {
  type AttemptKey,
  attemptKeyText,
  bindingCandidatesByDigits,
  loadBindingStates,
  lockAttemptKeys,
  rosterDigitsText,
  saveCounterChanges,
} from '../../db/repos/receipts-guardians.js';
import type { Db } from '../../db/types.js';
import {
  answerDigits,
  type BindingAnswer,
  type BindingOutcome,
  type BindingPolicy,
  type BindingState,
  type CounterChange,
  DEFAULT_BINDING_POLICY,
  judgeBindingAttempt,
} from '../../domain/receipts/binding.js';

/**
 * Binding answers checked against class rosters under attempt counters. The card counts per chat
 * identity; the H5 page counts per device cookie and, more loosely, per client address (a cleared cookie
 * does not reset the address counter). A lock on any counter refuses the answer; a wrong answer counts on
 * all of them. Runs inside the caller's transaction.
 */

export interface AttemptCounter {
  key: AttemptKey;
  policy?: BindingPolicy;
}

/** Per client address: generous, because a school's parents may share one carrier NAT address. */
export const ADDRESS_BINDING_POLICY: BindingPolicy = { ...DEFAULT_BINDING_POLICY, maxFailures: 20 };

export interface BindingAttempt {
  counters: readonly AttemptCounter[];
  answer: BindingAnswer;
  classId: string;
}

/**
 * A burst of answers judged in order with their counters locked, so answers sharing a counter (one
 * address, two quick submits) count one after another exactly as if they had come one at a time; the
 * counters' final states are written once.
 */
export async function attemptBindings(
  db: Db,
  attempts: readonly BindingAttempt[],
  now: Date,
): Promise<BindingOutcome[]> {
  const keys = attempts.flatMap((attempt) => attempt.counters.map((counter) => counter.key));
  await lockAttemptKeys(db, keys);
  const [states, candidates] = await Promise.all([
    loadBindingStates(db, keys),
    bindingCandidatesByDigits(
      db,
      attempts.flatMap((attempt) => {
        const last4 = answerDigits(attempt.answer.phoneDigits);
        return last4 ? [{ classId: attempt.classId, last4 }] : [];
      }),
    ),
  ]);
  const stored = new Set(states.keys());
  const current = new Map<string, BindingState>(states);
  const changes = new Map<string, { key: AttemptKey; change: CounterChange }>();
  const outcomes = attempts.map((attempt) => {
    const judged = judgeBindingAttempt(
      attempt.counters.map((counter) => ({
        state: current.get(attemptKeyText(counter.key)) ?? null,
        policy: counter.policy ?? DEFAULT_BINDING_POLICY,
      })),
      attempt.answer,
      candidates.get(
        rosterDigitsText({ classId: attempt.classId, last4: answerDigits(attempt.answer.phoneDigits) ?? '' }),
      ) ?? [],
      now,
    );
    for (const [index, change] of judged.changes.entries()) {
      const key = attempt.counters[index]!.key;
      const name = attemptKeyText(key);
      if (change.kind === 'store') {
        current.set(name, change.state);
        changes.set(name, { key, change });
      } else if (change.kind === 'clear') {
        current.delete(name);
        if (stored.has(name)) changes.set(name, { key, change });
        else changes.delete(name);
      }
    }
    return judged.outcome;
  });
  await saveCounterChanges(db, [...changes.values()], now);
  return outcomes;
}

export async function attemptBinding(
  db: Db,
  counters: readonly AttemptCounter[],
  answer: BindingAnswer,
  classId: string,
  now: Date,
): Promise<BindingOutcome> {
  const [outcome] = await attemptBindings(db, [{ counters, answer, classId }], now);
  return outcome!;
}
