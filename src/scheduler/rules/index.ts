/**
 * Every rule the tick runs, in this order. To add one: a file in this folder exporting a TickRule
 * (see ../rule.ts), and one line below. A rule that throws is logged and counted; the others still run.
 *
 * Each reminder programme of bot-flows/reminders.ts is a rule of its own (named by its id); the digests
 * get their {summary} from the content source registered under the programme's id.
 */
import type { ReminderProgramme } from '../../domain/schedule/programme.js';
import type { TickRule } from '../rule.js';
import { adhocRule } from './adhoc.js';
import { personalDigest, weeklyDigest } from './digests.js';
import { hazardDeadlineRule } from './hazard-deadlines.js';
import { incidentRule } from './incidents.js';
import { monthlyDigest } from './monthly-digest.js';
import { type ContentSource, programmeRule } from './programme.js';
import { receiptsRule } from './receipts.js';
import { retentionRule } from './retention.js';

export const DIGEST_CONTENT: Record<string, ContentSource> = {
  personal_digest: personalDigest,
  weekly_digest: weeklyDigest,
  monthly_summary: monthlyDigest,
};

export function tickRules(programmes: readonly ReminderProgramme[]): TickRule[] {
  return [
    incidentRule(),
    hazardDeadlineRule(),
    adhocRule(),
    receiptsRule(),
    ...programmes.map((programme) => programmeRule(programme, DIGEST_CONTENT[programme.id])),
    retentionRule(),
  ];
}
