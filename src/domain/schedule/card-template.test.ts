import { describe, expect, it } from 'vitest';
import { loadReminderProgrammes } from '../../../bot-flows/reminders.js';
import { renderReminderCard } from './card-template.js';

const { cards } = loadReminderProgrammes();

describe('reminder cards', () => {
  it('renders the daily check with the topic and two buttons that name the slot', () => {
    const card = renderReminderCard(cards.daily_check!, {
      slotKey: 'daily_check:school:s1:2026-10-08',
      programmeId: 'daily_check',
      occasion: 'daily',
      topicId: 'exits',
      variables: { date: '10月8日', weekday: '星期四', topic: '消防通道与安全出口', points: '· 通道畅通无堆物' },
    });
    expect(card.title).toBe('一日一醒 · 10月8日 星期四');
    expect(card.blocks[0]).toEqual({
      type: 'markdown',
      text: expect.stringContaining('今日重点：**消防通道与安全出口**\n· 通道畅通无堆物'),
    });
    expect(card.buttons).toEqual([
      {
        id: 'ok',
        label: '我负责的区域今日无异常',
        style: 'primary',
        value: {
          flow: 'reminder',
          op: 'daily_check_ok',
          slot: 'daily_check:school:s1:2026-10-08',
          programme: 'daily_check',
          topic: 'exits',
        },
      },
      {
        id: 'report',
        label: '上报隐患',
        style: 'danger',
        value: {
          flow: 'reminder',
          op: 'daily_check_report',
          slot: 'daily_check:school:s1:2026-10-08',
          programme: 'daily_check',
          topic: 'exits',
        },
      },
    ]);
  });

  it('uses the pre-holiday body for the 30-minute lesson', () => {
    const card = renderReminderCard(cards.talk1530!, {
      slotKey: 'talk1530:school:s1:2026-09-30',
      programmeId: 'talk1530',
      occasion: 'before_holiday',
      topicId: 'holiday',
      variables: { date: '9月30日', minutes: '30', topic: '假期安全' },
    });
    expect(card.blocks[0]).toEqual({
      type: 'markdown',
      text: expect.stringContaining('放学前 30 分钟上好假前安全教育课：**假期安全**'),
    });
    expect(card.buttons.map((button) => button.label)).toEqual(['已讲']);
  });

  it('falls back to the general body on other occasions and leaves unknown values empty', () => {
    const card = renderReminderCard(cards.talk1530!, {
      slotKey: 'talk1530:school:s1:2026-10-08',
      programmeId: 'talk1530',
      occasion: 'daily',
      variables: { minutes: '1', topic: '交通安全' },
    });
    expect(card.title).toBe('1530 安全教育 ·');
    expect(card.blocks[0]).toEqual({ type: 'markdown', text: '放学前 1 分钟，请给学生讲一讲：**交通安全**' });
  });
});
