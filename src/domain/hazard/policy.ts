import { joinAlternatives, ROLE_LABELS } from './labels.js';
import type { Actor, HazardFields, Role } from './types.js';

/** A person's tie to one hazard that can grant a permission on it. */
export const RELATIONS = ['reporter', 'owner'] as const;
export type Relation = (typeof RELATIONS)[number];

/** Hazard transitions plus the other staff commands whose access the same policy decides. */
export const POLICY_ACTIONS = [
  'report',
  'assign',
  'fix_on_spot',
  'submit_fix',
  'accept',
  'reject',
  'dismiss',
  'reopen',
  'change_level',
  'view',
  'ledger',
  'remind',
  'receipt_start',
  'receipt_progress',
] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export interface Permission {
  roles: readonly Role[];
  /** Granted to these people on the hazard even without one of the roles. */
  relations: readonly Relation[];
}

/** The district-editable rules; the defaults live in bot-flows/policy.ts. */
export interface HazardPolicy {
  /** Roles that make someone school staff; anyone else (parents, strangers) is refused every staff command. */
  staffRoles: readonly Role[];
  permissions: Record<PolicyAction, Permission>;
  /** Whether the owner may verify a fix someone else submitted for them. The submitter never may. */
  ownerMayVerify: boolean;
  /** What a fix submission must carry: an after-photo, or a photo or a written note. */
  fixEvidence: 'photo' | 'photo_or_note';
  closure: {
    /** Closing needs an after-photo (on the fix or the verify step) or an accepted written reason. */
    requirePhotoOrReason: boolean;
    /** Roles whose written reason may stand in for the photo. */
    reasonAcceptedBy: readonly Role[];
  };
  /** Whether assigning a hazard needs a deadline (deadline nags and escalation run on it). */
  assignRequiresDeadline: boolean;
  major: {
    /** A major hazard cannot leave 登记 without all of 五落实. */
    requireFiveImplementations: boolean;
    /** Major hazards are flagged 挂牌督办. */
    supervise: boolean;
  };
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export const ACTION_LABELS: Record<PolicyAction, string> = {
  report: '上报隐患',
  assign: '指派整改',
  fix_on_spot: '登记现场整改',
  submit_fix: '提交整改',
  accept: '复查销号',
  reject: '退回整改',
  dismiss: '驳回隐患',
  reopen: '重开隐患',
  change_level: '调整隐患等级',
  view: '查看隐患',
  ledger: '查看台账',
  remind: '发提醒',
  receipt_start: '发起回执',
  receipt_progress: '查看回执进度',
};

export const RELATION_LABELS: Record<Relation, string> = {
  reporter: '发现人',
  owner: '整改责任人',
};

export function isStaff(actor: Actor, policy: HazardPolicy): boolean {
  return actor.roles.some((role) => policy.staffRoles.includes(role));
}

/** Refusal for someone who is not school staff at all, worded for a parent or a stranger. */
export function notStaffReason(actor: Actor): string {
  return actor.roles.includes('parent')
    ? '家长账号不能处理隐患，这些命令仅限学校教职工使用。'
    : '你还没有绑定本校教职工身份，请先联系学校安全员登记后再操作。';
}

/** Who may do `action`, in words: 整改责任人、安全员或校长. */
export function describePermitted(permission: Permission): string {
  const relationNames = permission.relations.map((relation) => RELATION_LABELS[relation]);
  const roleNames = permission.roles.map((role) => ROLE_LABELS[role]);
  return joinAlternatives([...relationNames, ...roleNames]);
}

export function relationsOf(actor: Actor, hazard: Pick<HazardFields, 'reporterId' | 'ownerId'>): Relation[] {
  const relations: Relation[] = [];
  if (hazard.reporterId === actor.personId) relations.push('reporter');
  if (hazard.ownerId !== null && hazard.ownerId === actor.personId) relations.push('owner');
  return relations;
}

/**
 * Whether `actor` may perform `action` (on `hazard`, when the action concerns one). Staff membership
 * comes first, so parents and strangers always get the same clear refusal.
 */
export function checkPermission(
  policy: HazardPolicy,
  action: PolicyAction,
  actor: Actor,
  hazard?: Pick<HazardFields, 'reporterId' | 'ownerId'>,
): Verdict {
  if (!isStaff(actor, policy)) return { ok: false, reason: notStaffReason(actor) };
  const permission = policy.permissions[action];
  if (actor.roles.some((role) => permission.roles.includes(role))) return { ok: true };
  if (hazard && relationsOf(actor, hazard).some((relation) => permission.relations.includes(relation))) {
    return { ok: true };
  }
  return { ok: false, reason: `只有${describePermitted(permission)}可以${ACTION_LABELS[action]}。` };
}
