import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../bot-flows/policy.js';
import type { Attachment } from '../../model/inbound.js';
import { type Decision, decide, fixCommandType, type HazardCommand } from './lifecycle.js';
import type { Actor, HazardFields, HazardState } from './types.js';

/** Loaded through the start-up validation, so a broken default policy fails here too. */
const defaultPolicy = loadPolicy();
const NOW = new Date('2026-06-10T02:00:00Z');
const LATER = new Date('2026-06-20T15:59:59Z');
const EARLIER = new Date('2026-06-01T15:59:59Z');
const PHOTO: Attachment = { kind: 'image', key: 'img-after' };
const FILE: Attachment = { kind: 'file', key: 'report.pdf' };

const reporter: Actor = { personId: 'p-reporter', roles: ['teacher'] };
const owner: Actor = { personId: 'p-owner', roles: ['teacher'] };
const otherTeacher: Actor = { personId: 'p-teacher', roles: ['class_teacher'] };
const safetyOfficer: Actor = { personId: 'p-safety', roles: ['safety_officer'] };
const principal: Actor = { personId: 'p-principal', roles: ['principal'] };
const bureau: Actor = { personId: 'p-bureau', roles: ['bureau'] };
const parent: Actor = { personId: 'p-parent', roles: ['parent'] };
const stranger: Actor = { personId: 'p-stranger', roles: [] };

function hazard(overrides: Partial<HazardState> = {}): HazardState {
  const base: HazardFields = {
    code: 'YH-2026-0001',
    status: 'reported',
    category: 'fire',
    level: 'general',
    location: '二楼走廊',
    description: '灭火器箱是空的',
    reporterId: reporter.personId,
    reportedAt: new Date('2026-06-09T01:00:00Z'),
    ownerId: null,
    deadline: null,
    measures: null,
    funds: null,
    interimPlan: null,
    supervised: false,
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
  return { ...base, ...overrides };
}

const rectifying = (overrides: Partial<HazardState> = {}) =>
  hazard({ status: 'rectifying', ownerId: owner.personId, deadline: LATER, ...overrides });
const verifying = (overrides: Partial<HazardState> = {}) =>
  rectifying({
    status: 'verifying',
    fixedBy: owner.personId,
    fixedAt: NOW,
    fixNote: '已补齐',
    fixAttachments: [PHOTO],
    ...overrides,
  });
const closed = (overrides: Partial<HazardState> = {}) =>
  verifying({
    status: 'closed',
    verifiedBy: reporter.personId,
    verifiedAt: NOW,
    verifyResult: 'passed',
    closedAt: NOW,
    ...overrides,
  });
const majorFive = {
  level: 'major' as const,
  supervised: true,
  measures: '更换燃气管道',
  funds: '8000元（学校公用经费）',
  interimPlan: '关闭阀门，设置警戒',
};

function run(state: HazardState, command: HazardCommand, actor: Actor, policy = defaultPolicy): Decision {
  return decide(state, command, actor, NOW, policy);
}

function ok(decision: Decision) {
  if (!decision.ok) throw new Error(`expected success, refused: ${decision.reason}`);
  return decision;
}

function refused(decision: Decision): string {
  if (decision.ok) throw new Error(`expected a refusal, got patch ${JSON.stringify(decision.patch)}`);
  return decision.reason;
}

describe('assign (登记 → 整改中)', () => {
  const assign: HazardCommand = { type: 'assign', ownerId: owner.personId, deadline: LATER, measures: '补充灭火器' };

  it('moves a reported hazard into rectification with an owner and deadline', () => {
    const decision = ok(run(hazard(), assign, safetyOfficer));
    expect(decision.patch).toMatchObject({
      status: 'rectifying',
      ownerId: owner.personId,
      deadline: LATER,
      measures: '补充灭火器',
    });
    expect(decision.event).toMatchObject({
      at: NOW,
      actorId: safetyOfficer.personId,
      action: 'assign',
      fromStatus: 'reported',
      toStatus: 'rectifying',
      detail: { ownerId: owner.personId, deadline: LATER.toISOString(), measures: '补充灭火器' },
    });
  });

  it('lets the principal assign too', () => {
    expect(ok(run(hazard(), assign, principal)).patch.status).toBe('rectifying');
  });

  it.each([
    ['a teacher', reporter],
    ['the bureau', bureau],
  ])('refuses %s', (_who, actor) => {
    expect(refused(run(hazard(), assign, actor))).toBe('只有安全员或校长可以指派整改。');
  });

  it('needs an owner', () => {
    expect(refused(run(hazard(), { type: 'assign', deadline: LATER }, safetyOfficer))).toContain('请指定整改责任人');
  });

  it('needs a deadline, and one in the future', () => {
    expect(refused(run(hazard(), { type: 'assign', ownerId: owner.personId }, safetyOfficer))).toContain(
      '请给出整改时限',
    );
    expect(
      refused(run(hazard(), { type: 'assign', ownerId: owner.personId, deadline: EARLIER }, safetyOfficer)),
    ).toContain('截止日期已过');
    expect(
      refused(run(hazard({ deadline: EARLIER }), { type: 'assign', ownerId: owner.personId }, safetyOfficer)),
    ).toContain('原定整改时限已过');
  });

  it('can go without a deadline when the district allows it', () => {
    const policy = loadPolicy({ assignRequiresDeadline: false });
    const decision = ok(run(hazard(), { type: 'assign', ownerId: owner.personId }, safetyOfficer, policy));
    expect(decision.patch).toMatchObject({ status: 'rectifying', ownerId: owner.personId });
  });

  it('re-assigns a hazard in rectification, recording what changed', () => {
    const decision = ok(
      run(rectifying(), { type: 'assign', ownerId: otherTeacher.personId, note: '张老师出差' }, safetyOfficer),
    );
    expect(decision.patch).toEqual({ status: 'rectifying', ownerId: otherTeacher.personId });
    expect(decision.event).toMatchObject({
      fromStatus: 'rectifying',
      toStatus: 'rectifying',
      note: '张老师出差',
      detail: { previousOwnerId: owner.personId },
    });
  });

  it('extends a deadline in rectification', () => {
    const extended = new Date('2026-06-30T15:59:59Z');
    const decision = ok(run(rectifying(), { type: 'assign', deadline: extended }, principal));
    expect(decision.patch).toEqual({ status: 'rectifying', deadline: extended });
    expect(decision.event.detail.previousDeadline).toBe(LATER.toISOString());
  });

  it('refuses a re-assignment that changes nothing', () => {
    const same = { type: 'assign', ownerId: owner.personId, deadline: new Date(LATER) } as const;
    expect(refused(run(rectifying(), same, safetyOfficer))).toBe('没有要修改的内容。');
  });

  describe('major hazards and 五落实', () => {
    const full: HazardCommand = {
      type: 'assign',
      ownerId: owner.personId,
      deadline: LATER,
      measures: majorFive.measures,
      funds: majorFive.funds,
      interimPlan: majorFive.interimPlan,
    };

    it('assigns a major hazard with all five in place and keeps it supervised', () => {
      const decision = ok(run(hazard({ level: 'major', supervised: false }), full, safetyOfficer));
      expect(decision.patch).toMatchObject({ status: 'rectifying', supervised: true, funds: majorFive.funds });
    });

    it('refuses a major hazard without all five, naming what is missing', () => {
      const reason = refused(
        run(hazard({ level: 'major' }), { type: 'assign', ownerId: owner.personId, deadline: LATER }, principal),
      );
      expect(reason).toContain('五落实');
      expect(reason).toContain('还缺：措施、资金、预案');
    });

    it('counts fields already on the hazard', () => {
      const state = hazard({ ...majorFive, funds: null });
      const decision = ok(
        run(state, { type: 'assign', ownerId: owner.personId, deadline: LATER, funds: '0（后勤自行整改）' }, principal),
      );
      expect(decision.patch).toMatchObject({ funds: '0（后勤自行整改）', status: 'rectifying' });
    });

    it('accepts zero funds only with a note', () => {
      const reason = refused(run(hazard({ level: 'major' }), { ...full, funds: '0元' }, principal));
      expect(reason).toContain('资金（为 0 时请注明原因');
    });

    it('can be turned off by a district', () => {
      const policy = loadPolicy({ major: { requireFiveImplementations: false } });
      const command: HazardCommand = { type: 'assign', ownerId: owner.personId, deadline: LATER };
      expect(ok(run(hazard({ level: 'major' }), command, principal, policy)).patch.status).toBe('rectifying');
    });
  });
});

describe('fix on the spot (登记 → 待复查)', () => {
  it('records who fixed it and the evidence', () => {
    const decision = ok(
      run(hazard(), { type: 'fix_on_spot', note: '已把杂物搬走', attachments: [PHOTO, FILE] }, otherTeacher),
    );
    expect(decision.patch).toMatchObject({
      status: 'verifying',
      fixedBy: otherTeacher.personId,
      fixedAt: NOW,
      fixNote: '已把杂物搬走',
    });
    expect(decision.event).toMatchObject({
      action: 'fix_on_spot',
      fromStatus: 'reported',
      toStatus: 'verifying',
      attachments: [PHOTO, FILE],
      detail: { photoCount: 1 },
    });
  });

  it('needs a photo or a note', () => {
    expect(refused(run(hazard(), { type: 'fix_on_spot', attachments: [FILE] }, reporter))).toContain(
      '整改后的照片，或写明整改情况',
    );
  });

  it('refuses a major hazard that has not been assigned with 五落实', () => {
    const reason = refused(run(hazard({ level: 'major' }), { type: 'fix_on_spot', attachments: [PHOTO] }, principal));
    expect(reason).toContain('重大隐患不能直接登记现场整改');
    expect(reason).toContain('责任人');
  });

  it('refuses the bureau (not school staff on site)', () => {
    expect(refused(run(hazard(), { type: 'fix_on_spot', note: '已处理' }, bureau))).toContain('只有');
  });

  it('is what 整改 means on a hazard still in 登记', () => {
    expect(fixCommandType('reported')).toBe('fix_on_spot');
    expect(fixCommandType('rectifying')).toBe('submit_fix');
  });
});

describe('submit fix (整改中 → 待复查)', () => {
  it('lets the owner submit with a photo', () => {
    const decision = ok(run(rectifying(), { type: 'submit_fix', note: '已更换', attachments: [PHOTO] }, owner));
    expect(decision.patch).toEqual({
      status: 'verifying',
      fixedAt: NOW,
      fixedBy: owner.personId,
      fixNote: '已更换',
      verifiedAt: null,
      verifiedBy: null,
      verifyResult: null,
    });
    expect(decision.event).toMatchObject({ action: 'submit_fix', attachments: [PHOTO], detail: { photoCount: 1 } });
  });

  it('lets the safety officer submit on the owner’s behalf, as the fixer', () => {
    const decision = ok(run(rectifying(), { type: 'submit_fix', attachments: [PHOTO] }, safetyOfficer));
    expect(decision.patch.fixedBy).toBe(safetyOfficer.personId);
  });

  it('refuses anyone else', () => {
    expect(refused(run(rectifying(), { type: 'submit_fix', note: '修好了' }, otherTeacher))).toBe(
      '只有整改责任人、安全员或校长可以提交整改。',
    );
  });

  it('needs evidence', () => {
    expect(refused(run(rectifying(), { type: 'submit_fix', note: '  ' }, owner))).toContain('整改后的照片');
  });

  it('insists on a photo when the district does', () => {
    const policy = loadPolicy({ fixEvidence: 'photo' });
    expect(refused(run(rectifying(), { type: 'submit_fix', note: '已更换' }, owner, policy))).toBe(
      '提交整改请附上整改后的照片。',
    );
  });

  it('explains a second submission while verification is pending', () => {
    expect(refused(run(verifying(), { type: 'submit_fix', attachments: [PHOTO] }, owner))).toContain(
      '整改已经提交，正在等待复查',
    );
  });
});

describe('accept (待复查 → 已销号)', () => {
  it('lets the reporter close with the fix photo (谁发现、谁销号)', () => {
    const decision = ok(run(verifying(), { type: 'accept' }, reporter));
    expect(decision.patch).toEqual({
      status: 'closed',
      verifiedAt: NOW,
      verifiedBy: reporter.personId,
      verifyResult: 'passed',
      closedAt: NOW,
    });
    expect(decision.event).toMatchObject({
      action: 'accept',
      fromStatus: 'verifying',
      toStatus: 'closed',
      detail: { photoCount: 1, closedByReason: false },
    });
  });

  it('accepts a photo taken at verification', () => {
    const decision = ok(run(verifying({ fixAttachments: [] }), { type: 'accept', attachments: [PHOTO] }, principal));
    expect(decision.event).toMatchObject({ attachments: [PHOTO], detail: { photoCount: 1 } });
  });

  it('refuses the fixer verifying their own fix', () => {
    expect(refused(run(verifying(), { type: 'accept' }, owner))).toContain('不能复查自己提交的整改');
  });

  it('refuses a safety officer who submitted the fix, even though the role may verify', () => {
    const state = verifying({ fixedBy: safetyOfficer.personId });
    expect(refused(run(state, { type: 'accept' }, safetyOfficer))).toContain('不能复查自己提交的整改');
  });

  it('refuses the reporter who fixed it on the spot', () => {
    const state = verifying({ ownerId: null, fixedBy: reporter.personId });
    expect(refused(run(state, { type: 'accept' }, reporter))).toContain('不能复查自己提交的整改');
    expect(ok(run(state, { type: 'accept' }, safetyOfficer)).patch.status).toBe('closed');
  });

  it('refuses the owner when someone else submitted for them, unless the policy allows it', () => {
    const owningOfficer: Actor = { personId: owner.personId, roles: ['safety_officer'] };
    const state = verifying({ fixedBy: principal.personId });
    expect(refused(run(state, { type: 'accept' }, owningOfficer))).toContain('整改责任人不能复查');
    const lenient = loadPolicy({ ownerMayVerify: true });
    expect(ok(run(state, { type: 'accept' }, owningOfficer, lenient)).patch.status).toBe('closed');
  });

  it('refuses other teachers', () => {
    expect(refused(run(verifying(), { type: 'accept' }, otherTeacher))).toBe('只有发现人、安全员或校长可以复查销号。');
  });

  it('refuses to close without a photo or a written reason', () => {
    const reason = refused(run(verifying({ fixAttachments: [FILE] }), { type: 'accept' }, principal));
    expect(reason).toContain('销号需要至少一张整改后的照片');
  });

  it('closes without a photo on a written reason from the safety officer', () => {
    const decision = ok(
      run(verifying({ fixAttachments: [] }), { type: 'accept', note: '现场核验，灭火器已到位' }, safetyOfficer),
    );
    expect(decision.patch.status).toBe('closed');
    expect(decision.event).toMatchObject({ note: '现场核验，灭火器已到位', detail: { closedByReason: true } });
  });

  it('does not let the reporter stand in a written reason for the photo', () => {
    const reason = refused(run(verifying({ fixAttachments: [] }), { type: 'accept', note: '我看过了' }, reporter));
    expect(reason).toContain('书面说明须由安全员或校长认可');
  });

  it('refuses to verify a hazard not yet fixed', () => {
    expect(refused(run(rectifying(), { type: 'accept' }, reporter))).toContain('当前状态为「整改中」');
    expect(refused(run(hazard(), { type: 'accept' }, reporter))).toContain('还没有提交整改');
  });
});

describe('reject / 退回 (待复查 → 整改中)', () => {
  it('sends the fix back with a reason', () => {
    const decision = ok(run(verifying(), { type: 'reject', reason: '压力表仍在红区' }, reporter));
    expect(decision.patch).toEqual({
      status: 'rectifying',
      verifiedAt: NOW,
      verifiedBy: reporter.personId,
      verifyResult: 'rejected',
      fixedAt: null,
      fixedBy: null,
      fixNote: null,
    });
    expect(decision.event).toMatchObject({
      action: 'reject',
      fromStatus: 'verifying',
      toStatus: 'rectifying',
      note: '压力表仍在红区',
      detail: { previousFixedBy: owner.personId },
    });
  });

  it('can set a new deadline, not one in the past', () => {
    const next = new Date('2026-06-25T15:59:59Z');
    expect(ok(run(verifying(), { type: 'reject', reason: '未完成', deadline: next }, principal)).patch.deadline).toBe(
      next,
    );
    expect(refused(run(verifying(), { type: 'reject', reason: '未完成', deadline: EARLIER }, principal))).toContain(
      '截止日期已过',
    );
  });

  it('needs a reason', () => {
    expect(refused(run(verifying(), { type: 'reject', reason: ' ' }, reporter))).toContain('退回整改须写明原因');
  });

  it('refuses the fixer', () => {
    expect(refused(run(verifying(), { type: 'reject', reason: '不行' }, owner))).toContain('不能复查自己提交的整改');
  });

  it('returns a hazard fixed on the spot to 登记 for assignment', () => {
    const state = verifying({ ownerId: null, deadline: null, fixedBy: otherTeacher.personId });
    const decision = ok(run(state, { type: 'reject', reason: '只是挪开了，没有清走' }, safetyOfficer));
    expect(decision.patch.status).toBe('reported');
    expect(decision.event.toStatus).toBe('reported');
  });
});

describe('dismiss (登记 → 已驳回)', () => {
  it('dismisses an untrue report with a reason', () => {
    const decision = ok(run(hazard(), { type: 'dismiss', reason: '不属实：灭火器在位' }, safetyOfficer));
    expect(decision.patch).toEqual({ status: 'dismissed', dismissReason: '不属实：灭火器在位' });
    expect(decision.event).toMatchObject({ action: 'dismiss', toStatus: 'dismissed', detail: {} });
  });

  it('links a duplicate', () => {
    const decision = ok(run(hazard(), { type: 'dismiss', reason: '重复', duplicateOf: 'YH-2026-0007' }, principal));
    expect(decision.event.detail).toEqual({ duplicateOf: 'YH-2026-0007' });
    expect(refused(run(hazard(), { type: 'dismiss', reason: '重复', duplicateOf: 'YH-2026-0001' }, principal))).toBe(
      '不能标记为与自己重复。',
    );
  });

  it('needs a reason and a manager', () => {
    expect(refused(run(hazard(), { type: 'dismiss', reason: '' }, safetyOfficer))).toContain('驳回须写明原因');
    expect(refused(run(hazard(), { type: 'dismiss', reason: '不属实' }, reporter))).toBe(
      '只有安全员或校长可以驳回隐患。',
    );
  });

  it('only dismisses reports still in 登记', () => {
    expect(refused(run(rectifying(), { type: 'dismiss', reason: '不属实' }, principal))).toContain(
      '当前状态为「整改中」，不能驳回隐患',
    );
  });
});

describe('reopen', () => {
  const newDeadline = new Date('2026-06-30T15:59:59Z');

  it('sends a closed hazard back to its owner, bumping the cycle and clearing the last round', () => {
    const decision = ok(run(closed(), { type: 'reopen', reason: '灭火器又被挪走' }, safetyOfficer));
    expect(decision.patch).toEqual({
      status: 'rectifying',
      cycle: 1,
      deadline: LATER,
      fixedAt: null,
      fixedBy: null,
      fixNote: null,
      verifiedAt: null,
      verifiedBy: null,
      verifyResult: null,
      closedAt: null,
      dismissReason: null,
    });
    expect(decision.event).toMatchObject({ action: 'reopen', fromStatus: 'closed', toStatus: 'rectifying' });
  });

  it('needs a new deadline when the old one has passed', () => {
    const state = closed({ deadline: EARLIER, cycle: 2 });
    expect(refused(run(state, { type: 'reopen', reason: '复发' }, principal))).toContain('重开须给出新的截止日期');
    const decision = ok(run(state, { type: 'reopen', reason: '复发', deadline: newDeadline }, principal));
    expect(decision.patch).toMatchObject({ status: 'rectifying', deadline: newDeadline, cycle: 3 });
  });

  it('lets the reporter reopen', () => {
    expect(ok(run(closed(), { type: 'reopen', reason: '又坏了' }, reporter)).patch.status).toBe('rectifying');
  });

  it('returns a closed hazard without an owner to 登记', () => {
    const state = closed({ ownerId: null, deadline: null });
    expect(ok(run(state, { type: 'reopen', reason: '又堆上了' }, safetyOfficer)).patch.status).toBe('reported');
  });

  it('returns a dismissed report to 登记 and clears the dismissal', () => {
    const state = hazard({ status: 'dismissed', dismissReason: '不属实' });
    const decision = ok(run(state, { type: 'reopen', reason: '复核后属实' }, principal));
    expect(decision.patch).toMatchObject({ status: 'reported', cycle: 1, dismissReason: null });
  });

  it('needs a reason and a closed or dismissed hazard', () => {
    expect(refused(run(closed(), { type: 'reopen', reason: '' }, principal))).toContain('重开须写明原因');
    expect(refused(run(rectifying(), { type: 'reopen', reason: '?' }, principal))).toContain('尚未关闭');
    expect(refused(run(closed(), { type: 'reopen', reason: '又坏了' }, otherTeacher))).toContain('只有');
  });

  it('points at reopen when someone acts on a closed hazard', () => {
    expect(refused(run(closed(), { type: 'submit_fix', attachments: [PHOTO] }, owner))).toContain(
      '重开 YH-2026-0001 原因',
    );
  });
});

describe('change level', () => {
  it('raises to major and supervises (挂牌督办)', () => {
    const decision = ok(run(hazard(), { type: 'change_level', level: 'major', note: '涉及燃气' }, safetyOfficer));
    expect(decision.patch).toEqual({ level: 'major', supervised: true });
    expect(decision.event).toMatchObject({
      action: 'change_level',
      fromStatus: 'reported',
      toStatus: 'reported',
      note: '涉及燃气',
      detail: { fromLevel: 'general', toLevel: 'major', supervised: true },
    });
  });

  it('never blocks raising the level in rectification, but lists what 五落实 lacks', () => {
    const decision = ok(run(rectifying({ measures: '更换' }), { type: 'change_level', level: 'major' }, principal));
    expect(decision.patch).toEqual({ level: 'major', supervised: true });
    expect(decision.event.detail.missingFiveImplementations).toEqual(['funds', 'interimPlan']);
  });

  it('lowers to general and lifts supervision', () => {
    const state = verifying({ ...majorFive });
    expect(ok(run(state, { type: 'change_level', level: 'general' }, principal)).patch).toEqual({
      level: 'general',
      supervised: false,
    });
  });

  it('refuses no-ops, non-managers and closed hazards', () => {
    expect(refused(run(hazard(), { type: 'change_level', level: 'general' }, principal))).toBe(
      'YH-2026-0001 已经是一般隐患。',
    );
    expect(refused(run(hazard(), { type: 'change_level', level: 'major' }, reporter))).toBe(
      '只有安全员或校长可以调整隐患等级。',
    );
    expect(refused(run(closed(), { type: 'change_level', level: 'major' }, principal))).toContain('已销号');
  });
});

describe('parents and strangers', () => {
  const commands: HazardCommand[] = [
    { type: 'assign', ownerId: owner.personId, deadline: LATER },
    { type: 'fix_on_spot', attachments: [PHOTO] },
    { type: 'dismiss', reason: '不属实' },
    { type: 'change_level', level: 'major' },
  ];

  it.each(commands)('refuses a parent: $type', (command) => {
    expect(refused(run(hazard(), command, parent))).toBe('家长账号不能处理隐患，这些命令仅限学校教职工使用。');
  });

  it('refuses a parent closing a hazard, even one they reported', () => {
    const reportingParent: Actor = { personId: reporter.personId, roles: ['parent'] };
    expect(refused(run(verifying(), { type: 'accept', attachments: [PHOTO] }, reportingParent))).toContain('家长账号');
  });

  it('refuses a stranger with a hint to get bound', () => {
    expect(refused(run(verifying(), { type: 'accept' }, stranger))).toContain('还没有绑定本校教职工身份');
  });

  it('treats a teacher who is also a parent as staff', () => {
    const teacherParent: Actor = { personId: reporter.personId, roles: ['parent', 'teacher'] };
    expect(ok(run(verifying(), { type: 'accept' }, teacherParent)).patch.status).toBe('closed');
  });
});

describe('a full loop', () => {
  it('runs 登记 → 整改中 → 待复查 → 已销号 with one event per step', () => {
    let state = hazard({ ...majorFive, level: 'major', measures: null });
    const events = [];
    const steps: [HazardCommand, Actor][] = [
      [{ type: 'assign', ownerId: owner.personId, deadline: LATER, measures: '更换燃气管道' }, principal],
      [{ type: 'submit_fix', note: '已更换', attachments: [PHOTO] }, owner],
      [{ type: 'reject', reason: '阀门未更换' }, reporter],
      [{ type: 'submit_fix', note: '阀门也换了', attachments: [PHOTO] }, owner],
      [{ type: 'accept' }, safetyOfficer],
    ];
    for (const [command, actor] of steps) {
      const decision = ok(run(state, command, actor));
      events.push(decision.event);
      const fixAttachments = decision.event.attachments.length > 0 ? decision.event.attachments : state.fixAttachments;
      state = { ...state, ...decision.patch, fixAttachments };
    }
    expect(events.map((event) => `${event.fromStatus}→${event.toStatus}`)).toEqual([
      'reported→rectifying',
      'rectifying→verifying',
      'verifying→rectifying',
      'rectifying→verifying',
      'verifying→closed',
    ]);
    expect(state).toMatchObject({ status: 'closed', supervised: true, verifiedBy: safetyOfficer.personId });
  });
});
