import { and, eq } from 'drizzle-orm';
import type { ChatKind } from '../schema.js';
import { chats, classes, districts, schools } from '../schema.js';
import type { Db } from '../types.js';

export async function findSchoolByCode(db: Db, code: string) {
  const [school] = await db.select().from(schools).where(eq(schools.code, code)).limit(1);
  return school ?? null;
}

export async function findClass(db: Db, schoolId: string, name: string) {
  const [row] = await db
    .select()
    .from(classes)
    .where(and(eq(classes.schoolId, schoolId), eq(classes.name, name)))
    .limit(1);
  return row ?? null;
}

export async function ensureDistrict(db: Db, code: string, name: string): Promise<string> {
  await db.insert(districts).values({ code, name }).onConflictDoNothing();
  const [row] = await db.select({ id: districts.id }).from(districts).where(eq(districts.code, code));
  return row!.id;
}

export async function ensureSchool(
  db: Db,
  input: { districtId: string; code: string; name: string; timezone?: string; dismissalTime?: string },
): Promise<string> {
  await db.insert(schools).values(input).onConflictDoNothing();
  const [row] = await db.select({ id: schools.id }).from(schools).where(eq(schools.code, input.code));
  return row!.id;
}

export async function ensureClass(db: Db, schoolId: string, name: string): Promise<string> {
  await db.insert(classes).values({ schoolId, name }).onConflictDoNothing();
  return (await findClass(db, schoolId, name))!.id;
}

/** Binds (or re-binds) a platform chat to a school/class with a kind. */
export async function bindChat(
  db: Db,
  input: {
    platform: string;
    tenant: string;
    chatId: string;
    schoolId: string;
    classId: string | null;
    kind: ChatKind;
    title?: string | null;
    listenAll?: boolean;
  },
): Promise<void> {
  const values = {
    platform: input.platform,
    tenant: input.tenant,
    chatId: input.chatId,
    schoolId: input.schoolId,
    classId: input.classId,
    kind: input.kind,
    title: input.title ?? null,
    listenAll: input.listenAll ?? false,
    active: true,
  };
  await db
    .insert(chats)
    .values(values)
    .onConflictDoUpdate({
      target: [chats.platform, chats.tenant, chats.chatId],
      set: {
        schoolId: values.schoolId,
        classId: values.classId,
        kind: values.kind,
        active: true,
        ...(input.title ? { title: input.title } : {}),
        ...(input.listenAll !== undefined ? { listenAll: input.listenAll } : {}),
      },
    });
}
