import { sql } from 'drizzle-orm';
import { date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { classes, people, schools } from './org.js';

/** One row per reminder/nag/escalation ever produced: the key makes every tick idempotent. */
export const occurrences = pgTable(
  'occurrences',
  {
    key: text('key').primaryKey(),
    rule: text('rule').notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('occurrences_rule').on(t.rule, t.firedAt)],
);

/** Ad-hoc reminders created by a safety officer (提醒 …). */
export const adhocReminders = pgTable(
  'adhoc_reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => people.id),
    text: text('text').notNull(),
    audience: text('audience').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('adhoc_reminders_due').on(t.dueAt).where(sql`${t.firedAt} is null`)],
);

/** 全员日排查: who confirmed their area on a school day, or reported a hazard instead. */
export const dailyChecks = pgTable(
  'daily_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    day: date('day').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    result: text('result').$type<'ok' | 'reported'>().notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('daily_checks_unique').on(t.schoolId, t.day, t.personId)],
);

/** 1530 education ledger: a class teacher marked the talk as given. */
export const educationRecords = pgTable(
  'education_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    classId: uuid('class_id').references(() => classes.id),
    day: date('day').notNull(),
    programme: text('programme').notNull(),
    topic: text('topic').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('education_records_unique').on(t.schoolId, t.personId, t.day, t.programme)],
);
