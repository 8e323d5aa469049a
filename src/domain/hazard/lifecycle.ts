import type { Attachment } from '../../model/inbound.js';
import { describeMissing, missingFiveImplementations } from './five-implementations.js';
import { joinAlternatives, LEVEL_LABELS, ROLE_LABELS, STATUS_LABELS } from './labels.js';
import {
  ACTION_LABELS,
  checkPermission,
  describePermitted,
  type HazardPolicy,
  isStaff,
  notStaffReason,
} from './policy.js';
import type {
  Actor,
  HazardAction,
  HazardFields,
  HazardLevel,
  HazardState,
  HazardStatus,
  TimelineEntry,
} from './types.js';

export type HazardCommand =
  | {
      type: 'assign';
      /** Omitted on a re-assignment that only changes other fields. */
      ownerId?: string;
      deadline?: Date;
      measures?: string;
      funds?: string;
      interimPlan?: string;
      note?: string;
    }
  | { type: 'fix_on_spot'; note?: string; attachments?: readonly Attachment[] }
  | { type: 'submit_fix'; note?: string; attachments?: readonly Attachment[] }
  | { type: 'accept'; note?: string; attachments?: readonly Attachment[] }
  | { type: 'reject'; reason: string; deadline?: Date; attachments?: readonly Attachment[] }
  | { type: 'dismiss'; reason: string; duplicateOf?: string }
  | { type: 'reopen'; reason: string; deadline?: Date }
  | { type: 'change_level'; level: HazardLevel; note?: string };

export type Decision = { ok: true; patch: Partial<HazardFields>; event: TimelineEntry } | { ok: false; reason: string };

export const VERIFY_RESULTS = { passed: 'passed', rejected: 'rejected' } as const;

/** Where each command may start from. */
const FROM: Record<HazardAction, readonly HazardStatus[]> = {
  report: [],
  assign: ['reported', 'rectifying'],
  fix_on_spot: ['reported'],
  submit_fix: ['rectifying'],
  accept: ['verifying'],
  reject: ['verifying'],
  dismiss: ['reported'],
  reopen: ['closed', 'dismissed'],
  change_level: ['reported', 'rectifying', 'verifying'],
};

/** `整改` on a hazard still in 登记 means it was fixed on the spot. */
export function fixCommandType(status: HazardStatus): 'fix_on_spot' | 'submit_fix' {
  return status === 'reported' ? 'fix_on_spot' : 'submit_fix';
}

type Refusal = { ok: false; reason: string };
const refuse = (reason: string): Refusal => ({ ok: false, reason });

function text(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function photosOf(attachments: readonly Attachment[] | undefined): Attachment[] {
  return (attachments ?? []).filter((attachment) => attachment.kind === 'image');
}

function stateRefusal(hazard: HazardState, action: HazardAction): Refusal {
  const where = `${hazard.code} 当前状态为「${STATUS_LABELS[hazard.status]}」`;
  if (hazard.status === 'closed')
    return refuse(`${where}，不能${ACTION_LABELS[action]}；如需重新整改，请用「重开 ${hazard.code} 原因」。`);
  if (hazard.status === 'verifying' && (action === 'submit_fix' || action === 'fix_on_spot')) {
    return refuse(`${where}：整改已经提交，正在等待复查。`);
  }
  if (hazard.status === 'reported' && (action === 'accept' || action === 'reject')) {
    return refuse(`${where}：还没有提交整改，暂时不能复查。`);
  }
  if (action === 'reopen') return refuse(`${where}，尚未关闭，不需要重开。`);
  return refuse(`${where}，不能${ACTION_LABELS[action]}。`);
}

function futureDeadline(deadline: Date | undefined, now: Date): Refusal | null {
  if (deadline && deadline.getTime() <= now.getTime()) return refuse('截止日期已过，请给今天或以后的日期。');
  return null;
}

function entry(
  hazard: HazardState,
  action: HazardAction,
  actor: Actor,
  now: Date,
  toStatus: HazardStatus,
  fields: Partial<Pick<TimelineEntry, 'note' | 'detail' | 'attachments'>> = {},
): TimelineEntry {
  return {
    at: now,
    actorId: actor.personId,
    action,
    fromStatus: hazard.status,
    toStatus,
    note: fields.note ?? null,
    detail: fields.detail ?? {},
    attachments: fields.attachments ?? [],
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function decideAssign(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'assign' }>,
  actor: Actor,
  now: Date,
  policy: HazardPolicy,
): Decision {
  const ownerId = text(command.ownerId) ?? hazard.ownerId;
  if (!ownerId) return refuse(`请指定整改责任人，例如：指派 ${hazard.code} @张三 截止 下周五`);
  const pastDeadline = futureDeadline(command.deadline, now);
  if (pastDeadline) return pastDeadline;
  const deadline = command.deadline ?? hazard.deadline;
  const firstAssignment = hazard.status === 'reported';
  if (firstAssignment && policy.assignRequiresDeadline) {
    if (!deadline) return refuse(`请给出整改时限，例如：指派 ${hazard.code} @张三 截止 3天内`);
    if (deadline.getTime() <= now.getTime()) return refuse('原定整改时限已过，请给出新的截止日期。');
  }
  const next = {
    ownerId,
    deadline,
    measures: text(command.measures) ?? hazard.measures,
    funds: text(command.funds) ?? hazard.funds,
    interimPlan: text(command.interimPlan) ?? hazard.interimPlan,
  };
  if (firstAssignment && hazard.level === 'major' && policy.major.requireFiveImplementations) {
    const missing = missingFiveImplementations(next);
    if (missing.length > 0) {
      return refuse(
        `重大隐患须落实责任人、措施、资金、时限、预案（五落实）后才能进入整改，还缺：${describeMissing(missing, next)}。` +
          `例如：指派 ${hazard.code} @张三 截止 6月30日 措施 … 资金 … 预案 …`,
      );
    }
  }
  const patch: Partial<HazardFields> = {};
  for (const key of ['ownerId', 'deadline', 'measures', 'funds', 'interimPlan'] as const) {
    const before = hazard[key];
    const after = next[key];
    const same =
      before instanceof Date && after instanceof Date ? before.getTime() === after.getTime() : before === after;
    if (!same) Object.assign(patch, { [key]: after });
  }
  if (!firstAssignment && Object.keys(patch).length === 0) return refuse('没有要修改的内容。');
  const supervised = hazard.level === 'major' && policy.major.supervise;
  if (supervised !== hazard.supervised) patch.supervised = supervised;
  patch.status = 'rectifying';
  const detail: Record<string, unknown> = {
    ownerId: next.ownerId,
    deadline: iso(next.deadline),
    measures: next.measures,
    funds: next.funds,
    interimPlan: next.interimPlan,
  };
  if (!firstAssignment) {
    if ('ownerId' in patch) detail.previousOwnerId = hazard.ownerId;
    if ('deadline' in patch) detail.previousDeadline = iso(hazard.deadline);
  }
  return {
    ok: true,
    patch,
    event: entry(hazard, 'assign', actor, now, 'rectifying', { note: text(command.note), detail }),
  };
}

function decideFix(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'fix_on_spot' | 'submit_fix' }>,
  actor: Actor,
  now: Date,
  policy: HazardPolicy,
): Decision {
  if (command.type === 'fix_on_spot' && hazard.level === 'major' && policy.major.requireFiveImplementations) {
    const missing = missingFiveImplementations(hazard);
    if (missing.length > 0) {
      return refuse(
        `重大隐患不能直接登记现场整改，须先指派并落实五落实（还缺：${describeMissing(missing, hazard)}）。` +
          `请安全员或校长：指派 ${hazard.code} @责任人 截止 … 措施 … 资金 … 预案 …`,
      );
    }
  }
  const note = text(command.note);
  const photos = photosOf(command.attachments);
  if (policy.fixEvidence === 'photo' && photos.length === 0) return refuse('提交整改请附上整改后的照片。');
  if (photos.length === 0 && !note) return refuse('提交整改请附上整改后的照片，或写明整改情况。');
  const patch: Partial<HazardFields> = {
    status: 'verifying',
    fixedAt: now,
    fixedBy: actor.personId,
    fixNote: note,
    verifiedAt: null,
    verifiedBy: null,
    verifyResult: null,
  };
  const event = entry(hazard, command.type, actor, now, 'verifying', {
    note,
    detail: { photoCount: photos.length },
    attachments: [...(command.attachments ?? [])],
  });
  return { ok: true, patch, event };
}

/** 谁整改不复查: the submitter never verifies; the owner only when the policy says so. */
function separationRefusal(hazard: HazardState, actor: Actor, policy: HazardPolicy): Refusal | null {
  const others = describePermitted(policy.permissions.accept);
  if (hazard.fixedBy !== null && hazard.fixedBy === actor.personId) {
    return refuse(`不能复查自己提交的整改，请由${others}（非整改提交人）复查。`);
  }
  if (!policy.ownerMayVerify && hazard.ownerId !== null && hazard.ownerId === actor.personId) {
    return refuse(`整改责任人不能复查自己负责的隐患，请由${others}复查。`);
  }
  return null;
}

function decideAccept(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'accept' }>,
  actor: Actor,
  now: Date,
  policy: HazardPolicy,
): Decision {
  const note = text(command.note);
  const photoCount = photosOf(hazard.fixAttachments).length + photosOf(command.attachments).length;
  const closedByReason = photoCount === 0;
  if (closedByReason && policy.closure.requirePhotoOrReason) {
    const acceptors = joinAlternatives(policy.closure.reasonAcceptedBy.map((role) => ROLE_LABELS[role]));
    if (!note) {
      return refuse(
        `销号需要至少一张整改后的照片。没有照片时，须由${acceptors}写明书面说明：复查 ${hazard.code} 通过 说明 …`,
      );
    }
    if (!actor.roles.some((role) => policy.closure.reasonAcceptedBy.includes(role))) {
      return refuse(`没有整改后的照片，书面说明须由${acceptors}认可后才能销号；也可以补发一张整改后的照片再复查。`);
    }
  }
  const patch: Partial<HazardFields> = {
    status: 'closed',
    verifiedAt: now,
    verifiedBy: actor.personId,
    verifyResult: VERIFY_RESULTS.passed,
    closedAt: now,
  };
  const event = entry(hazard, 'accept', actor, now, 'closed', {
    note,
    detail: { photoCount, closedByReason },
    attachments: [...(command.attachments ?? [])],
  });
  return { ok: true, patch, event };
}

function decideReject(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'reject' }>,
  actor: Actor,
  now: Date,
): Decision {
  const reason = text(command.reason);
  if (!reason) return refuse(`退回整改须写明原因，例如：复查 ${hazard.code} 退回 灭火器压力仍不足`);
  const pastDeadline = futureDeadline(command.deadline, now);
  if (pastDeadline) return pastDeadline;
  // A hazard fixed on the spot has no owner yet: it goes back to 登记 to be assigned.
  const toStatus: HazardStatus = hazard.ownerId ? 'rectifying' : 'reported';
  const patch: Partial<HazardFields> = {
    status: toStatus,
    verifiedAt: now,
    verifiedBy: actor.personId,
    verifyResult: VERIFY_RESULTS.rejected,
    fixedAt: null,
    fixedBy: null,
    fixNote: null,
  };
  if (command.deadline) patch.deadline = command.deadline;
  const event = entry(hazard, 'reject', actor, now, toStatus, {
    note: reason,
    detail: { deadline: iso(command.deadline ?? hazard.deadline), previousFixedBy: hazard.fixedBy },
    attachments: [...(command.attachments ?? [])],
  });
  return { ok: true, patch, event };
}

function decideDismiss(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'dismiss' }>,
  actor: Actor,
  now: Date,
): Decision {
  const reason = text(command.reason);
  if (!reason) return refuse(`驳回须写明原因，例如：驳回 ${hazard.code} 不属实，现场灭火器完好`);
  if (command.duplicateOf && command.duplicateOf === hazard.code) return refuse('不能标记为与自己重复。');
  const detail = command.duplicateOf ? { duplicateOf: command.duplicateOf } : {};
  return {
    ok: true,
    patch: { status: 'dismissed', dismissReason: reason },
    event: entry(hazard, 'dismiss', actor, now, 'dismissed', { note: reason, detail }),
  };
}

function decideReopen(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'reopen' }>,
  actor: Actor,
  now: Date,
): Decision {
  const reason = text(command.reason);
  if (!reason) return refuse(`重开须写明原因，例如：重开 ${hazard.code} 灭火器又被挪走了`);
  const pastDeadline = futureDeadline(command.deadline, now);
  if (pastDeadline) return pastDeadline;
  // A dismissal was wrong, or a closed hazard has no owner (fixed on the spot): back to 登记 for triage.
  const toStatus: HazardStatus = hazard.status === 'closed' && hazard.ownerId ? 'rectifying' : 'reported';
  const keptDeadline = hazard.deadline && hazard.deadline.getTime() > now.getTime() ? hazard.deadline : null;
  const deadline = command.deadline ?? keptDeadline;
  if (toStatus === 'rectifying' && !deadline) {
    return refuse(`原整改时限已过，重开须给出新的截止日期，例如：重开 ${hazard.code} ${reason} 截止 3天内`);
  }
  const patch: Partial<HazardFields> = {
    status: toStatus,
    cycle: hazard.cycle + 1,
    deadline: toStatus === 'rectifying' ? deadline : (command.deadline ?? hazard.deadline),
    fixedAt: null,
    fixedBy: null,
    fixNote: null,
    verifiedAt: null,
    verifiedBy: null,
    verifyResult: null,
    closedAt: null,
    dismissReason: null,
  };
  const event = entry(hazard, 'reopen', actor, now, toStatus, {
    note: reason,
    detail: { cycle: hazard.cycle + 1, deadline: iso(patch.deadline ?? null) },
  });
  return { ok: true, patch, event };
}

function decideChangeLevel(
  hazard: HazardState,
  command: Extract<HazardCommand, { type: 'change_level' }>,
  actor: Actor,
  now: Date,
  policy: HazardPolicy,
): Decision {
  if (command.level === hazard.level) return refuse(`${hazard.code} 已经是${LEVEL_LABELS[hazard.level]}。`);
  const supervised = command.level === 'major' && policy.major.supervise;
  const detail: Record<string, unknown> = { fromLevel: hazard.level, toLevel: command.level, supervised };
  // Raising the level is never blocked by paperwork; the flow asks for what 五落实 still lacks.
  if (command.level === 'major' && hazard.status !== 'reported') {
    const missing = missingFiveImplementations(hazard);
    if (missing.length > 0) detail.missingFiveImplementations = missing;
  }
  return {
    ok: true,
    patch: { level: command.level, supervised },
    event: entry(hazard, 'change_level', actor, now, hazard.status, { note: text(command.note), detail }),
  };
}

/**
 * The whole hazard state machine. Pure: reads the hazard, the command, who acts, the clock and the
 * policy, and answers either the patch and timeline entry to write, or a Chinese reason for the chat
 * user (in which case nothing may change). Checks run in this order: school staff, state, 谁整改不复查
 * (so the fixer hears that, not a generic role refusal), permission, arguments, business rules.
 */
export function decide(
  hazard: HazardState,
  command: HazardCommand,
  actor: Actor,
  now: Date,
  policy: HazardPolicy,
): Decision {
  if (!isStaff(actor, policy)) return refuse(notStaffReason(actor));
  if (!FROM[command.type].includes(hazard.status)) return stateRefusal(hazard, command.type);
  if (command.type === 'accept' || command.type === 'reject') {
    const separation = separationRefusal(hazard, actor, policy);
    if (separation) return separation;
  }
  const permission = checkPermission(policy, command.type, actor, hazard);
  if (!permission.ok) return permission;
  switch (command.type) {
    case 'assign':
      return decideAssign(hazard, command, actor, now, policy);
    case 'fix_on_spot':
    case 'submit_fix':
      return decideFix(hazard, command, actor, now, policy);
    case 'accept':
      return decideAccept(hazard, command, actor, now, policy);
    case 'reject':
      return decideReject(hazard, command, actor, now);
    case 'dismiss':
      return decideDismiss(hazard, command, actor, now);
    case 'reopen':
      return decideReopen(hazard, command, actor, now);
    case 'change_level':
      return decideChangeLevel(hazard, command, actor, now, policy);
  }
}
