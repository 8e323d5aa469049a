import { and, eq } from 'drizzle-orm';
import type { ChatKind, Role } from '../schema.js';
import { chats, classes, people, platformAccounts, roleGrants, schools } from '../schema.js';
import type { Db } from '../types.js';

export interface Grant {
  role: Role;
  schoolId: string | null;
  classId: string | null;
  districtId: string | null;
}

export interface BoundChat {
  id: string;
  platform: string;
  tenant: string;
  chatId: string;
  schoolId: string;
  schoolCode: string;
  schoolName: string;
  timezone: string;
  classId: string | null;
  className: string | null;
  kind: ChatKind;
  listenAll: boolean;
}

export async function findBoundChat(
  db: Db,
  platform: string,
  tenant: string,
  chatId: string,
): Promise<BoundChat | null> {
  const rows = await db
    .select({
      id: chats.id,
      platform: chats.platform,
      tenant: chats.tenant,
      chatId: chats.chatId,
      schoolId: chats.schoolId,
      schoolCode: schools.code,
      schoolName: schools.name,
      timezone: schools.timezone,
      classId: chats.classId,
      className: classes.name,
      kind: chats.kind,
      listenAll: chats.listenAll,
    })
    .from(chats)
    .innerJoin(schools, eq(schools.id, chats.schoolId))
    .leftJoin(classes, eq(classes.id, chats.classId))
    .where(
      and(eq(chats.platform, platform), eq(chats.tenant, tenant), eq(chats.chatId, chatId), eq(chats.active, true)),
    )
    .limit(1);
  return rows[0] ?? null;
}

export async function findPersonByAccount(
  db: Db,
  platform: string,
  tenant: string,
  userId: string,
): Promise<{ personId: string; name: string } | null> {
  const rows = await db
    .select({ personId: people.id, name: people.name })
    .from(platformAccounts)
    .innerJoin(people, eq(people.id, platformAccounts.personId))
    .where(
      and(
        eq(platformAccounts.platform, platform),
        eq(platformAccounts.tenant, tenant),
        eq(platformAccounts.userId, userId),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Creates a person with this platform account, or returns the existing one (concurrency-safe). */
export async function ensurePersonForAccount(
  db: Db,
  account: { platform: string; tenant: string; userId: string; name: string },
): Promise<{ personId: string; name: string }> {
  const existing = await findPersonByAccount(db, account.platform, account.tenant, account.userId);
  if (existing) return existing;
  const [person] = await db.insert(people).values({ name: account.name }).returning({ id: people.id });
  const inserted = await db
    .insert(platformAccounts)
    .values({
      personId: person!.id,
      platform: account.platform,
      tenant: account.tenant,
      userId: account.userId,
      displayName: account.name,
    })
    .onConflictDoNothing()
    .returning({ personId: platformAccounts.personId });
  if (inserted.length > 0) return { personId: person!.id, name: account.name };
  await db.delete(people).where(eq(people.id, person!.id));
  return (await findPersonByAccount(db, account.platform, account.tenant, account.userId))!;
}

export async function grantsOf(db: Db, personId: string): Promise<Grant[]> {
  return db
    .select({
      role: roleGrants.role,
      schoolId: roleGrants.schoolId,
      classId: roleGrants.classId,
      districtId: roleGrants.districtId,
    })
    .from(roleGrants)
    .where(eq(roleGrants.personId, personId));
}

export async function addGrant(
  db: Db,
  grant: { personId: string; role: Role; schoolId: string; districtId?: string | null; classId?: string | null },
): Promise<void> {
  await db
    .insert(roleGrants)
    .values({
      personId: grant.personId,
      role: grant.role,
      schoolId: grant.schoolId,
      districtId: grant.districtId ?? null,
      classId: grant.classId ?? null,
    })
    .onConflictDoNothing();
}

/** The platform accounts of a person on one platform (to address them privately). */
export async function accountsOf(db: Db, personId: string, platform?: string) {
  const rows = await db
    .select({ platform: platformAccounts.platform, tenant: platformAccounts.tenant, userId: platformAccounts.userId })
    .from(platformAccounts)
    .where(eq(platformAccounts.personId, personId));
  return platform ? rows.filter((row) => row.platform === platform) : rows;
}
