/**
 * Digest content: the daily personal digest (my open items, only for people who have some) and the
 * weekly school digest to the leaders group. The monthly summary lives in monthly-digest.ts.
 */
import { addDays, daysBetween } from '../../domain/calendar/civil-date.js';
import { localDate, zonedTimeToUtc } from '../../domain/calendar/zoned.js';
import { type OpenItem, openItems, weekNumbers } from '../../db/repos/schedule-digests.js';
import { personNames } from '../../db/repos/schedule.js';
import { formatLocalTime, monthDay } from '../format.js';
import { peopleWithRoles } from '../recipients.js';
import type { TickContext } from '../rule.js';
import type { ContentSource, DueItem, SchoolContent } from './programme.js';

/** Items listed per section; the rest are counted. */
const MAX_LINES = 8;

function itemLine(item: OpenItem, timezone: string, now: Date): string {
  const place = item.location && !item.description.includes(item.location) ? `${item.location}：` : '';
  const text = [...`${place}${item.description}`];
  const what = text.length > 30 ? `${text.slice(0, 29).join('')}…` : text.join('');
  const major = item.level === 'major' ? '【重大】' : '';
  if (item.status !== 'rectifying' || item.deadline === null) return `· ${major}${item.code} ${what}`;
  const late = daysBetween(localDate(item.deadline, timezone), localDate(now, timezone));
  const when =
    item.deadline < now ? `已逾期 ${Math.max(late, 1)} 天` : `${formatLocalTime(item.deadline, timezone, now)} 到期`;
  return `· ${major}${item.code} ${what}（${when}）`;
}

/** A titled list; only the lines shown are formatted (a digest covers every open item of a district). */
function section(title: string, items: OpenItem[], timezone: string, now: Date): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, MAX_LINES).map((item) => itemLine(item, timezone, now));
  const more = items.length > MAX_LINES ? [`…另有 ${items.length - MAX_LINES} 项`] : [];
  return [`**${title}（${items.length}）**`, ...shown, ...more];
}

interface Lists {
  fix: OpenItem[];
  verify: OpenItem[];
  assign: OpenItem[];
}

/** 我的待办: items to fix (owner), to verify (谁发现、谁销号: the reporter), to assign (safety officers). */
export const personalDigest: ContentSource = {
  async forSchools(ctx: TickContext, due: DueItem[]) {
    const schoolIds = due.map((item) => item.school.id);
    const items = await openItems(ctx.db, schoolIds);
    const officers = await peopleWithRoles(ctx.db, schoolIds, ['safety_officer']);
    const perSchool = new Map<string, Map<string, Lists>>(schoolIds.map((id) => [id, new Map()]));
    const listOf = (schoolId: string, personId: string): Lists => {
      const lists = perSchool.get(schoolId)!;
      let entry = lists.get(personId);
      if (!entry) {
        entry = { fix: [], verify: [], assign: [] };
        lists.set(personId, entry);
      }
      return entry;
    };
    for (const item of items) {
      if (item.status === 'rectifying' && item.ownerId) listOf(item.schoolId, item.ownerId).fix.push(item);
      if (item.status === 'verifying') listOf(item.schoolId, item.reporterId).verify.push(item);
      if (item.status === 'reported') {
        for (const officer of officers.get(item.schoolId) ?? [])
          listOf(item.schoolId, officer.personId).assign.push(item);
      }
    }
    const names = await personNames(
      ctx.db,
      [...perSchool.values()].flatMap((lists) => [...lists.keys()]),
    );
    const contents = new Map<string, SchoolContent>();
    for (const { school } of due) {
      const people = [...perSchool.get(school.id)!].map(([personId, list]) => ({
        personId,
        name: names.get(personId) ?? '',
        summary: [
          ...section('待整改', list.fix, school.timezone, ctx.now),
          ...section('待复查销号', list.verify, school.timezone, ctx.now),
          ...section('待指派', list.assign, school.timezone, ctx.now),
        ].join('\n'),
      }));
      contents.set(school.id, { people });
    }
    return contents;
  },
};

/** 学校安全周报: the seven days before the digest's date. */
export const weeklyDigest: ContentSource = {
  async forSchools(ctx: TickContext, due: DueItem[]) {
    const contents = new Map<string, SchoolContent>();
    for (const { school, slot } of due) {
      const fromDay = addDays(slot.slot, -7);
      const span = {
        start: zonedTimeToUtc(fromDay, 0, school.timezone),
        end: zonedTimeToUtc(slot.slot, 0, school.timezone),
        fromDay,
        toDay: slot.slot,
      };
      const week = await weekNumbers(ctx.db, school.id, span, ctx.now);
      const summary = [
        `上周（${monthDay(fromDay)}—${monthDay(addDays(slot.slot, -1))}）：新增隐患 ${week.reported} 处，销号 ${week.closed} 处。`,
        `目前未销号 ${week.open} 处，其中逾期 ${week.overdue} 处、重大隐患 ${week.majorOpen} 处。`,
        `一日一醒：确认无异常 ${week.checksOk} 人次，上报隐患 ${week.checksReported} 人次，共 ${week.checkPeople} 人参与。`,
        `1530 安全教育：班主任标记“已讲” ${week.talks} 次。`,
      ].join('\n');
      contents.set(school.id, { summary });
    }
    return contents;
  },
};
