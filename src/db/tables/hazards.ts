import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Attachment } from '../../model/inbound.js';
import { people, schools } from './org.js';

export const HAZARD_STATUSES = ['reported', 'rectifying', 'verifying', 'closed', 'dismissed'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export type HazardLevel = 'general' | 'major';

/** Per-school, per-year counters behind YH-<year>-<seq> codes (the yearly register). */
export const codeSequences = pgTable(
  'code_sequences',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.prefix, t.year] })],
);

export const hazards = pgTable(
  'hazards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    code: text('code').notNull(),
    status: text('status').$type<HazardStatus>().notNull().default('reported'),
    category: text('category').notNull(),
    level: text('level').$type<HazardLevel>().notNull().default('general'),
    location: text('location').notNull().default(''),
    description: text('description').notNull(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => people.id),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    sourceChat: text('source_chat'),
    ownerId: uuid('owner_id').references(() => people.id),
    deadline: timestamp('deadline', { withTimezone: true }),
    measures: text('measures'),
    funds: text('funds'),
    interimPlan: text('interim_plan'),
    /** 挂牌督办: major hazards, visible to the bureau. */
    supervised: boolean('supervised').notNull().default(false),
    fixedAt: timestamp('fixed_at', { withTimezone: true }),
    fixedBy: uuid('fixed_by').references(() => people.id),
    fixNote: text('fix_note'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedBy: uuid('verified_by').references(() => people.id),
    verifyResult: text('verify_result'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    dismissReason: text('dismiss_reason'),
    /** Bumped on reopen so deadline nags and escalation rungs start over (part of occurrence keys). */
    cycle: integer('cycle').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('hazards_school_code').on(t.schoolId, t.code),
    index('hazards_open_deadline').on(t.deadline).where(sql`${t.status} = 'rectifying'`),
    index('hazards_school_status').on(t.schoolId, t.status),
    index('hazards_owner_open').on(t.ownerId).where(sql`${t.status} in ('reported', 'rectifying', 'verifying')`),
    index('hazards_school_reported').on(t.schoolId, t.reportedAt),
  ],
);

/** Immutable timeline: one row per change, never updated. */
export const hazardEvents = pgTable(
  'hazard_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    note: text('note'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
  },
  (t) => [index('hazard_events_hazard').on(t.hazardId, t.at)],
);

export const DRAFT_STATUSES = ['pending', 'confirmed', 'cancelled', 'merged'] as const;

/** A report awaiting the reporter's confirmation on the card. */
export const hazardDrafts = pgTable(
  'hazard_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => people.id),
    platform: text('platform').notNull(),
    tenant: text('tenant').notNull().default(''),
    chatId: text('chat_id').notNull(),
    text: text('text').notNull(),
    intent: text('intent').notNull(),
    category: text('category').notNull(),
    level: text('level').$type<HazardLevel>().notNull(),
    location: text('location').notNull().default(''),
    description: text('description').notNull(),
    deadlineHint: text('deadline_hint'),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    duplicateOf: uuid('duplicate_of').references(() => hazards.id),
    status: text('status').$type<(typeof DRAFT_STATUSES)[number]>().notNull().default('pending'),
    hazardId: uuid('hazard_id').references(() => hazards.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('hazard_drafts_reporter').on(t.reporterId, t.createdAt)],
);

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    code: text('code').notNull(),
    category: text('category').notNull(),
    location: text('location').notNull().default(''),
    description: text('description').notNull(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => people.id),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    firstReportDue: timestamp('first_report_due', { withTimezone: true }).notNull(),
    firstReportAt: timestamp('first_report_at', { withTimezone: true }),
    status: text('status').$type<'open' | 'reported' | 'closed'>().notNull().default('open'),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('incidents_school_code').on(t.schoolId, t.code),
    index('incidents_open_due').on(t.firstReportDue).where(sql`${t.status} = 'open'`),
  ],
);
