/**
 * Digest content: the daily personal digest (my open items, only for people who have some) and the
 * weekly school digest to the leaders group. The monthly summary lives in monthly-digest.ts.
 */
import { addDays, daysBetween } from '../../domain/calendar/civil-date.js';
import { localDate, zonedTimeToUtc } from '../../domain/calendar/zoned.js';
import { formatLocalDateTime } from '../../domain/dates/deadline.js';
import { type OpenItem, openItems, weekNumbers } from '../../db/repos/schedule-digests.js';
import { personNames } from '../../db/repos/schedule.js';
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
    item.deadline < now
      ? `已逾期 ${Math.max(late, 1)} 天`
      : `${formatLocalDateTime(item.deadline, timezone, now)} 到期`;
  return `· ${major}${item.code} ${what}（${when}）`;
}

function section(title: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, MAX_LINES);
  const more = lines.length > MAX_LINES ? [`…另有 ${lines.length - MAX_LINES} 项`] : [];
  return [`**${title}（${lines.length}）**`, ...shown, ...more];
}

/** 我的待办: items to fix (owner), to verify (谁发现、谁销号: the reporter), to assign (safety officers). */
export const personalDigest: ContentSource = {
  async forSchools(ctx: TickContext, due: DueItem[]) {
    const schoolIds = due.map((item) => item.school.id);
    const items = await openItems(ctx.db, schoolIds);
    const officers = await peopleWithRoles(ctx.db, schoolIds, ['safety_officer']);
    const contents = new Map<string, SchoolContent>();
    const everyone = new Set<string>();
    const perSchool = new Map<string, Map<string, { fix: string[]; verify: string[]; assign: string[] }>>();
    for (const { school } of due) {
      const lists = new Map<string, { fix: string[]; verify: string[]; assign: string[] }>();
      const listOf = (personId: string) => {
        let entry = lists.get(personId);
        if (!entry) {
          entry = { fix: [], verify: [], assign: [] };
          lists.set(personId, entry);
          everyone.add(personId);
        }
        return entry;
      };
      for (const item of items) {
        if (item.schoolId !== school.id) continue;
        const line = itemLine(item, school.timezone, ctx.now);
        if (item.status === 'rectifying' && item.ownerId) listOf(item.ownerId).fix.push(line);
        if (item.status === 'verifying') listOf(item.reporterId).verify.push(line);
        if (item.status === 'reported') {
          for (const officer of officers.get(school.id) ?? []) listOf(officer.personId).assign.push(line);
        }
      }
      perSchool.set(school.id, lists);
    }
    const names = await personNames(ctx.db, [...everyone]);
    for (const [schoolId, lists] of perSchool) {
      const people = [...lists].map(([personId, list]) => ({
        personId,
        name: names.get(personId) ?? '',
        summary: [
          ...section('待整改', list.fix),
          ...section('待复查销号', list.verify),
          ...section('待指派', list.assign),
        ].join('\n'),
      }));
      contents.set(schoolId, { people });
    }
    return contents;
  },
};

function dayLabel(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

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
        `上周（${dayLabel(fromDay)}—${dayLabel(addDays(slot.slot, -1))}）：新增隐患 ${week.reported} 处，销号 ${week.closed} 处。`,
        `目前未销号 ${week.open} 处，其中逾期 ${week.overdue} 处、重大隐患 ${week.majorOpen} 处。`,
        `一日一醒：确认无异常 ${week.checksOk} 人次，上报隐患 ${week.checksReported} 人次，共 ${week.checkPeople} 人参与。`,
        `1530 安全教育：班主任标记“已讲” ${week.talks} 次。`,
      ].join('\n');
      contents.set(school.id, { summary });
    }
    return contents;
  },
};
