/**
 * 一日一醒 answers, recorded as the day's inspection record (全员日排查): "我负责的区域今日无异常" → 'ok';
 * "上报隐患" → a private hint on how to report; the report itself records 'reported' through
 * recordDailyCheckReport, which the hazard flows call when a person reports a hazard.
 */
import { type DailyCheckResult, recordDailyCheck } from '../../db/repos/schedule-records.js';
import type { Db } from '../../db/types.js';
import { localDate } from '../../domain/calendar/zoned.js';
import type { ActionAnswer } from '../../model/card.js';
import type { FlowContext } from '../types.js';
import type { SchoolSlot } from './slot.js';

/**
 * A person reported a hazard at a school: today's inspection record (in the school's zone) says
 * 'reported' (it replaces an earlier 'ok'). Call it in the report's transaction.
 */
export async function recordDailyCheckReport(
  db: Db,
  schoolId: string,
  personId: string,
  now: Date,
  timeZone: string,
  detail: { hazardId?: string; code?: string } = {},
): Promise<DailyCheckResult> {
  const day = localDate(now, timeZone);
  const { result } = await recordDailyCheck(db, { schoolId, day, personId, result: 'reported', at: now, detail });
  return result;
}

export async function confirmNoIssue(ctx: FlowContext, slot: SchoolSlot, personId: string): Promise<ActionAnswer> {
  const { result, changed } = await recordDailyCheck(ctx.db, {
    schoolId: slot.schoolId,
    day: slot.day,
    personId,
    result: 'ok',
    at: ctx.now,
  });
  if (result === 'reported') {
    return { toast: { type: 'info', text: '您今天已上报隐患，今日排查记录为“上报隐患”。' } };
  }
  return {
    toast: { type: 'success', text: changed ? '已记录：您负责的区域今日无异常。' : '今天已记录过“无异常”。' },
  };
}

const REPORT_HINT =
  '请在教师群里 @校安 描述隐患：在哪里、什么问题，可以附上照片。\n' +
  '例如：@校安 教学楼三楼东侧消防通道堆放纸箱\n' +
  '上报后会自动记入您今天的排查记录。';

export async function hintReport(ctx: FlowContext, slot: SchoolSlot, personId: string): Promise<ActionAnswer> {
  const { platform, tenant, actor } = ctx.event;
  await ctx.send({
    target: { platform, tenant, userId: actor.platformUserId },
    body: {
      type: 'card',
      card: { title: '如何上报隐患', tone: 'info', blocks: [{ type: 'markdown', text: REPORT_HINT }], buttons: [] },
    },
    urgency: 'normal',
    idempotencyKey: `reminder:daily_check_report:hint:${slot.schoolId}:${slot.day}:${personId}`,
  });
  return { toast: { type: 'info', text: '请 @校安 描述隐患（位置和问题），上报后自动记入今日排查。' } };
}
