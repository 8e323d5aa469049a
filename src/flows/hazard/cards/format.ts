import type { Taxonomy } from '../../../../bot-flows/taxonomy.js';
import { formatLocalDateTime } from '../../../domain/dates/index.js';

/** Names of what a timeline entry records, as the ledger reads them. */
export const TIMELINE_LABELS: Record<string, string> = {
  report: '登记',
  assign: '指派',
  fix_on_spot: '现场整改',
  submit_fix: '提交整改',
  accept: '复查通过',
  reject: '复查退回',
  dismiss: '驳回',
  reopen: '重开',
  change_level: '调整等级',
  supplement: '补充情况',
};

export function categoryName(taxonomy: Taxonomy, code: string): string {
  return taxonomy.categories.find((category) => category.code === code)?.name ?? code;
}

export function categoryOptions(taxonomy: Taxonomy): { value: string; label: string }[] {
  return taxonomy.categories.map((category) => ({ value: category.code, label: category.name }));
}

/** `6月19日（周五）23:59` in the school's zone (the year only when it is not this year). */
export function formatTime(at: Date, timeZone: string, now: Date): string {
  return formatLocalDateTime(at, timeZone, now);
}

/** Cuts text to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** One line of a list or a notification: the place (unless the text names it), then what is wrong. */
export function summaryOf(item: { location: string; description: string }, max = 60): string {
  const named = item.location === '' || item.description.includes(item.location);
  return shorten(named ? item.description : `${item.location}：${item.description}`, max);
}
