import type { Card } from '../../../model/card.js';
import { formatTime } from './format.js';

export const INCIDENT_FLOW = 'incident';

export interface IncidentView {
  id: string;
  code: string;
  categoryName: string;
  location: string;
  description: string;
  reporterName: string;
  reportedAt: Date;
  firstReportDue: Date;
  firstReportAt: Date | null;
  photoCount: number;
}

function countdown(view: IncidentView, timeZone: string, now: Date): string {
  const due = formatTime(view.firstReportDue, timeZone, now);
  if (view.firstReportAt) {
    const minutes = Math.max(0, Math.round((view.firstReportAt.getTime() - view.reportedAt.getTime()) / 60_000));
    return `已于 ${formatTime(view.firstReportAt, timeZone, now)} 完成首报（用时 ${minutes} 分钟，时限 ${due}）。`;
  }
  const left = Math.ceil((view.firstReportDue.getTime() - now.getTime()) / 60_000);
  return left > 0
    ? `**首报倒计时：剩余 ${left} 分钟**，请在 ${due} 前向教育局完成首报。`
    : `**首报已超时 ${-left} 分钟**（时限 ${due}），请立即向教育局报告。`;
}

/** An incident (事故) with its first-report countdown and the button that records the first report. */
export function incidentCard(view: IncidentView, timeZone: string, now: Date): Card {
  const done = view.firstReportAt !== null;
  return {
    title: done ? `事故 ${view.code} · 已首报` : `事故 ${view.code} · 待首报`,
    tone: done ? 'success' : 'danger',
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: '类别', value: view.categoryName },
          ...(view.location ? [{ label: '地点', value: view.location }] : []),
          { label: '情况', value: view.description },
          { label: '上报', value: `${view.reporterName} ${formatTime(view.reportedAt, timeZone, now)}` },
          ...(view.photoCount > 0 ? [{ label: '照片', value: `${view.photoCount} 张` }] : []),
        ],
      },
      { type: 'markdown', text: countdown(view, timeZone, now) },
    ],
    buttons: done
      ? []
      : [
          {
            id: 'incident-first-report',
            label: '已完成首报',
            style: 'primary',
            value: { flow: INCIDENT_FLOW, op: 'first-report', incident: view.id },
          },
        ],
    footer: '事故已发生，不按隐患登记；校长已收到提醒。',
  };
}
