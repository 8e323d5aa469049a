/**
 * The deadline-nag and escalation policy (bot-flows/escalation.ts): when the owner is reminded and who
 * is told, in which order, as a hazard's rectification runs late.
 */
import { z } from 'zod';
import { isClockTime } from '../calendar/zoned.js';
import { fillTemplate } from '../schedule/card-template.js';
import { slugSchema } from '../schedule/topics.js';

export const ESCALATION_RECIPIENTS = ['safety_officer', 'principal', 'bureau'] as const;
export type EscalationRecipient = (typeof ESCALATION_RECIPIENTS)[number];

/** Values the scheduler fills into nag and escalation texts. */
export const MESSAGE_PLACEHOLDERS = ['code', 'description', 'location', 'owner', 'deadline', 'days', 'level'] as const;
export type MessageVariables = Partial<Record<(typeof MESSAGE_PLACEHOLDERS)[number], string>>;

const clockTime = z.string().refine(isClockTime, { error: '时间格式应为 HH:MM（00:00–23:59）' });
const days = z
  .number()
  .int({ error: '天数应为整数' })
  .min(0, { error: '天数不能为负' })
  .max(365, { error: '天数应不超过 365' });

const messageText = z
  .string()
  .min(1, { error: '文字不能为空' })
  .superRefine((text, ctx) => {
    for (const match of text.matchAll(/\{([a-z_]+)\}/g)) {
      if (!(MESSAGE_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) {
        ctx.addIssue({
          code: 'custom',
          message: `未知占位符 {${match[1]}}，可用：${MESSAGE_PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}`,
        });
      }
    }
  });

export const rungSchema = z.strictObject({
  /** Part of the occurrence key: `escalate:hazard:<id>:<cycle>:<rung id>`. */
  id: slugSchema,
  notify: z.enum(ESCALATION_RECIPIENTS, { error: `通知对象应为 ${ESCALATION_RECIPIENTS.join(' / ')}` }),
  urgency: z.enum(['normal', 'urgent']),
  /** Days overdue (see `countDays`) from which this rung fires. */
  afterDays: days.refine((value) => value >= 1, { error: '逾期天数应至少为 1（重大隐患用 majorAfterDays: 0）' }),
  /** A lower threshold for major hazards; 0 = as soon as the deadline passes. */
  majorAfterDays: days.optional(),
  message: messageText,
});

export const escalationPolicySchema = z.strictObject({
  nags: z.strictObject({
    /** The owner's advance reminder; the key is `before<hours>h` (before24h by default). */
    beforeHours: z.number().int().min(1, { error: '应为 1–168 小时' }).max(168, { error: '应为 1–168 小时' }),
    /** Local time of the daily overdue nag. */
    overdueAt: clockTime,
    /** every_day: safety does not pause at weekends; school_days: nag on school days only. */
    overdueOn: z.enum(['every_day', 'school_days'], { error: '应为 every_day 或 school_days' }),
    messages: z.strictObject({ before: messageText, due: messageText, overdue: messageText }),
  }),
  escalation: z
    .strictObject({
      /** Local time at which a rung due on a given day fires (rungs with 0 days fire at the deadline). */
      at: clockTime,
      /** calendar: every day counts (default, weekends and holidays included); school: school days only. */
      countDays: z.enum(['calendar', 'school'], { error: '应为 calendar 或 school' }),
      rungs: z.array(rungSchema).min(1, { error: '至少需要一级升级' }),
    })
    .superRefine((escalation, ctx) => {
      const seen = new Set<string>();
      escalation.rungs.forEach((rung, index) => {
        if (seen.has(rung.id))
          ctx.addIssue({ code: 'custom', path: ['rungs', index, 'id'], message: `标识重复：${rung.id}` });
        seen.add(rung.id);
        const previous = escalation.rungs[index - 1];
        if (previous !== undefined && rung.afterDays < previous.afterDays) {
          ctx.addIssue({
            code: 'custom',
            path: ['rungs', index, 'afterDays'],
            message: '各级应按逾期天数从少到多排列',
          });
        }
      });
    }),
});

export type EscalationPolicy = z.output<typeof escalationPolicySchema>;
export type EscalationPolicyInput = z.input<typeof escalationPolicySchema>;
export type Rung = z.output<typeof rungSchema>;

export function fillMessage(text: string, variables: MessageVariables): string {
  return fillTemplate(text, variables);
}
