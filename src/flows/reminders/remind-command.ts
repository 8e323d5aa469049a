/**
 * `@校安 提醒 <时间> <内容>` (optionally `@张三` …) by a safety officer or principal: an ad-hoc reminder
 * the scheduler sends when due — to the people named, privately, or else to the chat it was set in.
 */
import { findPersonByAccount } from '../../db/repos/identity.js';
import { insertAdhocReminder } from '../../db/repos/schedule-records.js';
import { peopleNamed, withRoleAt } from '../../db/repos/school-people.js';
import { type CommandCatalog, isCommandError, type PersonRef, parseCommand } from '../../domain/commands/index.js';
import { type AdhocAudience, encodeAdhocAudience } from '../../domain/schedule/adhoc.js';
import { hasAnyRole, rolesAt } from '../actor.js';
import { type FlowContext, FlowRefusal } from '../types.js';

const SETTERS = ['safety_officer', 'principal'] as const;
const STAFF = ['teacher', 'class_teacher', 'safety_officer', 'principal'] as const;

/** The school the reminder belongs to: the bound chat's, or in a direct chat the one school the actor runs. */
function schoolOf(ctx: FlowContext): string {
  if (ctx.chat) return ctx.chat.schoolId;
  const schools = new Set(
    ctx.actor.grants
      .filter((grant) => grant.schoolId && (SETTERS as readonly string[]).includes(grant.role))
      .map((grant) => grant.schoolId!),
  );
  if (schools.size === 1) return [...schools][0]!;
  throw new FlowRefusal('请在学校的教师群里 @校安 设置提醒。');
}

async function resolvePerson(
  ctx: FlowContext,
  schoolId: string,
  ref: PersonRef,
): Promise<{ id: string; name: string }> {
  const name = ref.name.trim();
  if (ref.mentioned) {
    const known = await findPersonByAccount(ctx.db, ctx.event.platform, ctx.event.tenant, name);
    if (known) return { id: known.personId, name: known.name };
  }
  const named = await peopleNamed(ctx.db, name);
  const staff = await withRoleAt(
    ctx.db,
    named.map((person) => person.personId),
    schoolId,
    STAFF,
  );
  if (staff.size === 1) {
    const id = [...staff][0]!;
    return { id, name: named.find((person) => person.personId === id)?.name ?? name };
  }
  throw new FlowRefusal(
    staff.size === 0 ? `本校没有找到“${name}”，请检查名字。` : `本校有不止一位“${name}”，请 @ 对方本人。`,
  );
}

export async function remindCommand(ctx: FlowContext, catalog: CommandCatalog): Promise<boolean> {
  if (!ctx.event.mentionsBot && ctx.event.chat.type !== 'direct') return false;
  const timeZone = ctx.chat?.timezone ?? ctx.services.timezone;
  const parsed = parseCommand(ctx.text, { catalog, now: ctx.now, timeZone });
  if (!parsed) return false;
  if (isCommandError(parsed)) {
    if (parsed.command !== 'remind') return false;
    await ctx.reply(parsed.error);
    return true;
  }
  if (parsed.name !== 'remind') return false;
  const schoolId = schoolOf(ctx);
  if (!ctx.actor.personId || !hasAnyRole(rolesAt(ctx.actor, schoolId, ctx.chat), SETTERS)) {
    throw new FlowRefusal('只有安全员或校长可以设置提醒。');
  }
  if (parsed.at.at <= ctx.now) throw new FlowRefusal('提醒时间已过，请写一个以后的时间。');
  const people = [];
  for (const ref of parsed.mentions) people.push(await resolvePerson(ctx, schoolId, ref));
  let audience: AdhocAudience;
  let whom: string;
  if (people.length > 0) {
    audience = { kind: 'people', ids: [...new Set(people.map((person) => person.id))] };
    whom = [...new Set(people.map((person) => person.name))].join('、');
  } else if (ctx.chat) {
    audience = { kind: 'chat', platform: ctx.chat.platform, tenant: ctx.chat.tenant, chatId: ctx.chat.chatId };
    whom = '本群';
  } else {
    audience = { kind: 'people', ids: [ctx.actor.personId] };
    whom = '您';
  }
  await insertAdhocReminder(ctx.db, {
    schoolId,
    createdBy: ctx.actor.personId,
    text: parsed.text,
    audience: encodeAdhocAudience(audience),
    dueAt: parsed.at.at,
    createdAt: ctx.now,
  });
  await ctx.reply(`好的，将在 ${parsed.at.label} 提醒${whom}：${parsed.text}`);
  return true;
}
