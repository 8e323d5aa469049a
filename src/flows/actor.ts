import type { Grant } from '../db/repos/identity.js';
import type { BoundChat } from '../db/repos/identity.js';
import type { Role } from '../db/schema.js';

export interface Actor {
  /** Null for a stranger: nobody we know, speaking outside any bound staff chat. */
  personId: string | null;
  name: string;
  platformUserId: string;
  grants: Grant[];
}

/**
 * Roles the actor holds at a school (and class). A member of a bound staff or leaders group counts as a
 * teacher of that school without an explicit grant.
 */
export function rolesAt(actor: Actor, schoolId: string, chat: BoundChat | null, classId?: string | null): Set<Role> {
  const roles = new Set<Role>();
  for (const grant of actor.grants) {
    if (grant.schoolId !== schoolId) continue;
    if (grant.classId && classId !== undefined && grant.classId !== classId) continue;
    roles.add(grant.role);
  }
  if (actor.personId && chat && chat.schoolId === schoolId && (chat.kind === 'staff' || chat.kind === 'leaders')) {
    roles.add('teacher');
  }
  return roles;
}

export function hasAnyRole(roles: Set<Role>, wanted: readonly Role[]): boolean {
  return wanted.some((role) => roles.has(role));
}
