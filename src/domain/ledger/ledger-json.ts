import { LEVEL_LABELS, STATUS_LABELS } from '../hazard/labels.js';
import { categoryLabel, EVENT_LABELS, VERIFY_RESULT_LABELS } from './labels.js';
import {
  describeEvent,
  type LedgerEvent,
  type LedgerRecord,
  PHOTO_STAGES,
  type SheetContext,
  statusChange,
} from './sheet.js';

/** One ledger row for the dashboard API: codes beside their Chinese labels, instants as ISO text. */
export interface LedgerJsonRow {
  code: string;
  status: string;
  statusLabel: string;
  level: string;
  levelLabel: string;
  category: string;
  categoryLabel: string;
  location: string;
  description: string;
  reporter: string;
  reportedAt: string;
  owner: string | null;
  deadline: string | null;
  measures: string | null;
  funds: string | null;
  interimPlan: string | null;
  fixedAt: string | null;
  verifier: string | null;
  verifyResult: string | null;
  closedAt: string | null;
  /** 整改中 with the deadline passed at `now`. */
  overdue: boolean;
  photos: { stage: string; ref: string }[];
  timeline: { at: string; actor: string | null; action: string; actionLabel: string; change: string; note: string }[];
}

const iso = (instant: Date | null) => (instant ? instant.toISOString() : null);

export function ledgerJsonRow(
  record: LedgerRecord,
  events: readonly LedgerEvent[],
  context: SheetContext,
  now: Date,
): LedgerJsonRow {
  return {
    code: record.code,
    status: record.status,
    statusLabel: STATUS_LABELS[record.status] ?? record.status,
    level: record.level,
    levelLabel: LEVEL_LABELS[record.level] ?? record.level,
    category: record.category,
    categoryLabel: categoryLabel(context.categories, record.category),
    location: record.location,
    description: record.description,
    reporter: record.reporterName,
    reportedAt: record.reportedAt.toISOString(),
    owner: record.ownerName,
    deadline: iso(record.deadline),
    measures: record.measures,
    funds: record.funds,
    interimPlan: record.interimPlan,
    fixedAt: iso(record.fixedAt),
    verifier: record.verifierName,
    verifyResult: record.verifyResult ? (VERIFY_RESULT_LABELS[record.verifyResult] ?? record.verifyResult) : null,
    closedAt: iso(record.closedAt),
    overdue: record.status === 'rectifying' && record.deadline !== null && record.deadline.getTime() < now.getTime(),
    photos: events.flatMap((event) =>
      PHOTO_STAGES[event.action]
        ? event.attachments
            .filter((attachment) => attachment.kind === 'image')
            .map((attachment) => ({ stage: PHOTO_STAGES[event.action]!, ref: attachment.url ?? attachment.key }))
        : [],
    ),
    timeline: events.map((event) => ({
      at: event.at.toISOString(),
      actor: event.actorName,
      action: event.action,
      actionLabel: EVENT_LABELS[event.action] ?? event.action,
      change: statusChange(event),
      note: describeEvent(event, context),
    })),
  };
}
