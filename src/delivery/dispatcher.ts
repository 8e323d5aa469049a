import { sql } from 'drizzle-orm';
import { blockBuckets, takeTokens } from '../db/repos/rate-buckets.js';
import { iso, rowsOf } from '../db/rows.js';
import type { Db } from '../db/types.js';
import type { MessageBody } from '../model/card.js';
import type { Platform } from '../model/platform.js';
import type { Log } from '../platforms/types.js';
import { type BackoffPolicy, backoffDelay, defaultBackoff } from './backoff.js';
import type { OutboundDelivery, PlatformSender, RateBucket, SendResult } from './sender.js';

export interface DispatcherOptions {
  db: Db;
  senders: PlatformSender[];
  log: Log;
  now?: () => Date;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** A claimed row not finished within this is claimable again (the dispatcher died mid-send). */
  leaseMs?: number;
  onResult?: (platform: string, outcome: 'sent' | 'retry' | 'rate_limited' | 'dead') => void;
}

interface ClaimedRow {
  id: string;
  platform: string;
  tenant: string;
  chat_id: string | null;
  user_id: string | null;
  body: MessageBody;
  urgency: 'normal' | 'urgent';
  idempotency_key: string;
  reply_to: string | null;
  reply_channel: { url: string; expiresAt: string } | null;
  attempts: number;
}

export interface Dispatcher {
  /** One round: claim due rows, send what the buckets allow, record results. Returns rows finished. */
  runOnce(): Promise<number>;
  /** Rounds until nothing is due now (sandbox tick, tests, CLI). */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  start(intervalMs?: number): { stop(): Promise<void> };
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, log } = options;
  const senders = new Map<string, PlatformSender>(options.senders.map((sender) => [sender.platform, sender]));
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? defaultBackoff;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 120_000;
  const elsewhereRetryMs = 5_000;

  /**
   * Only rows this process can send: a Wechaty or AI-bot row belongs to the process holding that connection,
   * and must wait for it rather than be dead-lettered here.
   */
  const platformList = sql.join(
    [...senders.keys()].map((platform) => sql`${platform}`),
    sql`, `,
  );

  async function claim(at: Date): Promise<ClaimedRow[]> {
    if (senders.size === 0) return [];
    const result = await db.execute(sql`
      update outbox set status = 'sending', lease_until = ${iso(new Date(at.getTime() + leaseMs))}::timestamptz
      where id in (
        select id from outbox
        where platform in (${platformList})
          and ((status = 'pending' and next_attempt_at <= ${iso(at)}::timestamptz)
            or (status = 'sending' and lease_until < ${iso(at)}::timestamptz))
        order by next_attempt_at, id
        limit ${batchSize}
        for update skip locked)
      returning id::text as id, platform, tenant, chat_id, user_id, body, urgency, idempotency_key,
                reply_to, reply_channel, attempts`);
    return rowsOf<ClaimedRow>(result);
  }

  async function finish(
    row: ClaimedRow,
    result: SendResult,
    at: Date,
  ): Promise<'sent' | 'retry' | 'rate_limited' | 'dead'> {
    if (result.ok) {
      await db.execute(sql`
        update outbox set status = 'sent', sent_at = ${iso(at)}::timestamptz, attempts = attempts + 1, lease_until = null,
               platform_message_id = ${result.platformMessageId ?? null}, last_error = null
        where id = ${row.id}::bigint`);
      return 'sent';
    }
    if (result.kind === 'rate_limited') {
      const wait = result.retryAfterMs ?? backoffDelay(1, backoff, random);
      await release(row, new Date(at.getTime() + wait), `rate limited: ${result.error}`);
      return 'rate_limited';
    }
    const attempts = row.attempts + 1;
    if (result.kind === 'permanent' || attempts >= backoff.maxAttempts) {
      await db.execute(sql`
        update outbox set status = 'dead', attempts = ${attempts}, lease_until = null, last_error = ${result.error}
        where id = ${row.id}::bigint`);
      log.warn({ outboxId: row.id, platform: row.platform, error: result.error }, 'outbox message dead-lettered');
      return 'dead';
    }
    const next = new Date(at.getTime() + backoffDelay(attempts, backoff, random));
    await db.execute(sql`
      update outbox set status = 'pending', attempts = ${attempts}, next_attempt_at = ${iso(next)}::timestamptz, lease_until = null,
             last_error = ${result.error}
      where id = ${row.id}::bigint`);
    return 'retry';
  }

  /** Back to pending without counting an attempt (throttled locally or by the platform). */
  async function release(row: ClaimedRow, until: Date, reason: string | null): Promise<void> {
    await db.execute(sql`
      update outbox set status = 'pending', next_attempt_at = ${iso(until)}::timestamptz, lease_until = null,
             last_error = coalesce(${reason}, last_error)
      where id = ${row.id}::bigint`);
  }

  function delivery(row: ClaimedRow): OutboundDelivery {
    return {
      outboxId: row.id,
      target: {
        platform: row.platform as Platform,
        tenant: row.tenant,
        ...(row.chat_id ? { chatId: row.chat_id } : {}),
        ...(row.user_id ? { userId: row.user_id } : {}),
      },
      body: row.body,
      urgency: row.urgency,
      idempotencyKey: row.idempotency_key,
      ...(row.reply_to ? { replyTo: row.reply_to } : {}),
      ...(row.reply_channel ? { replyChannel: row.reply_channel } : {}),
      attempt: row.attempts + 1,
    };
  }

  async function process(row: ClaimedRow): Promise<boolean> {
    // claim() only returns rows of platforms this process has a sender for.
    const sender = senders.get(row.platform)!;
    const at = now();
    const message = delivery(row);
    if (sender.canSend && !sender.canSend(message.target)) {
      await release(row, new Date(at.getTime() + elsewhereRetryMs), 'waiting for the instance holding the connection');
      return false;
    }
    const targetBuckets = sender.bucketsFor(message.target);
    const wait = await takeTokens(db, targetBuckets, at);
    if (wait > 0) {
      await release(row, new Date(at.getTime() + wait), null);
      return false;
    }
    let result: SendResult;
    try {
      result = await sender.send(message);
    } catch (error) {
      result = { ok: false, kind: 'transient', error: error instanceof Error ? error.message : String(error) };
    }
    const finishedAt = now();
    if (!result.ok && result.kind === 'rate_limited') {
      const held = heldBuckets(targetBuckets, result.limitScope);
      const until = finishedAt.getTime() + (result.retryAfterMs ?? backoffDelay(1, backoff, random));
      if (held.length > 0) await blockBuckets(db, held, new Date(until), finishedAt);
    }
    const outcome = await finish(row, result, finishedAt);
    options.onResult?.(row.platform, outcome);
    return outcome === 'sent' || outcome === 'dead';
  }

  async function runOnce(): Promise<number> {
    const rows = await claim(now());
    let finished = 0;
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        if (await process(row)) finished += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    return finished;
  }

  async function dueCount(at: Date): Promise<number> {
    if (senders.size === 0) return 0;
    const result = await db.execute(sql`
      select count(*)::int as count from outbox
      where platform in (${platformList})
        and ((status = 'pending' and next_attempt_at <= ${iso(at)}::timestamptz)
          or (status = 'sending' and lease_until < ${iso(at)}::timestamptz))`);
    return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0);
  }

  return {
    runOnce,
    async drain({ timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        await runOnce();
        if ((await dueCount(now())) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    start(intervalMs = 250) {
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let running: Promise<unknown> = Promise.resolve();
      const loop = () => {
        if (stopped) return;
        running = runOnce()
          .catch((error) => log.error({ err: error }, 'dispatcher round failed'))
          .then((count) => {
            if (!stopped) timer = setTimeout(loop, count ? 0 : intervalMs);
          });
      };
      loop();
      return {
        async stop() {
          stopped = true;
          if (timer) clearTimeout(timer);
          await running;
        },
      };
    },
  };
}

/** The buckets a platform's rate-limit answer holds (SendResult.limitScope). */
function heldBuckets(
  buckets: readonly RateBucket[],
  scope: 'conversation' | 'recipient' | undefined,
): readonly RateBucket[] {
  if (scope === 'recipient') return [];
  if (scope === 'conversation') return buckets.filter((bucket) => !bucket.shared);
  return buckets;
}
