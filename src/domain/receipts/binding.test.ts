import { describe, expect, it } from 'vitest';
import {
  type BindingCandidate,
  type BindingState,
  DEFAULT_BINDING_POLICY,
  evaluateBindingAttempt,
  INITIAL_BINDING_STATE,
  judgeBindingAttempt,
} from './binding.js';

const CANDIDATES: BindingCandidate[] = [
  { studentId: 's1', studentName: '刘一', guardianId: 'g-mum', phoneLast4: '0001', relation: '母亲' },
  { studentId: 's2', studentName: '刘二', guardianId: 'g-mum', phoneLast4: '0001', relation: '母亲' },
  { studentId: 's2', studentName: '刘二', guardianId: 'g-dad', phoneLast4: '0002', relation: '父亲' },
  { studentId: 's3', studentName: '阿依·古丽', guardianId: 'g-3', phoneLast4: '5678', relation: '其他监护人' },
  { studentId: 's4', studentName: 'Tom Lee', guardianId: 'g-4', phoneLast4: '4321', relation: '父亲' },
];
const NOW = new Date('2025-06-20T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('evaluateBindingAttempt: matching', () => {
  it('binds a guardian and returns all their students in the class', () => {
    const outcome = evaluateBindingAttempt(null, { studentName: '刘一', phoneDigits: '0001' }, CANDIDATES, NOW);
    expect(outcome).toEqual({
      ok: true,
      guardianIds: ['g-mum'],
      matches: [
        { guardianId: 'g-mum', studentId: 's1', studentName: '刘一', relation: '母亲' },
        { guardianId: 'g-mum', studentId: 's2', studentName: '刘二', relation: '母亲' },
      ],
      newState: INITIAL_BINDING_STATE,
    });
  });

  it('tells guardians of the same child apart by their digits', () => {
    const outcome = evaluateBindingAttempt(null, { studentName: '刘二', phoneDigits: '0002' }, CANDIDATES, NOW);
    expect(outcome.ok && outcome.matches).toEqual([
      { guardianId: 'g-dad', studentId: 's2', studentName: '刘二', relation: '父亲' },
    ]);
  });

  it('normalises names and digits (width, spaces, dots, case, full number)', () => {
    const answers = [
      { studentName: ' 刘 一 ', phoneDigits: '０００１' },
      { studentName: '刘一', phoneDigits: '138-0000-0001' },
    ];
    for (const answer of answers) expect(evaluateBindingAttempt(null, answer, CANDIDATES, NOW).ok).toBe(true);
    expect(evaluateBindingAttempt(null, { studentName: '阿依•古丽', phoneDigits: '5678' }, CANDIDATES, NOW).ok).toBe(
      true,
    );
    expect(evaluateBindingAttempt(null, { studentName: 'tom  lee', phoneDigits: '4321' }, CANDIDATES, NOW).ok).toBe(
      true,
    );
  });

  it('returns both guardians when two share the last four digits', () => {
    const twins = [
      { studentId: 's', studentName: '甲', guardianId: 'g1', phoneLast4: '1111', relation: '父亲' },
      { studentId: 's', studentName: '甲', guardianId: 'g2', phoneLast4: '1111', relation: '母亲' },
    ];
    const outcome = evaluateBindingAttempt(null, { studentName: '甲', phoneDigits: '1111' }, twins, NOW);
    expect(outcome.ok && outcome.guardianIds).toEqual(['g1', 'g2']);
  });

  it('resets earlier failures on success', () => {
    const state: BindingState = { failures: 3, lockedUntil: null, lastFailureAt: minutes(-1) };
    const outcome = evaluateBindingAttempt(state, { studentName: '刘一', phoneDigits: '0001' }, CANDIDATES, NOW);
    expect(outcome.newState).toEqual(INITIAL_BINDING_STATE);
  });
});

describe('evaluateBindingAttempt: failures and lockout', () => {
  it('gives the same answer whether the name or the digits are wrong, revealing nothing', () => {
    const wrongName = evaluateBindingAttempt(null, { studentName: '不存在', phoneDigits: '0001' }, CANDIDATES, NOW);
    const wrongDigits = evaluateBindingAttempt(null, { studentName: '刘一', phoneDigits: '9999' }, CANDIDATES, NOW);
    expect(wrongName).toEqual(wrongDigits);
    expect(wrongName).toEqual({
      ok: false,
      code: 'mismatch',
      reason: '信息不匹配，请核对学生姓名和登记的手机号后 4 位（还可尝试 4 次）。',
      newState: { failures: 1, lockedUntil: null, lastFailureAt: NOW },
    });
    if (!wrongName.ok) {
      for (const c of CANDIDATES) {
        expect(wrongName.reason).not.toContain(c.studentName);
        expect(wrongName.reason).not.toContain(c.phoneLast4);
      }
    }
  });

  it('locks for 30 minutes after the fifth wrong answer and refuses even a right answer meanwhile', () => {
    let state: BindingState | null = null;
    for (let i = 0; i < 5; i++) {
      const outcome = evaluateBindingAttempt(
        state,
        { studentName: '刘一', phoneDigits: '9999' },
        CANDIDATES,
        minutes(i),
      );
      expect(outcome.ok).toBe(false);
      state = outcome.newState;
    }
    expect(state).toEqual({ failures: 0, lockedUntil: minutes(4 + 30), lastFailureAt: minutes(4) });

    const locked = evaluateBindingAttempt(state, { studentName: '刘一', phoneDigits: '0001' }, CANDIDATES, minutes(10));
    expect(locked).toEqual({
      ok: false,
      code: 'locked',
      reason: '尝试次数过多，请 24 分钟后再试，或联系班主任核对登记的信息。',
      newState: state,
    });

    const after = evaluateBindingAttempt(state, { studentName: '刘一', phoneDigits: '0001' }, CANDIDATES, minutes(34));
    expect(after.ok).toBe(true);
  });

  it('starts counting afresh once a lock has expired', () => {
    const state: BindingState = { failures: 0, lockedUntil: minutes(-1), lastFailureAt: minutes(-31) };
    const outcome = evaluateBindingAttempt(state, { studentName: '刘一', phoneDigits: '9999' }, CANDIDATES, NOW);
    expect(outcome.newState).toEqual({ failures: 1, lockedUntil: null, lastFailureAt: NOW });
  });

  it('forgets failures older than a day', () => {
    const state: BindingState = { failures: 4, lockedUntil: null, lastFailureAt: minutes(-24 * 60 - 1) };
    const outcome = evaluateBindingAttempt(state, { studentName: '刘一', phoneDigits: '9999' }, CANDIDATES, NOW);
    expect(outcome.newState.failures).toBe(1);
    const recent: BindingState = { failures: 4, lockedUntil: null, lastFailureAt: minutes(-60) };
    const locked = evaluateBindingAttempt(recent, { studentName: '刘一', phoneDigits: '9999' }, CANDIDATES, NOW);
    expect(locked.newState.lockedUntil).toEqual(minutes(30));
  });

  it('does not count a malformed answer as a try', () => {
    const state: BindingState = { failures: 2, lockedUntil: null, lastFailureAt: minutes(-1) };
    for (const answer of [
      { studentName: '', phoneDigits: '0001' },
      { studentName: '刘一', phoneDigits: '12a4' },
      { studentName: '刘一', phoneDigits: '123' },
    ]) {
      const outcome = evaluateBindingAttempt(state, answer, CANDIDATES, NOW);
      expect(outcome).toEqual({
        ok: false,
        code: 'invalid',
        reason: '请填写学生姓名和家长手机号的后 4 位数字。',
        newState: state,
      });
    }
  });

  it('honours a custom policy', () => {
    const policy = { maxFailures: 1, lockMinutes: 5, forgetAfterMinutes: 60 };
    const outcome = evaluateBindingAttempt(null, { studentName: 'x', phoneDigits: '0000' }, CANDIDATES, NOW, policy);
    expect(outcome.newState.lockedUntil).toEqual(minutes(5));
    expect(!outcome.ok && outcome.reason).toContain('请 5 分钟后再试');
  });
});

describe('judgeBindingAttempt: several counters', () => {
  const device = { state: null, policy: DEFAULT_BINDING_POLICY };
  const address = { state: null, policy: { ...DEFAULT_BINDING_POLICY, maxFailures: 20 } };
  const right = { studentName: '刘一', phoneDigits: '0001' };
  const wrong = { studentName: '刘一', phoneDigits: '9999' };

  it('forgets every counter on a match and counts a wrong answer on each', () => {
    expect(judgeBindingAttempt([device, address], right, CANDIDATES, NOW).changes).toEqual([
      { kind: 'clear' },
      { kind: 'clear' },
    ]);
    const judged = judgeBindingAttempt([device, address], wrong, CANDIDATES, NOW);
    expect(judged.changes).toEqual([
      { kind: 'store', state: { failures: 1, lockedUntil: null, lastFailureAt: NOW } },
      { kind: 'store', state: { failures: 1, lockedUntil: null, lastFailureAt: NOW } },
    ]);
  });

  it('refuses a right answer while any counter is locked, and counts nothing for a malformed one', () => {
    const lockedAddress = { ...address, state: { failures: 0, lockedUntil: minutes(10), lastFailureAt: NOW } };
    const judged = judgeBindingAttempt([device, lockedAddress], right, CANDIDATES, NOW);
    expect(judged.outcome.ok).toBe(false);
    expect(!judged.outcome.ok && judged.outcome.code).toBe('locked');
    expect(judged.changes).toEqual([{ kind: 'keep' }, { kind: 'keep' }]);
    expect(judgeBindingAttempt([device], { studentName: '', phoneDigits: '1' }, CANDIDATES, NOW).changes).toEqual([
      { kind: 'keep' },
    ]);
  });

  it('reports the counter this answer locked', () => {
    const almost = { ...device, state: { failures: 4, lockedUntil: null, lastFailureAt: NOW } };
    const judged = judgeBindingAttempt([address, almost], wrong, CANDIDATES, NOW);
    expect(!judged.outcome.ok && judged.outcome.reason).toContain('尝试次数过多');
  });
});
