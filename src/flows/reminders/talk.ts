/**
 * "已讲" on a 1530 card, or "已转告家长" on a seasonal reminder: one education-ledger row per person,
 * day and programme, for the class they are class teacher of.
 */
import { classOfTeacher, recordEducation } from '../../db/repos/schedule-records.js';
import type { ActionAnswer } from '../../model/card.js';
import type { FlowContext } from '../types.js';
import type { SchoolSlot } from './slot.js';

export async function markGiven(
  ctx: FlowContext,
  slot: SchoolSlot,
  personId: string,
  topic: string,
  what: 'talk' | 'parents',
): Promise<ActionAnswer> {
  const classId = await classOfTeacher(ctx.db, slot.schoolId, personId);
  const recorded = await recordEducation(ctx.db, {
    schoolId: slot.schoolId,
    classId,
    day: slot.day,
    programme: slot.programme,
    topic,
    personId,
    at: ctx.now,
  });
  const done = what === 'talk' ? '已记录：今天的安全教育已讲。' : '已记录：已转告家长。';
  return { toast: { type: recorded ? 'success' : 'info', text: recorded ? done : '这一天已经记录过了。' } };
}
