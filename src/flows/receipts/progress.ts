import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import { findLetter } from '../../../bot-flows/letters/index.js';
import { accountsOf } from '../../db/repos/identity.js';
import {
  type CampaignRecord,
  campaignsOfClass,
  campaignsOfSchool,
  currentCampaign,
  findSchoolById,
} from '../../db/repos/receipts.js';
import {
  campaignClassCounts,
  campaignsOfSchools,
  classStudents,
  confirmedStudentIds,
  schoolsOfDistrict,
} from '../../db/repos/receipts-progress.js';
import { buildMissingList } from '../../domain/receipts/missing-list.js';
import {
  countText,
  districtProgressText,
  formatRate,
  groupProgressText,
  rollupReceipts,
  type SchoolProgress,
  schoolProgressText,
} from '../../domain/receipts/stats.js';
import type { Role } from '../../db/schema.js';
import type { Platform } from '../../model/platform.js';
import { hasAnyRole, rolesAt } from '../actor.js';
import { type FlowContext, FlowRefusal } from '../types.js';
import { formatDeadline } from './format.js';

/**
 * 回执 进度: parents' groups see their class's count; staff see counts per class (the principal and the
 * safety officer with the school total); the bureau sees the district; a class teacher also gets the
 * names still missing in their class — privately, never in a group.
 */

const SCHOOL_STAFF: readonly Role[] = ['teacher', 'class_teacher', 'safety_officer', 'principal'];
const SCHOOL_WIDE: readonly Role[] = ['safety_officer', 'principal'];

function letterFilter(word: string | undefined, letters: readonly LetterTemplate[]): string | undefined {
  if (!word) return undefined;
  const letter = findLetter(word, letters);
  if (!letter) throw new FlowRefusal(`没有找到告知书“${word}”。`);
  return letter.code;
}

export async function answerProgress(
  ctx: FlowContext,
  letters: readonly LetterTemplate[],
  letterWord: string | undefined,
): Promise<void> {
  const code = letterFilter(letterWord, letters);
  if (ctx.chat?.kind === 'class_parents' && ctx.chat.classId) {
    await ctx.reply(await groupProgress(ctx, ctx.chat.classId, code));
    return;
  }
  const schoolIds = ctx.chat
    ? [ctx.chat.schoolId]
    : [...new Set(ctx.actor.grants.map((grant) => grant.schoolId).filter((id): id is string => id !== null))];
  const bureau = ctx.actor.grants.find((grant) => grant.role === 'bureau' && grant.districtId);
  if (bureau && !ctx.chat) {
    await ctx.reply(await districtProgress(ctx, bureau.districtId!, code));
    return;
  }
  if (schoolIds.length !== 1) {
    throw new FlowRefusal(
      schoolIds.length === 0 ? '只有学校的老师可以查看回执进度。' : '你在多所学校任职，请在对应学校的教师群里查询。',
    );
  }
  const school = await findSchoolById(ctx.db, schoolIds[0]!);
  const roles = school ? rolesAt(ctx.actor, school.id, ctx.chat) : new Set<Role>();
  if (!school || !hasAnyRole(roles, [...SCHOOL_STAFF, 'bureau'])) {
    throw new FlowRefusal('只有本校老师可以查看回执进度。');
  }
  const campaign = currentCampaign(await campaignsOfSchool(ctx.db, school.id, code), ctx.now);
  if (!campaign) {
    await ctx.reply('本校还没有发起过回执。发起：回执 发起 防溺水 截止 6月30日');
    return;
  }
  const progress = rollupReceipts(await campaignClassCounts(ctx.db, [campaign.id])).schools[0];
  if (!progress) {
    await ctx.reply(`《${campaign.title}》回执没有目标班级。`);
    return;
  }
  const wide = hasAnyRole(roles, [...SCHOOL_WIDE, 'bureau']);
  const lines = [wide ? schoolProgressText(progress, campaign.title) : classLinesText(progress, campaign.title)];
  lines.push(`截止 ${formatDeadline(campaign.deadline, campaign.timezone, ctx.now)}`);
  const sent = await sendMissingLists(ctx, campaign, progress);
  if (sent.length > 0 && ctx.event.chat.type !== 'direct') {
    lines.push(`${sent.join('、')}的未确认学生名单已私信发给你。`);
  }
  await ctx.reply(lines.join('\n'));
}

/** Counts per class for teachers without a school-wide role. */
function classLinesText(school: SchoolProgress, letterTitle: string): string {
  return [
    `《${letterTitle}》回执进度 · ${school.schoolName}`,
    ...school.classes.map((c) => `${c.className} ${countText(c)}（${formatRate(c.rate)}）`),
  ].join('\n');
}

async function groupProgress(ctx: FlowContext, classId: string, code: string | undefined): Promise<string> {
  const list = (await campaignsOfClass(ctx.db, classId)).filter((c) => !code || c.letter === code);
  const campaign = currentCampaign(list, ctx.now);
  if (!campaign) return '本班目前没有需要确认的回执。';
  const row = (await campaignClassCounts(ctx.db, [campaign.id])).find((count) => count.classId === classId);
  return groupProgressText({
    letterTitle: campaign.title,
    confirmedCount: row?.confirmedCount ?? 0,
    studentCount: row?.studentCount ?? 0,
    deadlineText: formatDeadline(campaign.deadline, campaign.timezone, ctx.now),
  });
}

/** Each school's current campaign of one letter (the given one, else the district's latest). */
async function districtProgress(ctx: FlowContext, districtId: string, code: string | undefined): Promise<string> {
  const campaigns = await campaignsOfSchools(ctx.db, await schoolsOfDistrict(ctx.db, districtId));
  const letter = code ?? campaigns[0]?.letter;
  const bySchool = new Map<string, (typeof campaigns)[number][]>();
  for (const campaign of campaigns.filter((c) => c.letter === letter)) {
    bySchool.set(campaign.schoolId, [...(bySchool.get(campaign.schoolId) ?? []), campaign]);
  }
  const chosen = [...bySchool.values()].map((list) => currentCampaign(list, ctx.now)!);
  if (chosen.length === 0) return '本区还没有学校发起过这类回执。';
  const district = rollupReceipts(
    await campaignClassCounts(
      ctx.db,
      chosen.map((c) => c.id),
    ),
  );
  return districtProgressText(district, chosen[0]!.title);
}

/** The missing names of the actor's own classes, by private message. Returns the class names sent. */
async function sendMissingLists(ctx: FlowContext, campaign: CampaignRecord, school: SchoolProgress) {
  const own = new Set(
    ctx.actor.grants
      .filter((grant) => grant.role === 'class_teacher' && grant.schoolId === campaign.schoolId && grant.classId)
      .map((grant) => grant.classId!),
  );
  const personId = ctx.actor.personId;
  const sent: string[] = [];
  if (!personId || own.size === 0) return sent;
  const accounts = await accountsOf(ctx.db, personId, ctx.event.platform);
  const direct = ctx.event.chat.type === 'direct';
  if (!direct && accounts.length === 0) return sent;
  for (const klass of school.classes.filter((c) => own.has(c.classId))) {
    const list = buildMissingList(
      {
        letterTitle: campaign.title,
        className: klass.className,
        students: await classStudents(ctx.db, klass.classId),
        confirmedStudentIds: await confirmedStudentIds(ctx.db, campaign.id, klass.classId),
        deadlineText: formatDeadline(campaign.deadline, campaign.timezone, ctx.now),
      },
      { channel: 'direct', isClassTeacher: true },
    );
    if (!list.ok) continue;
    if (direct) {
      await ctx.reply(list.text, { key: `missing:${klass.classId}` });
    } else {
      for (const account of accounts) {
        await ctx.send({
          target: { platform: account.platform as Platform, tenant: account.tenant, userId: account.userId },
          body: { type: 'text', text: list.text },
          urgency: 'normal',
          idempotencyKey: `receipt:${campaign.id}:missing:${klass.classId}:${ctx.event.platform}:${ctx.event.id}:${account.userId}`,
        });
      }
    }
    sent.push(klass.className);
  }
  return sent;
}
