import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import {
  classesOfSchool,
  insertCampaign,
  overlappingCampaigns,
  parentChatsOf,
  studentCounts,
} from '../../db/repos/receipts.js';
import type { Db } from '../../db/types.js';
import { enqueue } from '../../delivery/outbox.js';
import { compareClassNames } from '../../domain/roster/class-name.js';
import type { SignedLinks } from '../../http/signed-links.js';
import type { Platform } from '../../model/platform.js';
import { letterCard } from './cards.js';
import { formatDeadline } from './format.js';
import { receiptPageUrl } from './links.js';

/**
 * Starting a campaign, shared by the chat command and `xiaoan campaign create`: the campaign and its
 * classes, and the letter card queued for every target class parents' group — all in the caller's
 * transaction, so a refusal leaves nothing behind.
 */

export interface StartCampaignInput {
  schoolId: string;
  timezone: string;
  letter: LetterTemplate;
  deadline: Date;
  /** Exact class names of the school (already resolved from what was typed). */
  classNames: readonly string[];
  createdBy: string | null;
  now: Date;
  links: SignedLinks;
}

export interface StartedClass {
  classId: string;
  className: string;
  students: number;
  groups: number;
  pageUrl: string;
}

export type StartCampaignResult =
  | {
      ok: true;
      campaignId: string;
      deadlineLabel: string;
      classes: StartedClass[];
      totalStudents: number;
      cardsQueued: number;
    }
  | { ok: false; reason: string };

export async function startCampaign(db: Db, input: StartCampaignInput): Promise<StartCampaignResult> {
  const { letter, now } = input;
  if (input.deadline.getTime() <= now.getTime()) return { ok: false, reason: '截止时间已过，请给一个以后的日期。' };
  if (input.classNames.length === 0) return { ok: false, reason: '请写明要发给哪些班级。' };
  const known = await classesOfSchool(db, input.schoolId);
  const idOf = new Map(known.map((klass) => [klass.name, klass.id]));
  const missing = input.classNames.filter((name) => !idOf.has(name));
  if (missing.length > 0) return { ok: false, reason: `找不到班级：${missing.join('、')}。` };
  const names = [...new Set(input.classNames)].sort(compareClassNames);
  const classIds = names.map((name) => idOf.get(name)!);
  const nameOf = new Map(names.map((name) => [idOf.get(name)!, name]));

  const overlap = await overlappingCampaigns(db, { letter: letter.code, classIds, now });
  if (overlap.length > 0) {
    const busy = [...new Set(overlap.map((row) => nameOf.get(row.classId)!))].sort(compareClassNames);
    const until = formatDeadline(overlap[0]!.deadline, input.timezone, now);
    return {
      ok: false,
      reason: `${busy.join('、')} 已有进行中的《${letter.title}》回执（截止 ${until}），不能重复发起。发送「回执 进度」查看确认情况。`,
    };
  }
  const counts = await studentCounts(db, classIds);
  const totalStudents = classIds.reduce((sum, id) => sum + (counts.get(id) ?? 0), 0);
  if (totalStudents === 0) {
    return {
      ok: false,
      reason: `${names.join('、')} 还没有导入学生名单，请先导入名单（xiaoan import-roster）再发起回执。`,
    };
  }
  const chats = await parentChatsOf(db, classIds);
  if (chats.length === 0) {
    return {
      ok: false,
      reason: `${names.join('、')} 都没有绑定家长群，卡片无处可发，未发起。请先把各班家长群绑定到班级（xiaoan chat bind --kind class_parents）。`,
    };
  }

  const campaignId = await insertCampaign(db, {
    schoolId: input.schoolId,
    letter: letter.code,
    title: letter.title,
    deadline: input.deadline,
    createdBy: input.createdBy,
    createdAt: now,
    classIds,
  });
  const deadlineLabel = formatDeadline(input.deadline, input.timezone, now);
  let cardsQueued = 0;
  const classes: StartedClass[] = [];
  for (const classId of classIds) {
    const className = nameOf.get(classId)!;
    const pageUrl = receiptPageUrl(input.links, campaignId, classId, input.deadline);
    const groups = chats.filter((chat) => chat.classId === classId);
    const card = letterCard({ letter, campaignId, classId, className, deadlineLabel, pageUrl });
    for (const chat of groups) {
      await enqueue(
        db,
        {
          target: { platform: chat.platform as Platform, tenant: chat.tenant, chatId: chat.chatId },
          body: { type: 'card', card },
          urgency: 'normal',
          idempotencyKey: `receipt:${campaignId}:card:${chat.platform}:${chat.tenant}:${chat.chatId}`,
        },
        now,
      );
      cardsQueued += 1;
    }
    classes.push({ classId, className, students: counts.get(classId) ?? 0, groups: groups.length, pageUrl });
  }
  return { ok: true, campaignId, deadlineLabel, classes, totalStudents, cardsQueued };
}

/** The starter's summary: totals, then what still needs a hand (classes without a group or a roster). */
export function startedText(letter: Pick<LetterTemplate, 'title'>, result: Extract<StartCampaignResult, { ok: true }>) {
  const lines = [
    `已发起《${letter.title}》回执，截止 ${result.deadlineLabel}。`,
    `共 ${result.classes.length} 个班、${result.totalStudents} 名学生；卡片已发到 ${result.cardsQueued} 个家长群。`,
  ];
  const noGroup = result.classes.filter((klass) => klass.groups === 0);
  if (noGroup.length > 0) {
    lines.push('以下班级没有绑定家长群，卡片未发送，请把网页链接转发给家长：');
    for (const klass of noGroup) lines.push(`${klass.className}：${klass.pageUrl}`);
  }
  const empty = result.classes.filter((klass) => klass.students === 0);
  if (empty.length > 0)
    lines.push(`以下班级还没有导入学生名单，家长暂时无法确认：${empty.map((k) => k.className).join('、')}`);
  lines.push('发送「回执 进度」查看确认情况。');
  return lines.join('\n');
}
