/** Rotating talk and focus topics (bot-flows/topics.ts): which topic a given day gets. */
import { z } from 'zod';
import { addDays, type IsoDate, isoDate, monthOf, yearOf } from '../calendar/civil-date.js';
import { isSchoolDay, type SchoolCalendar } from '../calendar/school-calendar.js';

export const SCHOOL_OCCASIONS = ['daily', 'last_day_of_week', 'before_holiday'] as const;
export type SchoolOccasion = (typeof SCHOOL_OCCASIONS)[number];
export type Occasion = SchoolOccasion | 'weekly' | 'monthly';

export function isSchoolOccasion(occasion: Occasion): occasion is SchoolOccasion {
  return (SCHOOL_OCCASIONS as readonly string[]).includes(occasion);
}

export const slugSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: '标识应为小写字母、数字和下划线，以字母开头' });

export const monthsSchema = z
  .array(
    z
      .number()
      .int({ error: '月份应为 1–12 的整数' })
      .min(1, { error: '月份应为 1–12' })
      .max(12, { error: '月份应为 1–12' }),
  )
  .min(1, { error: '至少需要一个月份' });

export const topicSchema = z.strictObject({
  id: slugSchema,
  title: z.string().min(1, { error: '话题标题不能为空' }),
  /** Talking points shown under the title. */
  points: z.array(z.string().min(1)).default([]),
  /** Only in these months (seasonal topics); every month when absent. */
  months: monthsSchema.optional(),
  /** Preferred on these occasions (e.g. the pre-holiday lesson); general topics have none. */
  occasions: z
    .array(z.enum(SCHOOL_OCCASIONS, { error: `场合应为 ${SCHOOL_OCCASIONS.join(' / ')}` }))
    .min(1)
    .optional(),
});

export const topicSetSchema = z
  .strictObject({
    title: z.string().min(1),
    items: z.array(topicSchema).min(1, { error: '至少需要一个话题' }),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.items.forEach((item, index) => {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: ['items', index, 'id'], message: `话题标识重复：${item.id}` });
      seen.add(item.id);
    });
  });

export const topicSetsSchema = z.strictObject({ sets: z.record(slugSchema, topicSetSchema) });

export type TopicSetsInput = z.input<typeof topicSetsSchema>;
export type Topic = z.output<typeof topicSchema>;
export type TopicSet = z.output<typeof topicSetSchema>;

function inMonth(topic: Topic, month: number): boolean {
  return topic.months === undefined || topic.months.includes(month);
}

/** General (occasion-free) topics available in a month: every month a programme runs needs one. */
export function generalTopicsIn(set: TopicSet, month: number): Topic[] {
  return set.items.filter((topic) => topic.occasions === undefined && inMonth(topic, month));
}

/** School days from 1 January up to (not including) `date`: the rotation counter. */
function schoolDayOrdinal(date: IsoDate, calendar: SchoolCalendar): number {
  let count = 0;
  for (let day = isoDate(yearOf(date), 1, 1); day < date; day = addDays(day, 1)) {
    if (isSchoolDay(day, calendar)) count++;
  }
  return count;
}

/**
 * The topic for a day: topics meant for this occasion when the month has any (so the pre-holiday lesson
 * gets holiday safety), otherwise the month's general topics, rotating one per school day.
 */
export function pickTopic(
  set: TopicSet,
  date: IsoDate,
  occasion: Occasion,
  calendar: SchoolCalendar,
): Topic | undefined {
  const month = monthOf(date);
  const special = set.items.filter(
    (topic) => inMonth(topic, month) && topic.occasions?.some((wanted) => wanted === occasion) === true,
  );
  const pool = special.length > 0 ? special : generalTopicsIn(set, month);
  if (pool.length === 0) return undefined;
  return pool[schoolDayOrdinal(date, calendar) % pool.length];
}
