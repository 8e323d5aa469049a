/**
 * One reminder programme of bot-flows/reminders.ts (一日一醒, 1530, 防溺水, 冬春, digests) as a tick rule.
 *
 * Per school the slot key `<programme>:school:<schoolId>:<date>` marks the school done. Group audiences
 * send one card under that key. Person audiences send one card per recipient under
 * `<programme>:person:<personId>:<date>` and record the school key last, so a later tick skips the school
 * with one key lookup, and a tick that died half-way finishes the school without repeating anybody.
 * Class teachers without a platform account get one card in the staff group naming them; other people
 * without an account are skipped and counted.
 */
import type { SchoolCalendar } from '../../domain/calendar/school-calendar.js';
import { renderReminderCard } from '../../domain/schedule/card-template.js';
import { type Audience, GROUP_AUDIENCES, type ReminderProgramme } from '../../domain/schedule/programme.js';
import { type DueSlot, dueSlots, occurrenceKey, personSlotKey } from '../../domain/schedule/slots.js';
import { pickTopic } from '../../domain/schedule/topics.js';
import type { Card } from '../../model/card.js';
import type { ChatTarget, SchoolRef } from '../../db/repos/schedule.js';
import { type OwnerRow, rectifyingOwners } from '../../db/repos/schedule-digests.js';
import type { Role } from '../../db/schema.js';
import { toAccounts, toChats } from '../address.js';
import { enqueueAll } from '../batch.js';
import { monthDay, weekdayName } from '../format.js';
import { groupChats, peopleById, peopleWithRoles, type Recipient } from '../recipients.js';
import { emptyResult, type Occurrence, type TickContext, type TickRule, type TickRuleResult } from '../rule.js';

export interface DueItem {
  school: SchoolRef;
  slot: DueSlot;
  calendar: SchoolCalendar;
}

/** What a digest has to say for one school: a summary for a group, or one text per person. */
export interface SchoolContent {
  summary?: string;
  people?: { personId: string; name: string; summary: string }[];
}

/** Fills the {summary} of a programme's cards (digests); absent for plain reminders. */
export interface ContentSource {
  forSchools(ctx: TickContext, due: DueItem[]): Promise<Map<string, SchoolContent>>;
}

const ROLE_AUDIENCES: Partial<Record<Audience, Role>> = {
  class_teachers: 'class_teacher',
  safety_officers: 'safety_officer',
  principals: 'principal',
};

interface Audiences {
  chats: Map<string, ChatTarget[]>;
  staffChats: Map<string, ChatTarget[]>;
  people: Map<string, Recipient[]>;
}

function collectDue(ctx: TickContext, programme: ReminderProgramme, schools: SchoolRef[], result: TickRuleResult) {
  const due: DueItem[] = [];
  for (const school of schools) {
    try {
      const calendar = ctx.calendarFor(school);
      for (const slot of dueSlots(programme, school, calendar, ctx.now)) due.push({ school, slot, calendar });
    } catch (error) {
      result.errors += 1;
      ctx.services.log.error({ err: error, programme: programme.id, school: school.code }, 'reminder slot failed');
    }
  }
  return due;
}

async function resolveAudiences(
  ctx: TickContext,
  programme: ReminderProgramme,
  schoolIds: string[],
  contents: Map<string, SchoolContent>,
): Promise<Audiences> {
  const audience = programme.audience;
  const kind = audience === 'leaders_group' ? 'leaders' : 'staff';
  const isGroup = GROUP_AUDIENCES.includes(audience);
  const staffChats = await groupChats(ctx.db, schoolIds, 'staff');
  const chats = isGroup && kind === 'leaders' ? await groupChats(ctx.db, schoolIds, kind) : staffChats;
  const role = ROLE_AUDIENCES[audience];
  let people = new Map<string, Recipient[]>();
  if (role) people = await peopleWithRoles(ctx.db, schoolIds, [role]);
  if (audience === 'owners') people = await contentPeople(ctx, contents, schoolIds);
  return { chats, staffChats, people };
}

/** Owners: whoever the digest names, or else everyone owning a hazard in rectification. */
async function contentPeople(ctx: TickContext, contents: Map<string, SchoolContent>, schoolIds: string[]) {
  const named = new Map<string, { personId: string; name: string }[]>();
  for (const [schoolId, content] of contents) named.set(schoolId, content.people ?? []);
  if (contents.size === 0) for (const owner of await rectifyingOwners(ctx.db, schoolIds)) push(named, owner);
  const names = new Map<string, string>();
  for (const list of named.values()) for (const person of list) names.set(person.personId, person.name);
  const byId = await peopleById(ctx.db, names);
  return new Map([...named].map(([schoolId, list]) => [schoolId, list.map((person) => byId.get(person.personId)!)]));
}

function push(map: Map<string, { personId: string; name: string }[]>, owner: OwnerRow): void {
  const list = map.get(owner.schoolId) ?? [];
  list.push(owner);
  map.set(owner.schoolId, list);
}

function renderCard(ctx: TickContext, programme: ReminderProgramme, item: DueItem, summary: string | undefined): Card {
  const { slot, school, calendar } = item;
  const set = programme.topics === undefined ? undefined : ctx.reminders.topicSets[programme.topics];
  const topic = set ? pickTopic(set, slot.slot, slot.occasion, calendar) : undefined;
  const template = ctx.reminders.cards[programme.card]!;
  return renderReminderCard(template, {
    slotKey: slot.key,
    programmeId: programme.id,
    occasion: slot.occasion,
    ...(topic ? { topicId: topic.id } : {}),
    variables: {
      title: programme.title,
      date: monthDay(slot.slot),
      weekday: weekdayName(slot.slot),
      school: school.name,
      topic: topic?.title ?? '',
      points: topic ? topic.points.map((point) => `· ${point}`).join('\n') : '',
      minutes: slot.lessonMinutes === undefined ? '' : String(slot.lessonMinutes),
      summary: summary ?? '',
    },
  });
}

function withFooter(card: Card, footer: string): Card {
  return { ...card, footer: card.footer ? `${card.footer}\n${footer}` : footer };
}

/** The school's group card under its slot key; no messages (a marker) when there is nothing to send. */
function groupOccurrence(
  ctx: TickContext,
  programme: ReminderProgramme,
  item: DueItem,
  chats: ChatTarget[],
  content: SchoolContent | undefined,
  result: TickRuleResult,
): Occurrence {
  const summary = content?.summary;
  const empty = programme.onlyWhenContent && !summary;
  if (chats.length === 0 && !empty) {
    result.noAccount += 1;
    ctx.services.log.warn({ programme: programme.id, school: item.school.code }, 'no bound group chat for reminder');
  }
  const notBefore = ctx.notBefore(programme.urgency, item.school.timezone);
  const messages = empty
    ? []
    : toChats(item.slot.key, chats, {
        body: { type: 'card', card: renderCard(ctx, programme, item, summary) },
        urgency: programme.urgency,
        ...(notBefore ? { notBefore } : {}),
      });
  return { key: item.slot.key, rule: programme.id, messages };
}

/** One card per reachable recipient, the staff-group card for class teachers without an account. */
function personOccurrences(
  ctx: TickContext,
  programme: ReminderProgramme,
  item: DueItem,
  audiences: Audiences,
  content: SchoolContent | undefined,
  result: TickRuleResult,
): Occurrence[] {
  const { school, slot } = item;
  const notBefore = ctx.notBefore(programme.urgency, school.timezone);
  const hold = notBefore ? { notBefore } : {};
  const texts = new Map((content?.people ?? []).map((person) => [person.personId, person.summary]));
  const recipients = audiences.people.get(school.id) ?? [];
  const shared = content?.people ? undefined : renderCard(ctx, programme, item, content?.summary);
  const occurrences: Occurrence[] = [];
  const unreachable: Recipient[] = [];
  for (const recipient of recipients) {
    if (recipient.accounts.length === 0) {
      unreachable.push(recipient);
      continue;
    }
    let card = shared ?? renderCard(ctx, programme, item, texts.get(recipient.personId));
    if (recipient.classNames.length > 0) card = withFooter(card, `班级：${recipient.classNames.join('、')}`);
    const key = personSlotKey(slot, recipient.personId);
    const messages = toAccounts(key, recipient.accounts, {
      body: { type: 'card', card },
      urgency: programme.urgency,
      ...hold,
    });
    occurrences.push({ key, rule: programme.id, messages });
  }
  const staff = audiences.staffChats.get(school.id) ?? [];
  if (unreachable.length > 0 && programme.audience === 'class_teachers' && staff.length > 0 && shared) {
    const key = occurrenceKey(programme.id, `staff:${school.id}`, slot.slot);
    const card = withFooter(shared, `请以下班主任查收：${unreachable.map((person) => person.name).join('、')}`);
    occurrences.push({
      key,
      rule: programme.id,
      messages: toChats(key, staff, { body: { type: 'card', card }, urgency: programme.urgency, ...hold }),
    });
  } else {
    result.noAccount += unreachable.length;
  }
  return occurrences;
}

/**
 * The rule for one programme; `content` fills digests. Occurrences of every due school are written
 * together in batches (enqueueAll), the schools' slot keys last, once their recipients' keys are in.
 */
export function programmeRule(programme: ReminderProgramme, content?: ContentSource): TickRule {
  const isGroup = GROUP_AUDIENCES.includes(programme.audience);
  return {
    name: programme.id,
    async run(ctx) {
      const result = emptyResult();
      const due = collectDue(ctx, programme, await ctx.schools(), result);
      if (due.length === 0) return result;
      const fired = await ctx.firedKeys(due.map((item) => item.slot.key));
      const open = due.filter((item) => !fired.has(item.slot.key));
      result.alreadyFired += due.length - open.length;
      if (open.length === 0) return result;
      const contents = content ? await content.forSchools(ctx, open) : new Map<string, SchoolContent>();
      const schoolIds = open.map((item) => item.school.id);
      const audiences = await resolveAudiences(ctx, programme, schoolIds, contents);
      const occurrences: Occurrence[] = [];
      const markers: Occurrence[] = [];
      for (const item of open) {
        try {
          const schoolContent = contents.get(item.school.id);
          if (isGroup) {
            const chats = audiences.chats.get(item.school.id) ?? [];
            occurrences.push(groupOccurrence(ctx, programme, item, chats, schoolContent, result));
          } else {
            occurrences.push(...personOccurrences(ctx, programme, item, audiences, schoolContent, result));
            markers.push({ key: item.slot.key, rule: programme.id, messages: [] });
          }
        } catch (error) {
          result.errors += 1;
          ctx.services.log.error(
            { err: error, programme: programme.id, school: item.school.code, slot: item.slot.key },
            'reminder failed for school',
          );
        }
      }
      await enqueueAll(ctx, occurrences, result);
      await enqueueAll(ctx, markers, result);
      return result;
    },
  };
}
