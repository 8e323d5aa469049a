/**
 * Who receives a due occurrence, resolved for a whole batch of schools at once: role holders with their
 * platform accounts, the district bureau, and bound group chats.
 */
import {
  type Account,
  accountsByPerson,
  bureauHolders,
  type ChatTarget,
  chatsOfKind,
  roleHolders,
  type SchoolRef,
} from '../db/repos/schedule.js';
import type { ChatKind, Role } from '../db/schema.js';
import type { Db } from '../db/types.js';

export interface Recipient {
  personId: string;
  name: string;
  accounts: Account[];
  /** Classes the person holds a class-scoped grant for (class teachers). */
  classNames: string[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Per school: the people holding any of `roles` there, each once, with their accounts. */
export async function peopleWithRoles(
  db: Db,
  schoolIds: readonly string[],
  roles: readonly Role[],
): Promise<Map<string, Recipient[]>> {
  const holders = await roleHolders(db, schoolIds, roles);
  const accounts = await accountsByPerson(
    db,
    holders.map((holder) => holder.personId),
  );
  const bySchool = new Map<string, Map<string, Recipient>>();
  for (const holder of holders) {
    let people = bySchool.get(holder.schoolId);
    if (!people) {
      people = new Map();
      bySchool.set(holder.schoolId, people);
    }
    let recipient = people.get(holder.personId);
    if (!recipient) {
      recipient = {
        personId: holder.personId,
        name: holder.name,
        accounts: accounts.get(holder.personId) ?? [],
        classNames: [],
      };
      people.set(holder.personId, recipient);
    }
    if (holder.className && !recipient.classNames.includes(holder.className))
      recipient.classNames.push(holder.className);
  }
  return new Map([...bySchool].map(([schoolId, people]) => [schoolId, [...people.values()]]));
}

/** Per school: the bureau staff of its district (and bureau grants made at the school itself). */
export async function bureauFor(db: Db, schools: readonly SchoolRef[]): Promise<Map<string, Recipient[]>> {
  const holders = await bureauHolders(
    db,
    schools.map((school) => school.districtId),
    schools.map((school) => school.id),
  );
  const accounts = await accountsByPerson(
    db,
    holders.map((holder) => holder.personId),
  );
  const result = new Map<string, Recipient[]>();
  for (const school of schools) {
    const seen = new Set<string>();
    for (const holder of holders) {
      const covers = holder.districtId ? holder.districtId === school.districtId : holder.schoolId === school.id;
      if (!covers || seen.has(holder.personId)) continue;
      seen.add(holder.personId);
      push(result, school.id, {
        personId: holder.personId,
        name: holder.name,
        accounts: accounts.get(holder.personId) ?? [],
        classNames: [],
      });
    }
  }
  return result;
}

export async function groupChats(
  db: Db,
  schoolIds: readonly string[],
  kind: ChatKind,
): Promise<Map<string, ChatTarget[]>> {
  const result = new Map<string, ChatTarget[]>();
  for (const chat of await chatsOfKind(db, schoolIds, kind)) push(result, chat.schoolId, chat);
  return result;
}

/** Recipients of these people by id (owners of hazards, digest readers), with accounts. */
export async function peopleById(db: Db, people: ReadonlyMap<string, string>): Promise<Map<string, Recipient>> {
  const accounts = await accountsByPerson(db, [...people.keys()]);
  return new Map(
    [...people].map(([personId, name]) => [
      personId,
      { personId, name, accounts: accounts.get(personId) ?? [], classNames: [] },
    ]),
  );
}
