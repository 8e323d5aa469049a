import { normalisePhone } from '../roster/phone.js';
import { nameMatchKey } from '../roster/text.js';

/**
 * Binding an unknown parent to the class roster: they give their child's name and the last four digits
 * of the phone number on file. Wrong answers are limited per chat identity and class, and every failure
 * reads the same, so the form cannot be used to learn who is in the class or which numbers are on file.
 * Pure: the caller loads and stores the state (binding_attempts) and passes the clock.
 */

export interface BindingState {
  failures: number;
  lockedUntil: Date | null;
  lastFailureAt: Date | null;
}

export const INITIAL_BINDING_STATE: BindingState = { failures: 0, lockedUntil: null, lastFailureAt: null };

export interface BindingPolicy {
  /** Wrong answers allowed before the lockout. */
  maxFailures: number;
  lockMinutes: number;
  /** Failures older than this are forgotten (a typo last term does not count today). */
  forgetAfterMinutes: number;
}

export const DEFAULT_BINDING_POLICY: BindingPolicy = { maxFailures: 5, lockMinutes: 30, forgetAfterMinutes: 24 * 60 };

export interface BindingAnswer {
  studentName: string;
  /** The last four digits; a full mobile number is accepted too. */
  phoneDigits: string;
}

/** One student–guardian link of the class roster. */
export interface BindingCandidate {
  studentId: string;
  studentName: string;
  guardianId: string;
  phoneLast4: string;
  relation: string;
}

export interface BindingMatch {
  guardianId: string;
  studentId: string;
  studentName: string;
  relation: string;
}

export type BindingOutcome =
  | {
      ok: true;
      /** Usually one; two guardians of one child can share the last four digits. */
      guardianIds: string[];
      /** Every student of the class linked to those guardians (siblings confirm together). */
      matches: BindingMatch[];
      newState: BindingState;
    }
  | {
      ok: false;
      /** invalid: the answer was not well formed and did not count as a try. */
      code: 'locked' | 'invalid' | 'mismatch';
      reason: string;
      newState: BindingState;
    };

const MINUTE = 60_000;

/** The last four digits an answer gives (from four digits or a full mobile number), or null. */
export function answerDigits(raw: string): string | null {
  const value = raw.normalize('NFKC').replace(/[\s-]/g, '');
  if (/^\d{4}$/.test(value)) return value;
  return normalisePhone(value)?.slice(-4) ?? null;
}

function minutesLeft(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
}

export function evaluateBindingAttempt(
  state: BindingState | null,
  answer: BindingAnswer,
  candidates: readonly BindingCandidate[],
  now: Date,
  policy: BindingPolicy = DEFAULT_BINDING_POLICY,
): BindingOutcome {
  let current = state ?? INITIAL_BINDING_STATE;
  if (current.lockedUntil && current.lockedUntil > now) {
    return {
      ok: false,
      code: 'locked',
      reason: `尝试次数过多，请 ${minutesLeft(current.lockedUntil, now)} 分钟后再试，或联系班主任核对登记的信息。`,
      newState: current,
    };
  }
  const expired = current.lockedUntil !== null;
  const stale =
    current.lastFailureAt !== null &&
    now.getTime() - current.lastFailureAt.getTime() > policy.forgetAfterMinutes * MINUTE;
  if (expired || stale) current = INITIAL_BINDING_STATE;

  const nameKey = nameMatchKey(answer.studentName);
  const digits = answerDigits(answer.phoneDigits);
  if (!nameKey || !digits) {
    return { ok: false, code: 'invalid', reason: '请填写学生姓名和家长手机号的后 4 位数字。', newState: current };
  }

  const hits = candidates.filter((c) => c.phoneLast4 === digits && nameMatchKey(c.studentName) === nameKey);
  if (hits.length === 0) {
    const failures = current.failures + 1;
    if (failures >= policy.maxFailures) {
      return {
        ok: false,
        code: 'mismatch',
        reason: `信息不匹配，尝试次数过多，请 ${policy.lockMinutes} 分钟后再试，或联系班主任核对登记的信息。`,
        newState: {
          failures: 0,
          lockedUntil: new Date(now.getTime() + policy.lockMinutes * MINUTE),
          lastFailureAt: now,
        },
      };
    }
    return {
      ok: false,
      code: 'mismatch',
      reason: `信息不匹配，请核对学生姓名和登记的手机号后 4 位（还可尝试 ${policy.maxFailures - failures} 次）。`,
      newState: { failures, lockedUntil: null, lastFailureAt: now },
    };
  }

  const guardianIds = [...new Set(hits.map((h) => h.guardianId))];
  const seen = new Set<string>();
  const matches: BindingMatch[] = [];
  for (const c of candidates) {
    const key = `${c.guardianId}\u0000${c.studentId}`;
    if (!guardianIds.includes(c.guardianId) || seen.has(key)) continue;
    seen.add(key);
    matches.push({
      guardianId: c.guardianId,
      studentId: c.studentId,
      studentName: c.studentName,
      relation: c.relation,
    });
  }
  return { ok: true, guardianIds, matches, newState: INITIAL_BINDING_STATE };
}

/** What one answer does to one attempt counter: nothing, forget it (a match), or store a counted failure. */
export type CounterChange = { kind: 'keep' } | { kind: 'clear' } | { kind: 'store'; state: BindingState };

export interface CountedCounter {
  state: BindingState | null;
  policy: BindingPolicy;
}

/**
 * One answer under several attempt counters (the card: the chat identity; the H5 page: the device and,
 * more loosely, the client address). A lock on any counter refuses the answer; a match forgets every
 * counter; a malformed answer counts nowhere; a wrong one counts on each, and the answer reports the
 * counter it locked, if any. The first counter is the one whose wording the answer takes.
 */
export function judgeBindingAttempt(
  counters: readonly CountedCounter[],
  answer: BindingAnswer,
  candidates: readonly BindingCandidate[],
  now: Date,
): { outcome: BindingOutcome; changes: CounterChange[] } {
  const keep = counters.map((): CounterChange => ({ kind: 'keep' }));
  const outcomes = counters.map((counter) =>
    evaluateBindingAttempt(counter.state, answer, candidates, now, counter.policy),
  );
  const locked = outcomes.find((outcome) => !outcome.ok && outcome.code === 'locked');
  if (locked) return { outcome: locked, changes: keep };
  const primary = outcomes[0]!;
  if (primary.ok) return { outcome: primary, changes: counters.map((): CounterChange => ({ kind: 'clear' })) };
  if (primary.code === 'invalid') return { outcome: primary, changes: keep };
  return {
    outcome: outcomes.find((outcome) => outcome.newState.lockedUntil !== null) ?? primary,
    changes: outcomes.map((outcome): CounterChange => ({ kind: 'store', state: outcome.newState })),
  };
}
