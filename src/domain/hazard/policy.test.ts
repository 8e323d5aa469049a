import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot-flows/policy.js';
import { checkPermission, describePermitted, isStaff, relationsOf } from './policy.js';
import type { Actor } from './types.js';

const hazard = { reporterId: 'p-reporter', ownerId: 'p-owner' };
const actor = (personId: string, ...roles: Actor['roles']): Actor => ({ personId, roles });

describe('checkPermission', () => {
  it('grants by role', () => {
    expect(checkPermission(defaultPolicy, 'assign', actor('x', 'safety_officer'))).toEqual({ ok: true });
    expect(checkPermission(defaultPolicy, 'report', actor('x', 'teacher'))).toEqual({ ok: true });
    expect(checkPermission(defaultPolicy, 'report', actor('x', 'bureau'))).toEqual({ ok: true });
  });

  it('grants by relation to the hazard', () => {
    expect(checkPermission(defaultPolicy, 'submit_fix', actor('p-owner', 'teacher'), hazard)).toEqual({ ok: true });
    expect(checkPermission(defaultPolicy, 'accept', actor('p-reporter', 'teacher'), hazard)).toEqual({ ok: true });
  });

  it('ignores relations when no hazard is given', () => {
    expect(checkPermission(defaultPolicy, 'submit_fix', actor('p-owner', 'teacher')).ok).toBe(false);
  });

  it('names who may act when refusing', () => {
    expect(checkPermission(defaultPolicy, 'accept', actor('p-other', 'teacher'), hazard)).toEqual({
      ok: false,
      reason: '只有发现人、安全员或校长可以复查销号。',
    });
    expect(checkPermission(defaultPolicy, 'receipt_start', actor('x', 'class_teacher'))).toEqual({
      ok: false,
      reason: '只有安全员或校长可以发起回执。',
    });
  });

  it('refuses parents and strangers before anything else', () => {
    expect(checkPermission(defaultPolicy, 'report', actor('x', 'parent'))).toEqual({
      ok: false,
      reason: '家长账号不能处理隐患，这些命令仅限学校教职工使用。',
    });
    const stranger = checkPermission(defaultPolicy, 'view', actor('p-reporter'), hazard);
    expect(stranger.ok === false && stranger.reason).toContain('还没有绑定本校教职工身份');
  });
});

describe('helpers', () => {
  it('knows staff', () => {
    expect(isStaff(actor('x', 'parent', 'teacher'), defaultPolicy)).toBe(true);
    expect(isStaff(actor('x', 'parent'), defaultPolicy)).toBe(false);
  });

  it('finds relations', () => {
    expect(relationsOf(actor('p-reporter'), { reporterId: 'p-reporter', ownerId: 'p-reporter' })).toEqual([
      'reporter',
      'owner',
    ]);
    expect(relationsOf(actor('p-x'), { reporterId: 'p-reporter', ownerId: null })).toEqual([]);
  });

  it('describes a permission in Chinese', () => {
    expect(describePermitted({ roles: ['principal'], relations: [] })).toBe('校长');
    expect(describePermitted({ roles: ['safety_officer', 'principal'], relations: ['owner'] })).toBe(
      '整改责任人、安全员或校长',
    );
  });
});
