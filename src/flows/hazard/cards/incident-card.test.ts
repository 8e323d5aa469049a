import { describe, expect, it } from 'vitest';
import { type IncidentView, incidentCard } from './incident-card.js';

const view: IncidentView = {
  id: 'i1',
  code: 'SG-2026-0001',
  categoryName: '设施设备与校园运行',
  location: '操场',
  description: '学生摔伤',
  reporterName: '王老师',
  reportedAt: new Date('2026-06-10T02:00:00Z'),
  firstReportDue: new Date('2026-06-10T03:00:00Z'),
  firstReportAt: null,
  photoCount: 0,
};
const tz = 'Asia/Shanghai';
const markdown = (card: ReturnType<typeof incidentCard>) =>
  card.blocks.flatMap((block) => (block.type === 'markdown' ? [block.text] : [])).join('\n');

describe('incidentCard', () => {
  it('counts down to the first-report deadline with the button that records it', () => {
    const card = incidentCard(view, tz, new Date('2026-06-10T02:20:00Z'));
    expect(card.title).toBe('事故 SG-2026-0001 · 待首报');
    expect(card.tone).toBe('danger');
    expect(markdown(card)).toBe('**首报倒计时：剩余 40 分钟**，请在 6月10日（周三）11:00 前向教育局完成首报。');
    expect(card.buttons.map((button) => button.value)).toEqual([
      { flow: 'incident', op: 'first-report', incident: 'i1' },
    ]);
  });

  it('says how late the first report is once the deadline has passed', () => {
    const card = incidentCard(view, tz, new Date('2026-06-10T03:15:00Z'));
    expect(markdown(card)).toContain('首报已超时 15 分钟');
  });

  it('shows when the first report was made and drops the button', () => {
    const card = incidentCard(
      { ...view, firstReportAt: new Date('2026-06-10T02:35:00Z') },
      tz,
      new Date('2026-06-10T02:40:00Z'),
    );
    expect(card.title).toBe('事故 SG-2026-0001 · 已首报');
    expect(markdown(card)).toBe('已于 6月10日（周三）10:35 完成首报（用时 35 分钟，时限 6月10日（周三）11:00）。');
    expect(card.buttons).toEqual([]);
  });
});
