/**
 * The contract every scheduler rule implements. A rule looks at what is due at `ctx.now` (through an
 * index on due times, so it costs what is due, not what exists) and hands each occurrence to
 * `enqueueOnce`/`enqueueMany` under a deterministic key `<rule>:<subject>:<slot>`. The key goes into
 * `occurrences` (primary key) and the outbox rows are written in the same transaction only when the key
 * is new: two instances ticking at once, a restart or a repeated tick send each occurrence exactly once.
 */
import type { SchoolCalendar } from '../domain/calendar/school-calendar.js';
import type { ReminderProgramme } from '../domain/schedule/programme.js';
import type { QuietWindow } from '../domain/schedule/quiet-hours.js';
import type { LoadedReminders } from '../../bot-flows/reminders.js';
import type { EscalationPolicy } from '../domain/escalation/ladder.js';
import type { SchoolRef } from '../db/repos/schedule.js';
import type { Db } from '../db/types.js';
import type { FlowServices } from '../flows/types.js';
import type { OutboundMessage, Urgency } from '../model/outbound.js';

export type { SchoolRef } from '../db/repos/schedule.js';

/** One occurrence: its key, the rule that owns it, and the messages it sends (none: a marker only). */
export interface Occurrence {
  key: string;
  rule: string;
  messages: OutboundMessage[];
}

export interface EnqueueOptions {
  /** Extra writes that must commit with the occurrence, run only when the key is new (e.g. mark fired). */
  onFirst?: (tx: Db) => Promise<void>;
}

export interface TickContext {
  /** The root database (not a transaction): rules read freely, writes go through enqueueOnce/enqueueMany. */
  db: Db;
  now: Date;
  services: FlowServices;
  /** Every school with its zone and district, read once per tick. */
  schools(): Promise<SchoolRef[]>;
  /** The school calendar a school follows (its district's, or the default one). */
  calendarFor(school: Pick<SchoolRef, 'districtCode'>): SchoolCalendar;
  programmes: ReminderProgramme[];
  reminders: LoadedReminders;
  escalation: EscalationPolicy;
  quietHours: QuietWindow;
  /** When a message produced now may go out in this zone: undefined = at once (urgent, or not quiet). */
  notBefore(urgency: Urgency, timezone: string): Date | undefined;
  /**
   * Records `key` in occurrences and, only when it is new, writes `message` (or several: one person with
   * accounts on two platforms) to the outbox in the same transaction. Returns true when the key was new.
   */
  enqueueOnce(
    key: string,
    rule: string,
    message: OutboundMessage | OutboundMessage[],
    options?: EnqueueOptions,
  ): Promise<boolean>;
  /** enqueueOnce for many occurrences in one transaction (a fan-out); returns how many keys were new. */
  enqueueMany(occurrences: Occurrence[]): Promise<number>;
  /** Which of these keys have already fired: one query for a batch of candidates, to skip them cheaply. */
  firedKeys(keys: string[]): Promise<Set<string>>;
}

/** What a rule did in one tick; the tick adds these up into its summary. */
export interface TickRuleResult {
  /** Occurrences newly enqueued (keys that were new). */
  enqueued: number;
  /** Due occurrences skipped because their key had fired before (repeated or concurrent tick). */
  alreadyFired: number;
  /** Recipients skipped: no platform account (nobody to send to privately). */
  noAccount: number;
  /** Due occurrences dropped because they went stale before they could be sent (counted, not sent). */
  stale?: number;
  /** Subjects (a school, a hazard …) that failed; the rule logged them and went on with the rest. */
  errors: number;
}

export interface TickRule {
  /** Stable name: the `rule` column of occurrences and the summary key. */
  name: string;
  run(ctx: TickContext): Promise<TickRuleResult>;
}

export function emptyResult(): TickRuleResult {
  return { enqueued: 0, alreadyFired: 0, noAccount: 0, errors: 0 };
}
