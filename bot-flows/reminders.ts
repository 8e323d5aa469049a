/**
 * Reminder programmes: the school's safety rhythm as data. Times are the school's local time; `days`
 * rules, `stale` windows and card placeholders are explained in src/domain/schedule/programme.ts and
 * card-template.ts. Start-up refuses a bad entry with the file and field, e.g.
 * "bot-flows/reminders.ts: programmes[2].at: 时间格式应为 HH:MM（00:00–23:59）".
 */
import { parseConfig } from '../src/domain/schedule/config.js';
import {
  checkTopicReferences,
  programmeSchema,
  type RemindersFile,
  type RemindersFileInput,
  remindersFileSchema,
} from '../src/domain/schedule/programme.js';
import type { TopicSet } from '../src/domain/schedule/topics.js';
import { loadTopicSets, topics } from './topics.js';

export { programmeSchema, remindersFileSchema };

export const REMINDERS_FILE = 'bot-flows/reminders.ts';

const PARENT_NOTE = '请转发到班级家长群，提醒家长做好假期和周末看护。';

export const reminders = {
  quietHours: { start: '21:30', end: '07:00' },
  cards: {
    daily_check: {
      title: '一日一醒 · {date} {weekday}',
      tone: 'info',
      body: '今日重点：**{topic}**\n{points}\n\n请检查您负责的区域：无异常请点“我负责的区域今日无异常”，发现隐患请点“上报隐患”。',
      buttons: [
        { id: 'ok', label: '我负责的区域今日无异常', style: 'primary', op: 'daily_check_ok' },
        { id: 'report', label: '上报隐患', style: 'danger', op: 'daily_check_report' },
      ],
    },
    talk1530: {
      title: '1530 安全教育 · {date}',
      tone: 'info',
      body: '放学前 {minutes} 分钟，请给学生讲一讲：**{topic}**\n{points}',
      bodyByOccasion: {
        last_day_of_week: '本周最后一个上学日，放学前 {minutes} 分钟请讲：**{topic}**\n{points}\n并提醒学生周末安全。',
        before_holiday: '明天起放假。请用放学前 {minutes} 分钟上好假前安全教育课：**{topic}**\n{points}',
      },
      buttons: [{ id: 'given', label: '已讲', style: 'primary', op: 'talk_given' }],
    },
    drowning: {
      title: '防溺水提醒 · {date}',
      tone: 'warning',
      body:
        '防溺水“六不”：不私自下水游泳；不擅自与他人结伴游泳；不在无家长或教师带领的情况下游泳；' +
        `不到无安全设施、无救护人员的水域游泳；不到不熟悉的水域游泳；不熟悉水性的学生不擅自下水施救。\n\n${PARENT_NOTE}`,
      buttons: [{ id: 'forwarded', label: '已转告家长', style: 'primary', op: 'parents_told' }],
    },
    winter_safety: {
      title: '冬春季安全提醒 · {date}',
      tone: 'warning',
      body:
        '冬春季安全：取暖注意通风，防一氧化碳中毒；冰雪天气注意交通安全、防滑防冻；不玩火、不燃放烟花爆竹；' +
        `注意防范流感等呼吸道传染病。\n\n${PARENT_NOTE}`,
      buttons: [{ id: 'forwarded', label: '已转告家长', style: 'primary', op: 'parents_told' }],
    },
    personal_digest: {
      title: '我的待办 · {date}',
      tone: 'info',
      body: '{summary}',
      buttons: [],
    },
    weekly_digest: {
      title: '{school} 安全周报',
      tone: 'info',
      body: '{summary}',
      buttons: [],
    },
    monthly_summary: {
      title: '{school} 隐患排查治理月报',
      tone: 'info',
      body: '{summary}',
      buttons: [],
    },
  },
  programmes: [
    {
      id: 'daily_check',
      title: '一日一醒（全员日排查）',
      audience: 'staff_group',
      at: '07:50',
      days: ['school_days'],
      stale: { until: '10:00' },
      card: 'daily_check',
      topics: 'daily_focus',
    },
    {
      id: 'talk1530',
      title: '1530 安全教育',
      audience: 'class_teachers',
      at: 'dismissal',
      lessonMinutes: { daily: 1, lastDayOfWeek: 5, beforeHoliday: 30 },
      days: ['school_days'],
      stale: { until: 'dismissal' },
      card: 'talk1530',
      topics: 'talk1530',
    },
    {
      id: 'drowning',
      title: '防溺水提醒',
      audience: 'class_teachers',
      at: '14:30',
      days: ['fridays', 'before_holidays'],
      months: [5, 6, 7, 8, 9],
      stale: { until: '20:00' },
      card: 'drowning',
    },
    {
      id: 'winter_safety',
      title: '冬春季安全提醒',
      audience: 'class_teachers',
      at: '14:30',
      days: ['fridays', 'before_holidays'],
      months: [11, 12, 1, 2],
      stale: { until: '20:00' },
      card: 'winter_safety',
    },
    {
      id: 'personal_digest',
      title: '每日个人待办',
      audience: 'owners',
      at: '08:00',
      days: ['school_days'],
      stale: { until: '12:00' },
      card: 'personal_digest',
      onlyWhenContent: true,
    },
    {
      id: 'weekly_digest',
      title: '学校安全周报',
      audience: 'leaders_group',
      at: '08:00',
      days: ['weekly:1'],
      stale: { afterMinutes: 12 * 60 },
      card: 'weekly_digest',
    },
    {
      id: 'monthly_summary',
      title: '隐患排查治理月报',
      audience: 'leaders_group',
      at: '09:00',
      days: ['monthly:1'],
      stale: { afterMinutes: 3 * 24 * 60 },
      card: 'monthly_summary',
    },
  ],
} satisfies RemindersFileInput;

export interface LoadedReminders extends RemindersFile {
  topicSets: Record<string, TopicSet>;
}

/** Validates programmes, cards, quiet hours and the topics they use; throws naming file and field. */
export function loadReminderProgrammes(source: unknown = reminders, topicSource: unknown = topics): LoadedReminders {
  const topicSets = loadTopicSets(topicSource);
  const file = parseConfig(remindersFileSchema, source, REMINDERS_FILE);
  checkTopicReferences(file, topicSets, REMINDERS_FILE);
  return { ...file, topicSets };
}
