import type { Actor as HazardActor } from '../../domain/hazard/index.js';
import { isStaff, notStaffReason } from '../../domain/hazard/index.js';
import { findSchool } from '../../db/repos/school-people.js';
import { rolesAt } from '../actor.js';
import type { FlowContext } from '../types.js';
import type { HazardDeps } from './deps.js';

/** Where a hazard command runs and who runs it, as the domain sees them. */
export interface HazardScope {
  schoolId: string;
  schoolName: string;
  timezone: string;
  actor: HazardActor;
}

export type ScopeResult = { ok: true; scope: HazardScope } | { ok: false; reason: string };

interface School {
  id: string;
  name: string;
  timezone: string;
}

const refuse = (reason: string): ScopeResult => ({ ok: false, reason });

function withActor(ctx: FlowContext, deps: HazardDeps, school: School): ScopeResult {
  const roles = [...rolesAt(ctx.actor, school.id, ctx.chat)];
  if (!ctx.actor.personId) {
    return refuse(ctx.event.chat.type === 'direct' ? deps.replies.bindDirect : notStaffReason({ personId: '', roles }));
  }
  const actor = { personId: ctx.actor.personId, roles };
  if (!isStaff(actor, deps.policy)) return refuse(notStaffReason(actor));
  return { ok: true, scope: { schoolId: school.id, schoolName: school.name, timezone: school.timezone, actor } };
}

/**
 * The school a message speaks for: the bound chat's, or in a direct chat the one school where the person
 * is staff. Parents' groups, unbound groups, strangers and parents are refused with a reason.
 */
export async function resolveScope(ctx: FlowContext, deps: HazardDeps): Promise<ScopeResult> {
  const { chat, actor } = ctx;
  if (chat) {
    if (chat.kind === 'class_parents') return refuse(deps.replies.parentsGroup);
    return withActor(ctx, deps, { id: chat.schoolId, name: chat.schoolName, timezone: chat.timezone });
  }
  if (ctx.event.chat.type === 'group') return refuse(deps.replies.unboundGroup);
  if (!actor.personId) return refuse(deps.replies.bindDirect);
  const staffSchools = new Set(
    actor.grants
      .filter((grant) => grant.schoolId !== null && deps.policy.staffRoles.includes(grant.role))
      .map((grant) => grant.schoolId as string),
  );
  if (staffSchools.size === 0) {
    const parent = actor.grants.some((grant) => grant.role === 'parent');
    return refuse(parent ? notStaffReason({ personId: actor.personId, roles: ['parent'] }) : deps.replies.bindDirect);
  }
  if (staffSchools.size > 1) return refuse(deps.replies.multiSchool);
  const school = await findSchool(ctx.db, [...staffSchools][0]!);
  return school ? withActor(ctx, deps, school) : refuse(deps.replies.bindDirect);
}

/** The scope for acting on a record that belongs to `schoolId` (a card clicked anywhere). */
export async function scopeForSchool(ctx: FlowContext, deps: HazardDeps, schoolId: string): Promise<ScopeResult> {
  const { chat } = ctx;
  if (chat?.kind === 'class_parents') return refuse(deps.replies.parentsGroup);
  if (chat?.schoolId === schoolId) {
    return withActor(ctx, deps, { id: chat.schoolId, name: chat.schoolName, timezone: chat.timezone });
  }
  const school = await findSchool(ctx.db, schoolId);
  return school ? withActor(ctx, deps, school) : refuse(deps.replies.bindDirect);
}
