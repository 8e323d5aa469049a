import { describe, expect, it } from 'vitest';
import { loadReminderProgrammes, reminders } from '../../bot-flows/reminders.js';
import { topics } from '../../bot-flows/topics.js';

/** The shipped file with programmes[index] patched. */
function withProgramme(index: number, patch: Record<string, unknown>): unknown {
  const programmes = reminders.programmes.map((programme, at) =>
    at === index ? { ...programme, ...patch } : programme,
  );
  return { ...reminders, programmes };
}

describe('bot-flows/reminders.ts', () => {
  it('loads the shipped programmes', () => {
    const loaded = loadReminderProgrammes();
    expect(loaded.programmes.map((programme) => programme.id)).toEqual([
      'daily_check',
      'talk1530',
      'drowning',
      'winter_safety',
      'personal_digest',
      'weekly_digest',
      'monthly_summary',
    ]);
    expect(loaded.quietHours).toEqual({ start: '21:30', end: '07:00' });
    expect(loaded.cards.daily_check?.buttons.map((button) => button.label)).toEqual([
      '我负责的区域今日无异常',
      '上报隐患',
    ]);
    expect(loaded.topicSets.talk1530?.items.length).toBeGreaterThan(5);
  });

  it('refuses a bad time with file and field', () => {
    expect(() => loadReminderProgrammes(withProgramme(2, { at: '25:61' }))).toThrow(
      'bot-flows/reminders.ts: programmes[2].at: 时间格式应为 HH:MM',
    );
  });

  it('refuses an unknown audience', () => {
    expect(() => loadReminderProgrammes(withProgramme(0, { audience: 'everyone' }))).toThrow(
      'bot-flows/reminders.ts: programmes[0].audience: 未知受众',
    );
  });

  it('refuses an impossible calendar', () => {
    expect(() => loadReminderProgrammes(withProgramme(2, { months: [5, 13] }))).toThrow(
      'bot-flows/reminders.ts: programmes[2].months[1]: 月份应为 1–12',
    );
    expect(() => loadReminderProgrammes(withProgramme(5, { days: ['weekly:8'] }))).toThrow(
      'bot-flows/reminders.ts: programmes[5].days[0]: 日期规则应为',
    );
    expect(() => loadReminderProgrammes(withProgramme(6, { days: ['monthly:32'] }))).toThrow(
      'bot-flows/reminders.ts: programmes[6].days[0]: 日期规则应为',
    );
    expect(() => loadReminderProgrammes(withProgramme(2, { months: [] }))).toThrow(
      'bot-flows/reminders.ts: programmes[2].months: 至少需要一个月份',
    );
  });

  it('refuses a staleness window that closes before the slot', () => {
    expect(() => loadReminderProgrammes(withProgramme(0, { stale: { until: '07:00' } }))).toThrow(
      'bot-flows/reminders.ts: programmes[0].stale.until: 截止时间应晚于发送时间 07:50',
    );
    expect(() => loadReminderProgrammes(withProgramme(0, { stale: {} }))).toThrow(
      'bot-flows/reminders.ts: programmes[0].stale: 请二选一',
    );
  });

  it('refuses a dismissal-relative programme without talk lengths', () => {
    expect(() => loadReminderProgrammes(withProgramme(1, { lessonMinutes: undefined }))).toThrow(
      'bot-flows/reminders.ts: programmes[1].lessonMinutes: at 为 dismissal 时必须给出 lessonMinutes',
    );
  });

  it('refuses unknown cards, duplicate ids and misspelt fields', () => {
    expect(() => loadReminderProgrammes(withProgramme(0, { card: 'nope' }))).toThrow(
      'bot-flows/reminders.ts: programmes[0].card: 未知卡片：nope',
    );
    expect(() => loadReminderProgrammes(withProgramme(1, { id: 'daily_check' }))).toThrow(
      'bot-flows/reminders.ts: programmes[1].id: 标识重复：daily_check',
    );
    expect(() => loadReminderProgrammes(withProgramme(0, { time: '07:50' }))).toThrow(
      'bot-flows/reminders.ts: programmes[0]: 未知字段：time',
    );
  });

  it('refuses a card placeholder the scheduler does not fill', () => {
    const source = {
      ...reminders,
      cards: { ...reminders.cards, drowning: { ...reminders.cards.drowning, body: '{parent}' } },
    };
    expect(() => loadReminderProgrammes(source)).toThrow(
      'bot-flows/reminders.ts: cards.drowning.body: 未知占位符 {parent}',
    );
  });

  it('refuses empty or missing topics', () => {
    const emptySet = { sets: { ...topics.sets, talk1530: { title: '1530', items: [] } } };
    expect(() => loadReminderProgrammes(reminders, emptySet)).toThrow(
      'bot-flows/topics.ts: sets.talk1530.items: 至少需要一个话题',
    );
    expect(() => loadReminderProgrammes(withProgramme(0, { topics: 'missing' }))).toThrow(
      'bot-flows/reminders.ts: programmes[0].topics: 未知话题集：missing',
    );
    const summerOnly = {
      sets: { ...topics.sets, daily_focus: { title: '夏季', items: [{ id: 'flood', title: '汛期', months: [6, 7] }] } },
    };
    expect(() => loadReminderProgrammes(reminders, summerOnly)).toThrow(
      'bot-flows/reminders.ts: programmes[0].topics: 话题集 daily_focus 在 1、2、3、4、5、8、9、10、11、12 月没有可用话题',
    );
  });

  it('lists every problem, one line each', () => {
    let message = '';
    try {
      loadReminderProgrammes(withProgramme(3, { at: '7:5', audience: 'all' }));
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.stringMatching(/^bot-flows\/reminders\.ts: programmes\[3\]\.at: 时间格式应为 HH:MM/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^bot-flows\/reminders\.ts: programmes\[3\]\.audience: 未知受众/),
    );
  });
});
