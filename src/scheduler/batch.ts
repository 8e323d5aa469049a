/**
 * Enqueues a rule's occurrences in as few transactions as possible, yet one bad occurrence (a message
 * the outbox refuses) costs only itself: when a batch fails it is retried one occurrence at a time.
 */
import type { Log } from '../platforms/types.js';
import type { Occurrence, TickContext, TickRuleResult } from './rule.js';

interface Outcome {
  fresh: number;
  failed: number;
}

async function oneByOne(ctx: TickContext, batch: Occurrence[], log: Log): Promise<Outcome> {
  const outcome = { fresh: 0, failed: 0 };
  for (const occurrence of batch) {
    try {
      if (await ctx.enqueueOnce(occurrence.key, occurrence.rule, occurrence.messages)) outcome.fresh += 1;
    } catch (error) {
      outcome.failed += 1;
      log.error({ err: error, key: occurrence.key }, 'occurrence could not be enqueued');
    }
  }
  return outcome;
}

async function enqueue(ctx: TickContext, batch: Occurrence[]): Promise<Outcome> {
  if (batch.length === 0) return { fresh: 0, failed: 0 };
  try {
    return { fresh: await ctx.enqueueMany(batch), failed: 0 };
  } catch (error) {
    ctx.services.log.warn({ err: error, count: batch.length }, 'batch enqueue failed; retrying one by one');
    return oneByOne(ctx, batch, ctx.services.log);
  }
}

/**
 * Counts occurrences that carry messages as enqueued (or already fired); message-less ones are markers
 * (a school done, a recipient nobody can reach) and only recorded.
 */
export async function enqueueAll(ctx: TickContext, occurrences: Occurrence[], result: TickRuleResult): Promise<void> {
  const sending = occurrences.filter((occurrence) => occurrence.messages.length > 0);
  const markers = occurrences.filter((occurrence) => occurrence.messages.length === 0);
  const sent = await enqueue(ctx, sending);
  const marked = await enqueue(ctx, markers);
  result.enqueued += sent.fresh;
  result.alreadyFired += sending.length - sent.fresh - sent.failed;
  result.errors += sent.failed + marked.failed;
}
