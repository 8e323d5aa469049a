import { formatLocalDateTime, localParts } from '../../domain/dates/index.js';

/** "6月30日（周二）23:59" (with the year when it is not this year's). */
export function formatDeadline(deadline: Date, timeZone: string, now?: Date): string {
  return formatLocalDateTime(deadline, timeZone, now);
}

/** "2026-06-03 19:05" in the school's zone: the export's confirmation times. */
export function formatTimestamp(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

export const CHANNEL_LABELS: Record<string, string> = { card: '群卡片', h5: '网页', keyword: '群内回复' };
