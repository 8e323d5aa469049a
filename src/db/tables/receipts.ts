import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { classes, people, schools } from './org.js';

export const students = pgTable(
  'students',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
    name: text('name').notNull(),
    /** 学号; '' when the roster has none (name is then unique within the class). */
    studentNo: text('student_no').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('students_class_identity').on(t.classId, t.name, t.studentNo),
    index('students_school').on(t.schoolId),
  ],
);

export const guardians = pgTable(
  'guardians',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    name: text('name').notNull(),
    /** Salted hash of the full phone number; the number itself is never stored. */
    phoneHash: text('phone_hash').notNull(),
    /** Last 4 digits for the binding check and masked display (138****1234 → ****1234). */
    phoneLast4: text('phone_last4').notNull(),
    /** Set once the guardian has bound a chat identity. */
    personId: uuid('person_id').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('guardians_school_phone').on(t.schoolId, t.phoneHash),
    index('guardians_person').on(t.personId),
    // A binding answer's digits find the school's few guardians with them, not a whole class's roster.
    index('guardians_school_digits').on(t.schoolId, t.phoneLast4),
  ],
);

export const studentGuardians = pgTable(
  'student_guardians',
  {
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    guardianId: uuid('guardian_id')
      .notNull()
      .references(() => guardians.id),
    relation: text('relation').notNull(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.guardianId] }), index('student_guardians_guardian').on(t.guardianId)],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    letter: text('letter').notNull(),
    title: text('title').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
  },
  (t) => [index('campaigns_open_deadline').on(t.deadline).where(sql`${t.status} = 'open'`)],
);

export const campaignClasses = pgTable(
  'campaign_classes',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.classId] })],
);

export const receipts = pgTable(
  'receipts',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    // Who confirmed, copied from the guardian and person rows the inserting statement has just joined; rows
    // xiaoan never deletes. Without foreign keys here: each would lock a different guardians and people row per
    // tap (a dirtied page and a WAL record each), about a third of PostgreSQL's work per tap in a burst.
    guardianId: uuid('guardian_id'),
    personId: uuid('person_id'),
    relation: text('relation'),
    channel: text('channel').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull(),
  },
  // One receipt per student per campaign is the row's identity: a surrogate id would be a second index
  // written at random places on every tap of a district-wide burst.
  (t) => [primaryKey({ name: 'receipts_one_per_student', columns: [t.campaignId, t.studentId] })],
);

/** Failed roster-binding answers per chat identity and class: lockout after a few tries. */
export const bindingAttempts = pgTable(
  'binding_attempts',
  {
    platform: text('platform').notNull(),
    tenant: text('tenant').notNull().default(''),
    userId: text('user_id').notNull(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
    failures: integer('failures').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenant, t.userId, t.classId] })],
);
