import { sql } from 'drizzle-orm';
import {
  bigserial,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ActionAnswer, Card, MessageBody } from '../../model/card.js';
import type { Attachment } from '../../model/inbound.js';

export const inboundEvents = pgTable(
  'inbound_events',
  {
    platform: text('platform').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * What a signed action link answered, shown again when the same link is posted again. json, not jsonb:
     * the answer's button values are signed into links as written, so their key order must survive.
     */
    answer: json('answer').$type<ActionAnswer>(),
  },
  // Rows arrive in received_at order, so a BRIN index serves the retention pass's range delete while costing
  // almost nothing per insert (a btree took a second index write on every card tap).
  (t) => [
    primaryKey({ columns: [t.platform, t.eventId] }),
    index('inbound_events_received').using('brin', t.receivedAt),
  ],
);

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    platform: text('platform').notNull(),
    tenant: text('tenant').notNull().default(''),
    chatId: text('chat_id'),
    userId: text('user_id'),
    body: jsonb('body').$type<MessageBody>().notNull(),
    urgency: text('urgency').$type<'normal' | 'urgent'>().notNull().default('normal'),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    replyTo: text('reply_to'),
    replyChannel: jsonb('reply_channel').$type<{ url: string; expiresAt: string }>(),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Lease: a 'sending' row whose lease ran out (crashed dispatcher) is claimable again. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    platformMessageId: text('platform_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('outbox_sending_lease').on(t.leaseUntil).where(sql`${t.status} = 'sending'`),
    index('outbox_status').on(t.status),
  ],
);

/**
 * Send rate limits shared by every dispatching process — Node instances and each Workers invocation — one row
 * per bucket key (per chat, per app, per robot …), so running more of them never sends faster than allowed.
 */
export const rateBuckets = pgTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  /** Set after a platform said "slow down": nothing goes to this bucket before it. */
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
});

/** Sandbox chats live in the database: every message, user or bot, in order. */
export const sandboxMessages = pgTable(
  'sandbox_messages',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    chatId: text('chat_id').notNull(),
    sender: text('sender').$type<'user' | 'bot'>().notNull(),
    userId: text('user_id'),
    text: text('text'),
    card: jsonb('card').$type<Card>(),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    replyTo: text('reply_to'),
    urgent: text('urgent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sandbox_messages_chat').on(t.chatId, t.id)],
);

/** Photos posted without text wait here a few minutes for the report they belong to. */
export const pendingAttachments = pgTable(
  'pending_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    platform: text('platform').notNull(),
    tenant: text('tenant').notNull().default(''),
    chatId: text('chat_id').notNull(),
    userId: text('user_id').notNull(),
    attachment: jsonb('attachment').$type<Attachment>().notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    claimedBy: uuid('claimed_by'),
  },
  (t) => [index('pending_attachments_lookup').on(t.platform, t.chatId, t.userId, t.postedAt)],
);

/** Leases for singletons (one live WeCom AI-bot connection per bot across instances). */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
