import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { ChatKind, Role } from '../schema.js';
import { chats, people, platformAccounts, roleGrants, schools } from '../schema.js';
import type { Db } from '../types.js';

export interface PersonName {
  personId: string;
  name: string;
}

export async function findSchool(db: Db, schoolId: string) {
  const [row] = await db
    .select({ id: schools.id, name: schools.name, timezone: schools.timezone })
    .from(schools)
    .where(eq(schools.id, schoolId))
    .limit(1);
  return row ?? null;
}

/** People holding a school-wide role at a school (principals, safety officers …). */
export async function peopleWithRole(db: Db, schoolId: string, role: Role): Promise<PersonName[]> {
  return db
    .selectDistinct({ personId: people.id, name: people.name })
    .from(roleGrants)
    .innerJoin(people, eq(people.id, roleGrants.personId))
    .where(and(eq(roleGrants.schoolId, schoolId), eq(roleGrants.role, role), isNull(roleGrants.classId)));
}

export async function namesOf(db: Db, personIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(personIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** People called `name` (their own name or a platform display name). */
export async function peopleNamed(db: Db, name: string): Promise<PersonName[]> {
  return db
    .selectDistinct({ personId: people.id, name: people.name })
    .from(people)
    .leftJoin(platformAccounts, eq(platformAccounts.personId, people.id))
    .where(or(eq(people.name, name), eq(platformAccounts.displayName, name)));
}

/** Which of these people hold one of `roles` at the school. */
export async function withRoleAt(
  db: Db,
  personIds: readonly string[],
  schoolId: string,
  roles: readonly Role[],
): Promise<Set<string>> {
  if (personIds.length === 0 || roles.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ personId: roleGrants.personId })
    .from(roleGrants)
    .where(
      and(
        inArray(roleGrants.personId, [...personIds]),
        eq(roleGrants.schoolId, schoolId),
        inArray(roleGrants.role, [...roles]),
      ),
    );
  return new Set(rows.map((row) => row.personId));
}

/** Which of these people have an account on the platform tenant (members seen in the school's chats). */
export async function withAccountOn(
  db: Db,
  personIds: readonly string[],
  platform: string,
  tenant: string,
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ personId: platformAccounts.personId })
    .from(platformAccounts)
    .where(
      and(
        inArray(platformAccounts.personId, [...personIds]),
        eq(platformAccounts.platform, platform),
        eq(platformAccounts.tenant, tenant),
      ),
    );
  return new Set(rows.map((row) => row.personId));
}

/** The school's bound chats of one kind (the leaders group for major-hazard alerts). */
export async function schoolChats(db: Db, schoolId: string, kind: ChatKind) {
  return db
    .select({ id: chats.id, platform: chats.platform, tenant: chats.tenant, chatId: chats.chatId })
    .from(chats)
    .where(and(eq(chats.schoolId, schoolId), eq(chats.kind, kind), eq(chats.active, true)));
}
