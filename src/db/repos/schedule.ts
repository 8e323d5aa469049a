/**
 * What the scheduler reads about schools and people: the schools it evaluates, and the recipients of a
 * due occurrence (chats by kind, role holders, accounts), always for a batch of schools or people at
 * once so a tick issues a few queries per rule, not one per subject.
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { ChatKind, Role } from '../schema.js';
import { chats, classes, districts, people, platformAccounts, roleGrants, schools } from '../schema.js';
import type { Db } from '../types.js';

/** What the scheduler knows about a school: enough to evaluate its calendar and local times. */
export interface SchoolRef {
  id: string;
  name: string;
  code: string;
  /** IANA zone (Asia/Shanghai by default). */
  timezone: string;
  /** Local 'HH:MM'. */
  dismissalTime: string;
  districtId: string;
  districtCode: string;
}

export interface ChatTarget {
  schoolId: string;
  platform: string;
  tenant: string;
  chatId: string;
}

export interface Account {
  platform: string;
  tenant: string;
  userId: string;
}

export interface RoleHolder {
  schoolId: string;
  personId: string;
  name: string;
  role: Role;
  classId: string | null;
  className: string | null;
}

export interface BureauHolder {
  personId: string;
  name: string;
  districtId: string | null;
  schoolId: string | null;
}

/** Ids per statement: far below PostgreSQL's parameter limit. */
const CHUNK = 1000;

async function inChunks<T>(ids: readonly string[], query: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const rows: T[] = [];
  for (let start = 0; start < unique.length; start += CHUNK) {
    for (const row of await query(unique.slice(start, start + CHUNK))) rows.push(row);
  }
  return rows;
}

export async function listSchools(db: Db): Promise<SchoolRef[]> {
  return db
    .select({
      id: schools.id,
      name: schools.name,
      code: schools.code,
      timezone: schools.timezone,
      dismissalTime: schools.dismissalTime,
      districtId: schools.districtId,
      districtCode: districts.code,
    })
    .from(schools)
    .innerJoin(districts, eq(districts.id, schools.districtId))
    .orderBy(schools.code);
}

/** Active bound chats of one kind (staff, leaders …) of these schools (chats_school_kind). */
export async function chatsOfKind(db: Db, schoolIds: readonly string[], kind: ChatKind): Promise<ChatTarget[]> {
  return inChunks(schoolIds, (part) =>
    db
      .select({ schoolId: chats.schoolId, platform: chats.platform, tenant: chats.tenant, chatId: chats.chatId })
      .from(chats)
      .where(and(inArray(chats.schoolId, part), eq(chats.kind, kind), eq(chats.active, true))),
  );
}

/** People holding these roles at these schools (role_grants_school_role), with their class when scoped. */
export async function roleHolders(db: Db, schoolIds: readonly string[], roles: readonly Role[]): Promise<RoleHolder[]> {
  const rows = await inChunks(schoolIds, (part) =>
    db
      .select({
        schoolId: roleGrants.schoolId,
        personId: roleGrants.personId,
        name: people.name,
        role: roleGrants.role,
        classId: roleGrants.classId,
        className: classes.name,
      })
      .from(roleGrants)
      .innerJoin(people, eq(people.id, roleGrants.personId))
      .leftJoin(classes, eq(classes.id, roleGrants.classId))
      .where(and(inArray(roleGrants.schoolId, part), inArray(roleGrants.role, [...roles]))),
  );
  return rows.filter((row): row is RoleHolder => row.schoolId !== null);
}

/**
 * Bureau staff for these districts: a bureau grant names its district (and usually the school it was
 * granted at); one without a district counts for its school only.
 */
export async function bureauHolders(
  db: Db,
  districtIds: readonly string[],
  schoolIds: readonly string[],
): Promise<BureauHolder[]> {
  if (districtIds.length === 0 && schoolIds.length === 0) return [];
  return db
    .select({
      personId: roleGrants.personId,
      name: people.name,
      districtId: roleGrants.districtId,
      schoolId: roleGrants.schoolId,
    })
    .from(roleGrants)
    .innerJoin(people, eq(people.id, roleGrants.personId))
    .where(
      and(
        eq(roleGrants.role, 'bureau'),
        or(
          inArray(roleGrants.districtId, [...new Set(districtIds)]),
          and(isNull(roleGrants.districtId), inArray(roleGrants.schoolId, [...new Set(schoolIds)])),
        ),
      ),
    );
}

/** Every platform account of these people, by person (platform_accounts_person). */
export async function accountsByPerson(db: Db, personIds: readonly string[]): Promise<Map<string, Account[]>> {
  const rows = await inChunks(personIds, (part) =>
    db
      .select({
        personId: platformAccounts.personId,
        platform: platformAccounts.platform,
        tenant: platformAccounts.tenant,
        userId: platformAccounts.userId,
      })
      .from(platformAccounts)
      .where(inArray(platformAccounts.personId, part)),
  );
  const byPerson = new Map<string, Account[]>();
  for (const { personId, ...account } of rows) {
    const list = byPerson.get(personId) ?? [];
    list.push(account);
    byPerson.set(personId, list);
  }
  return byPerson;
}

export async function personNames(db: Db, personIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await inChunks(personIds, (part) =>
    db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, part)),
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}
