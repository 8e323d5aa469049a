import type { PersonRef } from '../../../domain/commands/index.js';
import { findPersonByAccount } from '../../../db/repos/identity.js';
import { peopleNamed, withAccountOn, withRoleAt } from '../../../db/repos/school-people.js';
import type { FlowContext } from '../../types.js';
import { FlowRefusal } from '../../types.js';
import type { HazardDeps } from '../deps.js';
import { say } from '../replies.js';
import type { HazardScope } from '../scope.js';

/**
 * The person a command names as owner: an @-mention is first read as the platform user id, then any
 * name is matched among the school's staff, and failing that among the people seen on this platform.
 */
export async function resolveOwner(
  ctx: FlowContext,
  deps: HazardDeps,
  scope: HazardScope,
  ref: PersonRef,
): Promise<string> {
  const name = ref.name.trim();
  const { platform, tenant } = ctx.event;
  if (ref.mentioned) {
    const account = await findPersonByAccount(ctx.db, platform, tenant, name);
    if (account) return account.personId;
  }
  const named = (await peopleNamed(ctx.db, name)).map((person) => person.personId);
  const staff = await withRoleAt(ctx.db, named, scope.schoolId, deps.policy.staffRoles);
  const pool = staff.size > 0 ? staff : await withAccountOn(ctx.db, named, platform, tenant);
  if (pool.size === 1) return [...pool][0]!;
  throw new FlowRefusal(say(deps.replies, pool.size === 0 ? 'ownerNotFound' : 'ownerAmbiguous', { name }));
}
