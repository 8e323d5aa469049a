import { formatRate } from './labels.js';
import { formatLedgerTime } from './period.js';
import type { CampaignStats, StatsCounts } from './stats.js';

export const STATS_RATE_DEFINITION = '整改率 = 已整改 ÷（发现 − 驳回），销号率 = 已销号 ÷（发现 − 驳回）';

function groupLine(label: string, counts: StatsCounts): string {
  const overdue = counts.overdue > 0 ? `，逾期 ${counts.overdue}` : '';
  return `${label} 发现 ${counts.found}，已整改 ${counts.fixed}，已销号 ${counts.closed}，未销号 ${counts.outstanding}${overdue}`;
}

/** The campaign statistics as a short Chinese message (the scheduler's 10-day report). */
export function campaignStatsText(stats: CampaignStats): string {
  const until = stats.complete
    ? stats.to
    : `${formatLedgerTime(new Date(stats.asOf.getTime() - 1), stats.timeZone)}（统计中）`;
  const lines = [`隐患排查整治统计（${stats.from} 至 ${until}）`];
  if (stats.found === 0) {
    lines.push('期间没有发现隐患。', '整改率 —，销号率 —');
    return lines.join('\n');
  }
  lines.push(
    `发现隐患 ${stats.found} 处${stats.dismissed > 0 ? `（其中驳回 ${stats.dismissed} 处）` : ''}，` +
      `已整改 ${stats.fixed} 处，已销号 ${stats.closed} 处，未销号 ${stats.outstanding} 处，其中逾期 ${stats.overdue} 处。`,
    `整改率 ${formatRate(stats.fixRate)}，销号率 ${formatRate(stats.closureRate)}`,
  );
  const categories = stats.byCategory.filter((group) => group.counts.found > 0);
  if (categories.length > 0) {
    lines.push(`按类别：${categories.map((group) => groupLine(group.label, group.counts)).join('；')}`);
  }
  const levels = stats.byLevel.filter((group) => group.counts.found > 0);
  lines.push(`按等级：${levels.map((group) => groupLine(group.label, group.counts)).join('；')}`);
  return lines.join('\n');
}
