/** zod schemas for the calendar data in bot-flows/calendar.ts. */
import { z } from 'zod';
import { isIsoDate } from './civil-date.js';
import type { DistrictCalendar } from './school-calendar.js';
import { assertTimeZone } from './zoned.js';

export const isoDateSchema = z.string().refine(isIsoDate, { error: '日期格式应为 YYYY-MM-DD 且为真实日期' });

const namedDates = z.record(isoDateSchema, z.string().min(1, { error: '名称不能为空' }));

export const dateRangeSchema = z
  .strictObject({ name: z.string().min(1, { error: '名称不能为空' }), start: isoDateSchema, end: isoDateSchema })
  .refine((range) => range.start <= range.end, { error: '结束日期不能早于开始日期', path: ['end'] });

export const districtCalendarSchema = z.strictObject({
  terms: z.array(dateRangeSchema).optional(),
  vacations: z.array(dateRangeSchema).optional(),
  extraDaysOff: namedDates.optional(),
  extraSchoolDays: namedDates.optional(),
});

const yearOverridesSchema = z
  .strictObject({ holidays: namedDates.optional(), workdays: namedDates.optional() })
  .superRefine((entry, ctx) => {
    for (const date of Object.keys(entry.workdays ?? {})) {
      if (entry.holidays?.[date] !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['workdays', date], message: '同一天不能既是假日又是调休工作日' });
      }
    }
  });

export const nationalOverridesSchema = z
  .record(z.string().regex(/^\d{4}$/, { error: '年份应为四位数字' }), yearOverridesSchema)
  .superRefine((overrides, ctx) => {
    for (const [year, entry] of Object.entries(overrides)) {
      for (const kind of ['holidays', 'workdays'] as const) {
        for (const date of Object.keys(entry[kind] ?? {})) {
          if (!date.startsWith(`${year}-`)) {
            ctx.addIssue({ code: 'custom', path: [year, kind, date], message: `日期不属于 ${year} 年` });
          }
        }
      }
    }
  });

export const timeZoneSchema = z.string().refine(
  (zone) => {
    try {
      assertTimeZone(zone);
      return true;
    } catch {
      return false;
    }
  },
  { error: '未知时区（应为 IANA 名称，如 Asia/Shanghai）' },
);

export const calendarConfigSchema = z.strictObject({
  national: nationalOverridesSchema,
  districts: z
    .record(z.string().min(1), districtCalendarSchema)
    .refine((districts) => districts.default !== undefined, { error: '必须提供 default 区县校历' }),
});

export type CalendarConfig = z.output<typeof calendarConfigSchema>;

/** The district's own calendar, or the default one: a district entry replaces the default, it does not merge. */
export function districtCalendarFor(config: CalendarConfig, districtCode: string | undefined): DistrictCalendar {
  const own = districtCode === undefined ? undefined : config.districts[districtCode];
  return own ?? config.districts.default ?? {};
}
