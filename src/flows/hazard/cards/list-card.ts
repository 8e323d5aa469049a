import type { Taxonomy } from '../../../../bot-flows/taxonomy.js';
import { STATUS_LABELS } from '../../../domain/hazard/index.js';
import type { HazardLevel, HazardStatus } from '../../../domain/hazard/index.js';
import type { Card } from '../../../model/card.js';
import { categoryName, formatTime, summaryOf } from './format.js';

export interface ListItemView {
  code: string;
  status: HazardStatus;
  category: string;
  level: HazardLevel;
  location: string;
  description: string;
  deadline: Date | null;
  ownerName: string | null;
}

export interface ListCardOptions {
  title: string;
  total: number;
  taxonomy: Taxonomy;
  timeZone: string;
  now: Date;
  /** Shown when the list is cut short. */
  moreNote: string;
  emptyNote: string;
}

function line(item: ListItemView, options: ListCardOptions): string {
  const parts = [
    `**${item.code}**`,
    `${STATUS_LABELS[item.status]}${item.level === 'major' ? '·重大' : ''}`,
    categoryName(options.taxonomy, item.category),
    summaryOf(item, 40),
  ];
  if (item.ownerName) parts.push(`责任人 ${item.ownerName}`);
  if (item.deadline) {
    const late = item.status === 'rectifying' && item.deadline < options.now ? '（已逾期）' : '';
    parts.push(`时限 ${formatTime(item.deadline, options.timeZone, options.now)}${late}`);
  }
  return `- ${parts.join(' · ')}`;
}

/** 台账 / 我的 / 逾期: one line per hazard, newest first, with the full count. */
export function listCard(items: readonly ListItemView[], options: ListCardOptions): Card {
  const body = items.length > 0 ? items.map((item) => line(item, options)).join('\n') : options.emptyNote;
  return {
    title: `${options.title}（共 ${options.total} 条）`,
    tone: items.length > 0 ? 'info' : 'success',
    blocks: [{ type: 'markdown', text: body }],
    buttons: [],
    ...(options.total > items.length ? { footer: options.moreNote } : {}),
  };
}
