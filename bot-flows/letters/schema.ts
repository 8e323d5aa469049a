import { z } from 'zod';
import { findLetterIn } from '../../src/domain/receipts/letter-match.js';

/**
 * A letter to parents with a receipt (告家长书/致家长的一封信). The card shows `summary` and the
 * `confirmLabel` button; the H5 page shows `fullText` (Markdown) and `confirmation` above the button.
 */

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时间格式应为 HH:MM（00:00–23:59）' });

function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, { error: '不能为空' })
    .refine((value) => [...value].length <= max, { error: `不能超过 ${max} 个字` });
}

/**
 * When non-confirmers are reminded. Fixed rules that are not settings: at most one private reminder a
 * day per guardian, none after the deadline, none in quiet hours (bot-flows/reminders.ts).
 */
export const reminderPlanSchema = z
  .object({
    /** Direct message to each guardian of a student without a receipt, where the platform allows it. */
    guardianPrivate: z
      .object({
        enabled: z.boolean(),
        at: clockTime,
        /** Give families this long after the card is posted before the first reminder. */
        startAfterHours: z.number().int().min(0).max(168),
      })
      .strict(),
    /** "已确认 35/42" in the class parents' group — counts only, never names. */
    groupCount: z
      .object({
        enabled: z.boolean(),
        at: clockTime,
        /** no_direct: only in groups whose platform cannot message parents privately. */
        when: z.enum(['no_direct', 'always']),
        everyDays: z.number().int().min(1).max(7),
      })
      .strict(),
    /** The names still missing, privately to the class teacher, N days before the deadline. */
    teacherMissingList: z
      .object({
        enabled: z.boolean(),
        at: clockTime,
        daysBeforeDeadline: z.number().int().min(0).max(14),
      })
      .strict(),
  })
  .strict();

export const letterTemplateSchema = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, { error: '代码只能用小写字母、数字和横线，以字母开头' }),
    /** What teachers type in commands ("回执 发起 防溺水"); the first one is shown in help and errors. */
    aliases: z.array(text(12)).min(1, { error: '至少需要一个别名' }),
    title: text(40),
    /** The card body: short enough for every platform's card. */
    summary: text(120),
    /** Markdown for the H5 page. */
    fullText: text(6000),
    /** The one-tap button. */
    confirmLabel: text(10).default('我已阅读并承诺'),
    /** The statement the parent confirms, shown with the button. */
    confirmation: text(200).refine((value) => value.startsWith('我已阅读'), { error: '应以“我已阅读”开头' }),
    reminderPlan: reminderPlanSchema,
  })
  .strict();

export const letterSetSchema = z
  .array(letterTemplateSchema)
  .min(1, { error: '至少需要一封告知书' })
  .superRefine((letters, ctx) => {
    letters.forEach((letter, index) => {
      const others = letters.filter((_, other) => other !== index);
      for (const name of [letter.code, ...letter.aliases]) {
        const clash = findLetterIn(others, name);
        if (clash) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'aliases'],
            message: `“${name}”与告知书 ${clash.code} 重名，命令里无法区分`,
          });
        }
      }
    });
  });

export type ReminderPlan = z.infer<typeof reminderPlanSchema>;
export type LetterTemplate = z.infer<typeof letterTemplateSchema>;
export type LetterTemplateInput = z.input<typeof letterTemplateSchema>;
