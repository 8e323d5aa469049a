import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const districts = pgTable('districts', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const schools = pgTable('schools', {
  id: id(),
  districtId: uuid('district_id')
    .notNull()
    .references(() => districts.id),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  /** HH:MM local dismissal time, drives the 1530 reminders. */
  dismissalTime: text('dismissal_time').notNull().default('15:30'),
  createdAt: createdAt(),
});

export const classes = pgTable(
  'classes',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('classes_school_name').on(t.schoolId, t.name)],
);

export const people = pgTable('people', {
  id: id(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const platformAccounts = pgTable(
  'platform_accounts',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    platform: text('platform').notNull(),
    tenant: text('tenant').notNull().default(''),
    userId: text('user_id').notNull(),
    displayName: text('display_name'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('platform_accounts_identity').on(t.platform, t.tenant, t.userId),
    index('platform_accounts_person').on(t.personId),
  ],
);

export const ROLES = ['teacher', 'class_teacher', 'safety_officer', 'principal', 'bureau', 'parent'] as const;
export type Role = (typeof ROLES)[number];

export const roleGrants = pgTable(
  'role_grants',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    role: text('role').$type<Role>().notNull(),
    districtId: uuid('district_id').references(() => districts.id),
    schoolId: uuid('school_id').references(() => schools.id),
    classId: uuid('class_id').references(() => classes.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('role_grants_unique')
      .on(t.personId, t.role, t.schoolId, t.classId)
      .where(sql`${t.classId} is not null`),
    uniqueIndex('role_grants_unique_school').on(t.personId, t.role, t.schoolId).where(sql`${t.classId} is null`),
    index('role_grants_school_role').on(t.schoolId, t.role),
  ],
);

export const CHAT_KINDS = ['staff', 'class_parents', 'leaders'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

export const chats = pgTable(
  'chats',
  {
    id: id(),
    platform: text('platform').notNull(),
    tenant: text('tenant').notNull().default(''),
    chatId: text('chat_id').notNull(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    classId: uuid('class_id').references(() => classes.id),
    kind: text('kind').$type<ChatKind>().notNull(),
    title: text('title'),
    /** Treat every message as addressed to the bot (Feishu "获取群组中所有消息", sandbox). */
    listenAll: boolean('listen_all').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('chats_identity').on(t.platform, t.tenant, t.chatId),
    index('chats_school_kind').on(t.schoolId, t.kind),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    at: createdAt(),
    actorPersonId: uuid('actor_person_id').references(() => people.id),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_subject').on(t.subject, t.at)],
);
