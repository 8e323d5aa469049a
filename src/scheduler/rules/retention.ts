/**
 * Keeps `occurrences` from growing without end: once a day (one instance, under `retention:day:<date>`)
 * it deletes keys older than 90 days of the rules whose keys carry their date, so they can never be due
 * again: reminder programmes, ad-hoc reminders and the owner's deadline nags. Escalation rungs stay (a
 * rung of a hazard still overdue on the same deadline is due forever and must stay sent), and so do
 * incident nags (an incident left open that long must not be nagged again) and other areas' keys.
 *
 * The same daily pass drops send-rate buckets idle for a day and not held by a platform: every limit
 * refills within a day, so such a bucket is full, exactly as a new one starts; and inbound dedupe keys
 * past INBOUND_KEY_KEEP_MS, which no redelivery or valid action link can claim any more.
 */
import { and, eq, inArray, like, lt, or } from 'drizzle-orm';
import { forgetInboundKeysBefore, INBOUND_KEY_KEEP_MS } from '../../db/repos/inbound-events.js';
import { forgetIdleBuckets } from '../../db/repos/rate-buckets.js';
import { occurrences } from '../../db/schema.js';
import { ADHOC_RULE } from './adhoc.js';
import { HAZARD_DEADLINES_RULE } from './hazard-deadlines.js';
import { emptyResult, type TickRule } from '../rule.js';

export const RETENTION_RULE = 'retention';
const KEEP_MS = 90 * 86_400_000;
const IDLE_BUCKET_MS = 86_400_000;

export function retentionRule(): TickRule {
  return {
    name: RETENTION_RULE,
    async run(ctx) {
      const day = ctx.now.toISOString().slice(0, 10);
      const cutoff = new Date(ctx.now.getTime() - KEEP_MS);
      const dated = [...ctx.programmes.map((programme) => programme.id), ADHOC_RULE];
      await ctx.enqueueOnce(`${RETENTION_RULE}:day:${day}`, RETENTION_RULE, [], {
        onFirst: async (tx) => {
          await tx
            .delete(occurrences)
            .where(
              and(
                lt(occurrences.firedAt, cutoff),
                or(
                  inArray(occurrences.rule, [...dated, RETENTION_RULE]),
                  and(eq(occurrences.rule, HAZARD_DEADLINES_RULE), like(occurrences.key, 'nag:%')),
                ),
              ),
            );
          await forgetIdleBuckets(tx, new Date(ctx.now.getTime() - IDLE_BUCKET_MS), ctx.now);
          await forgetInboundKeysBefore(tx, new Date(ctx.now.getTime() - INBOUND_KEY_KEEP_MS));
        },
      });
      return emptyResult();
    },
  };
}
