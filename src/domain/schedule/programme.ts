/**
 * Reminder programmes as data (bot-flows/reminders.ts): who gets which card, at what local time, on
 * which days, and how late a missed slot may still go out.
 */
import { z } from 'zod';
import { isClockTime, parseClockTime } from '../calendar/zoned.js';
import { cardTemplateSchema } from './card-template.js';
import { generalTopicsIn, monthsSchema, slugSchema, type TopicSet } from './topics.js';

/**
 * Group audiences get one message per school; person audiences one per recipient:
 * class_teachers (each class teacher), owners (each person with open items), safety_officers, principals.
 */
export const AUDIENCES = [
  'staff_group',
  'leaders_group',
  'class_teachers',
  'owners',
  'safety_officers',
  'principals',
] as const;
export type Audience = (typeof AUDIENCES)[number];
export const GROUP_AUDIENCES: readonly Audience[] = ['staff_group', 'leaders_group'];

/**
 * school_days · every_day · fridays (the last school day of the week, a make-up Saturday included) ·
 * before_holidays (the last school day before a holiday or vacation) · weekly:<1–7, Monday = 1> ·
 * monthly:<1–31, clamped to the month's last day>.
 */
const DAY_RULE = /^(school_days|every_day|fridays|before_holidays|weekly:[1-7]|monthly:([1-9]|[12]\d|3[01]))$/;

const clockTime = z.string().refine(isClockTime, { error: '时间格式应为 HH:MM（00:00–23:59）' });
const minutes = z
  .number()
  .int({ error: '分钟数应为整数' })
  .min(1, { error: '分钟数应为 1–240' })
  .max(240, { error: '分钟数应为 1–240' });

export const quietHoursSchema = z
  .strictObject({ start: clockTime, end: clockTime })
  .refine((quiet) => quiet.start !== quiet.end, { error: '免打扰开始与结束时间不能相同', path: ['end'] });

export const programmeSchema = z
  .strictObject({
    id: slugSchema,
    title: z.string().min(1, { error: '标题不能为空' }),
    audience: z.enum(AUDIENCES, { error: `未知受众，应为 ${AUDIENCES.join(' / ')}` }),
    /** Local time of day, or 'dismissal': the school's dismissal time minus `lessonMinutes`. */
    at: z.string().refine((value) => value === 'dismissal' || isClockTime(value), {
      error: '时间格式应为 HH:MM（或 dismissal：按放学时间倒推）',
    }),
    /** With at: 'dismissal': how long the talk is, so the reminder arrives when it should start. */
    lessonMinutes: z.strictObject({ daily: minutes, lastDayOfWeek: minutes, beforeHoliday: minutes }).optional(),
    days: z
      .array(
        z.string().regex(DAY_RULE, {
          error: '日期规则应为 school_days / every_day / fridays / before_holidays / weekly:<1-7> / monthly:<1-31>',
        }),
      )
      .min(1, { error: '至少需要一条日期规则' }),
    /** Season: only in these months. */
    months: monthsSchema.optional(),
    /** How late a missed slot may still go out: until a local time that day, or minutes after the slot. */
    stale: z
      .strictObject({
        until: z
          .string()
          .refine((value) => value === 'dismissal' || isClockTime(value), {
            error: '时间格式应为 HH:MM（或 dismissal：放学为止）',
          })
          .optional(),
        afterMinutes: z
          .number()
          .int()
          .min(1, { error: '应为 1–10080 分钟' })
          .max(10_080, { error: '应为 1–10080 分钟' })
          .optional(),
      })
      .refine((stale) => (stale.until === undefined) !== (stale.afterMinutes === undefined), {
        error: '请二选一：until（当天截止时间）或 afterMinutes（延后分钟数）',
      }),
    urgency: z.enum(['normal', 'urgent']).default('normal'),
    card: slugSchema,
    topics: slugSchema.optional(),
    /** Digests: the scheduler skips recipients with nothing to report. */
    onlyWhenContent: z.boolean().default(false),
  })
  .superRefine((programme, ctx) => {
    if (programme.at === 'dismissal' && programme.lessonMinutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lessonMinutes'], message: 'at 为 dismissal 时必须给出 lessonMinutes' });
    }
    if (programme.at !== 'dismissal' && programme.lessonMinutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['lessonMinutes'],
        message: '只有 at 为 dismissal 时才能设置 lessonMinutes',
      });
    }
    const until = programme.stale.until;
    if (until !== undefined && until !== 'dismissal') {
      if (programme.at === 'dismissal') {
        ctx.addIssue({
          code: 'custom',
          path: ['stale', 'until'],
          message: 'at 为 dismissal 时 until 只能是 dismissal 或改用 afterMinutes',
        });
      } else if (
        isClockTime(until) &&
        isClockTime(programme.at) &&
        parseClockTime(until) <= parseClockTime(programme.at)
      ) {
        ctx.addIssue({ code: 'custom', path: ['stale', 'until'], message: `截止时间应晚于发送时间 ${programme.at}` });
      }
    }
  });

export type ReminderProgramme = z.output<typeof programmeSchema>;

export const remindersFileSchema = z
  .strictObject({
    quietHours: quietHoursSchema,
    cards: z.record(slugSchema, cardTemplateSchema),
    programmes: z.array(programmeSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.programmes.forEach((programme, index) => {
      if (seen.has(programme.id)) {
        ctx.addIssue({ code: 'custom', path: ['programmes', index, 'id'], message: `标识重复：${programme.id}` });
      }
      seen.add(programme.id);
      if (file.cards[programme.card] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['programmes', index, 'card'], message: `未知卡片：${programme.card}` });
      }
    });
  });

export type RemindersFile = z.output<typeof remindersFileSchema>;
export type RemindersFileInput = z.input<typeof remindersFileSchema>;

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Topic references need both files: every month a programme runs must have a general topic. */
export function checkTopicReferences(file: RemindersFile, topicSets: Record<string, TopicSet>, fileName: string): void {
  const problems: string[] = [];
  file.programmes.forEach((programme, index) => {
    if (programme.topics === undefined) return;
    const set = topicSets[programme.topics];
    if (set === undefined) {
      problems.push(`${fileName}: programmes[${index}].topics: 未知话题集：${programme.topics}`);
      return;
    }
    const empty = (programme.months ?? ALL_MONTHS).filter((month) => generalTopicsIn(set, month).length === 0);
    if (empty.length > 0) {
      problems.push(
        `${fileName}: programmes[${index}].topics: 话题集 ${programme.topics} 在 ${empty.join('、')} 月没有可用话题`,
      );
    }
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
