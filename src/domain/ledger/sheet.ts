import type { Attachment } from '../../model/inbound.js';
import { LEVEL_LABELS, STATUS_LABELS } from '../hazard/labels.js';
import type { HazardLevel, HazardStatus } from '../hazard/types.js';
import { categoryLabel, EVENT_LABELS, VERIFY_RESULT_LABELS } from './labels.js';
import { formatLedgerTime } from './period.js';
import type { CategoryName } from './types.js';

/**
 * The 隐患台账 as rows of text: the standard ledger columns in the order district inspectors expect,
 * then 照片. Pure, so the xlsx writer, the dashboard API and the tests share one mapping.
 */

export interface SheetColumn {
  header: string;
  /** Width in characters (a CJK character counts about two). */
  width: number;
}

export const LEDGER_SHEET = '隐患台账';
export const TIMELINE_SHEET = '处理记录';

export const LEDGER_COLUMNS: readonly SheetColumn[] = [
  { header: '隐患编号', width: 15 },
  { header: '发现时间', width: 17 },
  { header: '发现人', width: 10 },
  { header: '部位', width: 18 },
  { header: '隐患描述', width: 40 },
  { header: '类别', width: 14 },
  { header: '等级', width: 10 },
  { header: '整改措施', width: 30 },
  { header: '整改责任人', width: 11 },
  { header: '整改时限', width: 17 },
  { header: '整改资金', width: 14 },
  { header: '临时防范措施/预案', width: 30 },
  { header: '整改完成时间', width: 17 },
  { header: '复查人', width: 10 },
  { header: '复查结果', width: 10 },
  { header: '销号时间', width: 17 },
  { header: '状态', width: 9 },
  { header: '照片', width: 50 },
];

export const TIMELINE_COLUMNS: readonly SheetColumn[] = [
  { header: '隐患编号', width: 15 },
  { header: '时间', width: 17 },
  { header: '操作人', width: 10 },
  { header: '操作', width: 10 },
  { header: '状态变化', width: 18 },
  { header: '说明', width: 60 },
];

/** One hazard with the names of the people on it resolved. */
export interface LedgerRecord {
  code: string;
  reportedAt: Date;
  reporterName: string;
  location: string;
  description: string;
  category: string;
  level: HazardLevel;
  measures: string | null;
  ownerName: string | null;
  deadline: Date | null;
  funds: string | null;
  interimPlan: string | null;
  fixedAt: Date | null;
  verifierName: string | null;
  verifyResult: string | null;
  closedAt: Date | null;
  status: HazardStatus;
}

/** One timeline entry with its actor's name. */
export interface LedgerEvent {
  code: string;
  at: Date;
  actorName: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  detail: Record<string, unknown>;
  attachments: readonly Attachment[];
}

export interface SheetContext {
  timeZone: string;
  categories: readonly CategoryName[];
  /** Person id → name, for ids inside event details (a re-assigned owner). */
  names: ReadonlyMap<string, string>;
}

/** Which stage a photo documents, by the action of the entry that carried it. */
export const PHOTO_STAGES: Record<string, string> = {
  report: '上报',
  supplement: '上报',
  fix_on_spot: '整改',
  submit_fix: '整改',
  accept: '复查',
  reject: '复查',
};

/** 照片: one line per image of the report, the fix and the review — `上报：<url or file key>`. */
export function photoLinks(events: readonly LedgerEvent[]): string {
  const lines: string[] = [];
  for (const event of events) {
    const stage = PHOTO_STAGES[event.action];
    if (!stage) continue;
    for (const attachment of event.attachments) {
      if (attachment.kind === 'image') lines.push(`${stage}：${attachment.url ?? attachment.key}`);
    }
  }
  return lines.join('\n');
}

const statusLabel = (status: string | null) =>
  status && status in STATUS_LABELS ? STATUS_LABELS[status as HazardStatus] : (status ?? '');

/** The row under LEDGER_COLUMNS, every cell as text. */
export function ledgerCells(record: LedgerRecord, events: readonly LedgerEvent[], context: SheetContext): string[] {
  const time = (instant: Date | null) => formatLedgerTime(instant, context.timeZone);
  return [
    record.code,
    time(record.reportedAt),
    record.reporterName,
    record.location,
    record.description,
    categoryLabel(context.categories, record.category),
    LEVEL_LABELS[record.level] ?? record.level,
    record.measures ?? '',
    record.ownerName ?? '',
    time(record.deadline),
    record.funds ?? '',
    record.interimPlan ?? '',
    time(record.fixedAt),
    record.verifierName ?? '',
    record.verifyResult ? (VERIFY_RESULT_LABELS[record.verifyResult] ?? record.verifyResult) : '',
    time(record.closedAt),
    statusLabel(record.status),
    photoLinks(events),
  ];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function instant(value: unknown, timeZone: string): string | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : formatLedgerTime(date, timeZone);
}

/** 说明: the note, then what the entry set (owner, deadline, measures …), then how many photos it carried. */
export function describeEvent(event: LedgerEvent, context: SheetContext): string {
  const detail = event.detail;
  const parts: string[] = [];
  const note = text(event.note);
  // A report's note repeats the description already in the ledger row.
  if (note && event.action !== 'report') parts.push(note);
  if (event.action === 'assign') {
    const ownerId = text(detail.ownerId);
    const owner = ownerId ? (context.names.get(ownerId) ?? null) : null;
    if (owner) parts.push(`责任人：${owner}`);
    const deadline = instant(detail.deadline, context.timeZone);
    if (deadline) parts.push(`时限：${deadline}`);
    for (const [key, label] of [
      ['measures', '措施'],
      ['funds', '资金'],
      ['interimPlan', '预案'],
    ] as const) {
      const value = text(detail[key]);
      if (value) parts.push(`${label}：${value}`);
    }
  }
  if (event.action === 'reject' || event.action === 'reopen') {
    const deadline = instant(detail.deadline, context.timeZone);
    if (deadline) parts.push(`时限：${deadline}`);
  }
  if (event.action === 'change_level') {
    const from = LEVEL_LABELS[detail.fromLevel as HazardLevel];
    const to = LEVEL_LABELS[detail.toLevel as HazardLevel];
    if (from && to) parts.push(`${from} → ${to}`);
  }
  const duplicateOf = text(detail.duplicateOf);
  if (duplicateOf) parts.push(`与 ${duplicateOf} 重复`);
  const photos = event.attachments.filter((attachment) => attachment.kind === 'image').length;
  if (photos > 0) parts.push(`附照片 ${photos} 张`);
  return parts.join('；');
}

/** 状态变化: `登记 → 整改中`; the single status for a new record; empty when the status stayed. */
export function statusChange(event: LedgerEvent): string {
  if (!event.toStatus || event.toStatus === event.fromStatus) return '';
  if (!event.fromStatus) return statusLabel(event.toStatus);
  return `${statusLabel(event.fromStatus)} → ${statusLabel(event.toStatus)}`;
}

/** The row under TIMELINE_COLUMNS. */
export function timelineCells(event: LedgerEvent, context: SheetContext): string[] {
  return [
    event.code,
    formatLedgerTime(event.at, context.timeZone),
    event.actorName ?? '',
    EVENT_LABELS[event.action] ?? event.action,
    statusChange(event),
    describeEvent(event, context),
  ];
}
