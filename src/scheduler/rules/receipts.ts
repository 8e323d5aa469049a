import { type LetterTemplate, findLetter, letters as defaultLetters } from '../../../bot-flows/letters/index.js';
import { accountsOf } from '../../db/repos/identity.js';
import { type CampaignRecord, openCampaigns, parentChatsOf } from '../../db/repos/receipts.js';
import {
  campaignClassCounts,
  classStudents,
  classTeachersOf,
  confirmedStudentIds,
  pendingGuardianAccounts,
  pendingStudents,
} from '../../db/repos/receipts-progress.js';
import { addDays, daysBetween } from '../../domain/calendar/civil-date.js';
import { localDate, localMinutes, parseClockTime } from '../../domain/calendar/zoned.js';
import { buildMissingList } from '../../domain/receipts/missing-list.js';
import { groupProgressText } from '../../domain/receipts/stats.js';
import { isQuietTime } from '../../domain/schedule/quiet-hours.js';
import { receiptValue } from '../../flows/receipts/cards.js';
import { formatDeadline } from '../../flows/receipts/format.js';
import { receiptPageUrl } from '../../flows/receipts/links.js';
import type { Card } from '../../model/card.js';
import type { OutboundMessage } from '../../model/outbound.js';
import type { Platform } from '../../model/platform.js';
import { emptyResult, type Occurrence, type TickContext, type TickRule, type TickRuleResult } from '../rule.js';

/**
 * Receipt reminders, per open campaign, at the times of its letter's reminder plan (school time):
 * - a private card to each bound guardian of a student still missing, where the platform lets the bot
 *   message parents directly — at most one a day (`receipt:remind:<campaign>:<guardian>:<date>`);
 * - a count-only line in the class parents' group (never names), when some missing family cannot be
 *   reached privately (plan `when: no_direct`) or always;
 * - the missing names, privately to the class teacher, N days before the deadline.
 * Nothing is sent in quiet hours (a reminder due then waits for the next day's slot) or after the deadline.
 */

export const RECEIPT_RULE = 'receipts';

/**
 * Platforms where a bot may message a parent it has met in a group: the sandbox and Feishu (same-tenant
 * users). DingTalk and WeCom parents are usually outside the organisation and WeChat (Wechaty) only
 * reaches friends, so their classes get the group count instead.
 */
const DIRECT_TO_PARENTS = new Set<string>(['sandbox', 'feishu']);

export function allowsDirectToParents(platform: string): boolean {
  return DIRECT_TO_PARENTS.has(platform);
}

interface CampaignClock {
  today: string;
  minutes: number;
  deadlineLabel: string;
}

const due = (clock: CampaignClock, at: string) => clock.minutes >= parseClockTime(at);

export function receiptsRule(letters: readonly LetterTemplate[] = defaultLetters): TickRule {
  return {
    name: RECEIPT_RULE,
    async run(ctx) {
      const result = emptyResult();
      for (const campaign of await openCampaigns(ctx.db, ctx.now)) {
        const letter = findLetter(campaign.letter, letters);
        if (!letter || isQuietTime(ctx.now, ctx.quietHours, campaign.timezone)) continue;
        const clock: CampaignClock = {
          today: localDate(ctx.now, campaign.timezone),
          minutes: localMinutes(ctx.now, campaign.timezone),
          deadlineLabel: formatDeadline(campaign.deadline, campaign.timezone, ctx.now),
        };
        try {
          await remindGuardians(ctx, campaign, letter, clock, result);
          await remindGroups(ctx, campaign, letter, clock, result);
          await remindTeachers(ctx, campaign, letter, clock, result);
        } catch (error) {
          result.errors += 1;
          ctx.services.log.error({ err: error, campaignId: campaign.id }, 'receipt reminders failed');
        }
      }
      return result;
    },
  };
}

async function enqueueFresh(ctx: TickContext, occurrences: Occurrence[], result: TickRuleResult): Promise<void> {
  const fired = await ctx.firedKeys(occurrences.map((o) => o.key));
  const fresh = occurrences.filter((o) => !fired.has(o.key));
  const enqueued = fresh.length > 0 ? await ctx.enqueueMany(fresh) : 0;
  result.enqueued += enqueued;
  result.alreadyFired += occurrences.length - enqueued;
}

function reminderCard(
  ctx: TickContext,
  campaign: CampaignRecord,
  letter: LetterTemplate,
  clock: CampaignClock,
  classes: Map<string, { className: string; names: string[] }>,
): Card {
  const several = classes.size > 1;
  const lines = [...classes.values()].map(
    (klass) => `${several ? `${klass.className} ` : ''}${klass.names.join('、')}`,
  );
  const [firstClassId] = [...classes.keys()];
  return {
    title: '家长回执提醒',
    tone: 'warning',
    blocks: [
      {
        type: 'markdown',
        text: `您还没有确认《${letter.title}》：${lines.join('；')}。请在 **${clock.deadlineLabel}** 前阅读全文并确认。`,
      },
    ],
    buttons: [
      ...[...classes].map(([classId, klass]) => ({
        id: `receipt-confirm-${classId}`,
        label: several ? `${letter.confirmLabel}（${klass.className}）` : letter.confirmLabel,
        style: 'primary' as const,
        value: receiptValue('confirm', campaign.id, classId),
      })),
      {
        id: 'receipt-read',
        label: '查看全文',
        style: 'default',
        url: receiptPageUrl(ctx.services.links, campaign.id, firstClassId!, campaign.deadline),
      },
    ],
    footer: '每个孩子只需一位家长确认；已确认的家长请忽略本提醒。',
  };
}

async function remindGuardians(
  ctx: TickContext,
  campaign: CampaignRecord,
  letter: LetterTemplate,
  clock: CampaignClock,
  result: TickRuleResult,
): Promise<void> {
  const plan = letter.reminderPlan.guardianPrivate;
  const startsAt = campaign.createdAt.getTime() + plan.startAfterHours * 3_600_000;
  if (!plan.enabled || !due(clock, plan.at) || ctx.now.getTime() < startsAt) return;
  // One pass a day: whoever binds later that evening has just confirmed, so a second pass finds nobody new.
  const passKey = `receipt:remind-pass:${campaign.id}:${clock.today}`;
  if ((await ctx.firedKeys([passKey])).has(passKey)) return;

  const accounts = (await pendingGuardianAccounts(ctx.db, campaign.id)).filter((a) =>
    allowsDirectToParents(a.platform),
  );
  const students = new Map((await pendingStudents(ctx.db, campaign.id)).map((s) => [s.studentId, s]));
  const byGuardian = new Map<string, { accounts: Map<string, (typeof accounts)[number]>; studentIds: Set<string> }>();
  for (const account of accounts) {
    const entry = byGuardian.get(account.guardianId) ?? { accounts: new Map(), studentIds: new Set() };
    entry.accounts.set(`${account.platform}|${account.tenant}|${account.userId}`, account);
    entry.studentIds.add(account.studentId);
    byGuardian.set(account.guardianId, entry);
  }
  const occurrences: Occurrence[] = [];
  for (const [guardianId, entry] of byGuardian) {
    const classes = new Map<string, { className: string; names: string[] }>();
    for (const studentId of entry.studentIds) {
      const student = students.get(studentId);
      if (!student) continue;
      const klass = classes.get(student.classId) ?? { className: student.className, names: [] };
      klass.names.push(student.studentName);
      classes.set(student.classId, klass);
    }
    if (classes.size === 0) continue;
    const key = `receipt:remind:${campaign.id}:${guardianId}:${clock.today}`;
    const card = reminderCard(ctx, campaign, letter, clock, classes);
    const messages: OutboundMessage[] = [...entry.accounts.values()].map((account) => ({
      target: { platform: account.platform as Platform, tenant: account.tenant, userId: account.userId },
      body: { type: 'card', card },
      urgency: 'normal',
      idempotencyKey: `${key}:${account.platform}:${account.tenant}:${account.userId}`,
    }));
    occurrences.push({ key, rule: RECEIPT_RULE, messages });
  }
  await enqueueFresh(ctx, occurrences, result);
  await ctx.enqueueMany([{ key: passKey, rule: RECEIPT_RULE, messages: [] }]);
}

async function remindGroups(
  ctx: TickContext,
  campaign: CampaignRecord,
  letter: LetterTemplate,
  clock: CampaignClock,
  result: TickRuleResult,
): Promise<void> {
  const plan = letter.reminderPlan.groupCount;
  const day = daysBetween(localDate(campaign.createdAt, campaign.timezone), clock.today);
  if (!plan.enabled || !due(clock, plan.at) || day < 1 || day % plan.everyDays !== 0) return;
  const counts = await campaignClassCounts(ctx.db, [campaign.id]);
  const keyOf = (classId: string) => `receipt:group:${campaign.id}:${classId}:${clock.today}`;
  const fired = await ctx.firedKeys(counts.map((row) => keyOf(row.classId)));
  const open = counts.filter((row) => !fired.has(keyOf(row.classId)) && row.confirmedCount < row.studentCount);
  result.alreadyFired += counts.length - counts.filter((row) => !fired.has(keyOf(row.classId))).length;
  if (open.length === 0) return;

  let reachable = new Set<string>();
  if (plan.when === 'no_direct') {
    const accounts = await pendingGuardianAccounts(ctx.db, campaign.id);
    reachable = new Set(accounts.filter((a) => allowsDirectToParents(a.platform)).map((a) => a.studentId));
  }
  const pending = plan.when === 'no_direct' ? await pendingStudents(ctx.db, campaign.id) : [];
  const chats = await parentChatsOf(
    ctx.db,
    open.map((row) => row.classId),
  );
  const occurrences: Occurrence[] = [];
  for (const row of open) {
    const unreachable = pending.some((s) => s.classId === row.classId && !reachable.has(s.studentId));
    if (plan.when === 'no_direct' && !unreachable) continue;
    const key = keyOf(row.classId);
    const text = groupProgressText({
      letterTitle: letter.title,
      confirmedCount: row.confirmedCount,
      studentCount: row.studentCount,
      deadlineText: clock.deadlineLabel,
    });
    const messages: OutboundMessage[] = chats
      .filter((chat) => chat.classId === row.classId)
      .map((chat) => ({
        target: { platform: chat.platform as Platform, tenant: chat.tenant, chatId: chat.chatId },
        body: { type: 'text', text },
        urgency: 'normal',
        idempotencyKey: `${key}:${chat.platform}:${chat.tenant}:${chat.chatId}`,
      }));
    if (messages.length > 0) occurrences.push({ key, rule: RECEIPT_RULE, messages });
  }
  await enqueueFresh(ctx, occurrences, result);
}

async function remindTeachers(
  ctx: TickContext,
  campaign: CampaignRecord,
  letter: LetterTemplate,
  clock: CampaignClock,
  result: TickRuleResult,
): Promise<void> {
  const plan = letter.reminderPlan.teacherMissingList;
  const deadlineDay = localDate(campaign.deadline, campaign.timezone);
  if (!plan.enabled || !due(clock, plan.at) || clock.today !== addDays(deadlineDay, -plan.daysBeforeDeadline)) return;
  const counts = await campaignClassCounts(ctx.db, [campaign.id]);
  const keyOf = (classId: string) => `receipt:missing:${campaign.id}:${classId}:${clock.today}`;
  const fired = await ctx.firedKeys(counts.map((row) => keyOf(row.classId)));
  const occurrences: Occurrence[] = [];
  for (const row of counts) {
    const key = keyOf(row.classId);
    if (fired.has(key)) {
      result.alreadyFired += 1;
      continue;
    }
    if (row.confirmedCount >= row.studentCount) continue;
    const list = buildMissingList(
      {
        letterTitle: letter.title,
        className: row.className,
        students: await classStudents(ctx.db, row.classId),
        confirmedStudentIds: await confirmedStudentIds(ctx.db, campaign.id, row.classId),
        deadlineText: clock.deadlineLabel,
      },
      { channel: 'direct', isClassTeacher: true },
    );
    if (!list.ok) continue;
    const messages: OutboundMessage[] = [];
    for (const personId of await classTeachersOf(ctx.db, row.classId)) {
      for (const account of await accountsOf(ctx.db, personId)) {
        messages.push({
          target: { platform: account.platform as Platform, tenant: account.tenant, userId: account.userId },
          body: { type: 'text', text: list.text },
          urgency: 'normal',
          idempotencyKey: `${key}:${account.platform}:${account.tenant}:${account.userId}`,
        });
      }
    }
    if (messages.length === 0) result.noAccount += 1;
    else occurrences.push({ key, rule: RECEIPT_RULE, messages });
  }
  await enqueueFresh(ctx, occurrences, result);
}
