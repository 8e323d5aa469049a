/**
 * Ad-hoc reminders set with `提醒 …`: each unfired row due by now (adhoc_reminders_due) is sent once
 * under `adhoc:reminder:<id>` and marked fired in the same transaction. Non-urgent, so quiet hours
 * hold one due at night until the morning; one more than 12 hours late is dropped and counted stale.
 */
import { type AdhocRow, dueAdhocReminders, markAdhocFired } from '../../db/repos/schedule-due.js';
import { accountsByPerson, type ChatTarget, personNames, type SchoolRef } from '../../db/repos/schedule.js';
import { ADHOC_STALE_MS, decodeAdhocAudience } from '../../domain/schedule/adhoc.js';
import type { OutboundMessage } from '../../model/outbound.js';
import type { Card } from '../../model/card.js';
import { toAccounts, toChats } from '../address.js';
import { emptyResult, type TickContext, type TickRule, type TickRuleResult } from '../rule.js';

export const ADHOC_RULE = 'adhoc';
/** Rows per tick: a backlog drains over a few minutes rather than in one huge tick. */
const BATCH = 500;

function cardFor(row: AdhocRow, creator: string, school: SchoolRef | undefined): Card {
  return {
    title: '提醒',
    tone: 'info',
    blocks: [{ type: 'markdown', text: row.text }],
    buttons: [],
    footer: `${creator ? `${creator} 设置的提醒` : '提醒'}${school ? ` · ${school.name}` : ''}`,
  };
}

async function messagesFor(
  ctx: TickContext,
  row: AdhocRow,
  card: Card,
  key: string,
  school: SchoolRef | undefined,
  result: TickRuleResult,
): Promise<OutboundMessage[] | null> {
  const audience = decodeAdhocAudience(row.audience);
  if (!audience) return null;
  const notBefore = ctx.notBefore('normal', school?.timezone ?? ctx.services.timezone);
  const delivery = {
    body: { type: 'card' as const, card },
    urgency: 'normal' as const,
    ...(notBefore ? { notBefore } : {}),
  };
  if (audience.kind === 'chat') {
    const chat: ChatTarget = {
      schoolId: row.schoolId,
      platform: audience.platform,
      tenant: audience.tenant,
      chatId: audience.chatId,
    };
    return toChats(key, [chat], delivery);
  }
  const accounts = await accountsByPerson(ctx.db, audience.ids);
  const messages: OutboundMessage[] = [];
  for (const id of audience.ids) {
    const own = accounts.get(id) ?? [];
    if (own.length === 0) result.noAccount += 1;
    messages.push(...toAccounts(`${key}:person:${id}`, own, delivery));
  }
  return messages;
}

export function adhocRule(): TickRule {
  return {
    name: ADHOC_RULE,
    async run(ctx) {
      const result = emptyResult();
      const rows = await dueAdhocReminders(ctx.db, ctx.now, BATCH);
      if (rows.length === 0) return result;
      const schools = new Map((await ctx.schools()).map((school) => [school.id, school]));
      const creators = await personNames(
        ctx.db,
        rows.map((row) => row.createdBy),
      );
      for (const row of rows) {
        const key = `${ADHOC_RULE}:reminder:${row.id}`;
        const markFired = { onFirst: (tx: TickContext['db']) => markAdhocFired(tx, row.id, ctx.now) };
        try {
          if (ctx.now.getTime() - row.dueAt.getTime() > ADHOC_STALE_MS) {
            if (await ctx.enqueueOnce(key, ADHOC_RULE, [], markFired)) result.stale = (result.stale ?? 0) + 1;
            continue;
          }
          const school = schools.get(row.schoolId);
          const card = cardFor(row, creators.get(row.createdBy) ?? '', school);
          const messages = await messagesFor(ctx, row, card, key, school, result);
          if (messages === null) {
            result.errors += 1;
            ctx.services.log.error(
              { reminder: row.id, audience: row.audience },
              'ad-hoc reminder has no valid audience',
            );
            await ctx.enqueueOnce(key, ADHOC_RULE, [], markFired);
            continue;
          }
          if (await ctx.enqueueOnce(key, ADHOC_RULE, messages, markFired)) result.enqueued += 1;
          else result.alreadyFired += 1;
        } catch (error) {
          result.errors += 1;
          ctx.services.log.error({ err: error, reminder: row.id }, 'ad-hoc reminder failed');
        }
      }
      return result;
    },
  };
}
