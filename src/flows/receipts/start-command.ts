import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import { classesOfSchool } from '../../db/repos/receipts.js';
import { parseDeadline } from '../../domain/dates/index.js';
import { parseCampaignStart, resolveClassNames } from '../../domain/receipts/campaign-command.js';
import { compareClassNames } from '../../domain/roster/class-name.js';
import { hasAnyRole, rolesAt } from '../actor.js';
import { type FlowContext, FlowRefusal } from '../types.js';
import { startCampaign, startedText } from './start.js';

/**
 * "回执 发起 防溺水 截止 6月30日 [班级…]" in a staff or leaders group. The safety officer and the principal
 * may target any class (no classes = the whole school); a class teacher only their own (no classes = theirs).
 */
export async function startFromChat(ctx: FlowContext, letters: readonly LetterTemplate[]): Promise<void> {
  const chat = ctx.chat;
  if (!chat || (chat.kind !== 'staff' && chat.kind !== 'leaders')) {
    throw new FlowRefusal('请在学校的教师群或校领导群里发起回执。');
  }
  const roles = rolesAt(ctx.actor, chat.schoolId, chat);
  const schoolWide = hasAnyRole(roles, ['safety_officer', 'principal']);
  const known = await classesOfSchool(ctx.db, chat.schoolId);
  const ownIds = new Set(
    ctx.actor.grants
      .filter((grant) => grant.role === 'class_teacher' && grant.schoolId === chat.schoolId && grant.classId)
      .map((grant) => grant.classId!),
  );
  const own = known.filter((klass) => ownIds.has(klass.id)).map((klass) => klass.name);
  if (!ctx.actor.personId || (!schoolWide && own.length === 0)) {
    throw new FlowRefusal('只有班主任、安全主任或校长可以发起回执。');
  }

  const parsed = parseCampaignStart(ctx.text, letters);
  if (!parsed.ok) throw new FlowRefusal(parsed.error);
  const { letter, deadlineText, classNames, allClasses } = parsed.value;
  let names: string[];
  if (allClasses) {
    names = schoolWide ? known.map((klass) => klass.name).sort(compareClassNames) : own;
  } else {
    const resolved = resolveClassNames(
      classNames,
      known.map((klass) => klass.name),
    );
    if (!resolved.ok) throw new FlowRefusal(resolved.error);
    names = resolved.value;
    const foreign = schoolWide ? [] : names.filter((name) => !own.includes(name));
    if (foreign.length > 0) {
      throw new FlowRefusal(`班主任只能给自己的班级发起回执，${foreign.join('、')} 不是你的班级。`);
    }
  }
  const deadline = parseDeadline(deadlineText, ctx.now, { timeZone: chat.timezone });
  if (!deadline.ok) throw new FlowRefusal(deadline.reason);

  const result = await startCampaign(ctx.db, {
    schoolId: chat.schoolId,
    timezone: chat.timezone,
    letter,
    deadline: deadline.at,
    classNames: names,
    createdBy: ctx.actor.personId,
    now: ctx.now,
    links: ctx.services.links,
  });
  if (!result.ok) throw new FlowRefusal(result.reason);
  await ctx.reply(startedText(letter, result));
}
