/** The buttons of reminder cards (value.flow = 'reminder'), routed by op. */
import { findSchool } from '../../db/repos/school-people.js';
import { daysBetween } from '../../domain/calendar/civil-date.js';
import { localDate } from '../../domain/calendar/zoned.js';
import type { ActionAnswer, ActionValue } from '../../model/card.js';
import { rolesAt } from '../actor.js';
import { type FlowContext, FlowRefusal } from '../types.js';
import { confirmNoIssue, hintReport } from './daily-check.js';
import { parseSchoolSlot } from './slot.js';
import { markGiven } from './talk.js';

/** A talk given late may still be recorded for its day, up to this many days after. */
const TALK_GRACE_DAYS = 2;

const label = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

export async function reminderAction(ctx: FlowContext, value: ActionValue): Promise<ActionAnswer> {
  const slot = parseSchoolSlot(value.slot);
  if (!slot) throw new FlowRefusal('这张提醒卡片已失效。');
  const personId = ctx.actor.personId;
  if (!personId || rolesAt(ctx.actor, slot.schoolId, ctx.chat).size === 0) {
    throw new FlowRefusal('只有本校教职工可以在这张卡片上登记。');
  }
  const school = await findSchool(ctx.db, slot.schoolId);
  if (!school) throw new FlowRefusal('这张提醒卡片已失效。');
  const late = daysBetween(slot.day, localDate(ctx.now, school.timezone));
  const topic = typeof value.topic === 'string' ? value.topic : '';
  switch (value.op) {
    case 'daily_check_ok':
    case 'daily_check_report':
      if (late !== 0) throw new FlowRefusal(`这是${label(slot.day)}的一日一醒，已过期，请使用今天的卡片。`);
      return value.op === 'daily_check_ok' ? confirmNoIssue(ctx, slot, personId) : hintReport(ctx, slot, personId);
    case 'talk_given':
    case 'parents_told':
      if (late < 0 || late > TALK_GRACE_DAYS) throw new FlowRefusal(`${label(slot.day)}的提醒已过登记期限。`);
      return markGiven(ctx, slot, personId, topic, value.op === 'talk_given' ? 'talk' : 'parents');
    default:
      throw new FlowRefusal('这个按钮已不再使用。');
  }
}
