/**
 * The outbox under a morning fan-out: 一日一醒 to 300 staff groups through a sender that admits what
 * Feishu publishes (50/s and 1000/min per app, 5/s per group) and answers 429 beyond it, on an injected
 * clock. The dispatcher's token buckets (FEISHU_BUCKETS) must keep every send inside the limits, and a
 * 429 must delay that message, not lose it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.js';
import type { OutboundDelivery, PlatformSender, SendResult } from '../../src/delivery/sender.js';
import { FEISHU_BUCKETS } from '../../src/platforms/feishu/sender.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { sh } from './helpers.js';
import { seedSchools } from './seed.js';

/** A platform enforcing sliding-window limits; it answers 429 like Feishu's gateway (99991400). */
function limitedPlatform(now: () => Date) {
  const sent: { at: number; chat: string; key: string }[] = [];
  let rejected = 0;
  const throttleOnce = new Set<string>();
  /** When each forced 429 was answered, by chat. */
  const throttledAt = new Map<string, number>();
  const within = (ms: number, at: number, chat?: string) =>
    sent.filter((entry) => entry.at > at - ms && (chat === undefined || entry.chat === chat)).length;
  const sender: PlatformSender = {
    platform: 'sandbox',
    bucketsFor: (target) => [
      { key: 'app', ...FEISHU_BUCKETS.app },
      { key: `chat:${target.chatId}`, ...FEISHU_BUCKETS.chat },
    ],
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const at = now().getTime();
      const chat = delivery.target.chatId ?? '';
      const forced = throttleOnce.delete(chat);
      if (forced) throttledAt.set(chat, at);
      if (forced || within(1000, at) >= 50 || within(60_000, at) >= 1000 || within(1000, at, chat) >= 5) {
        if (!forced) rejected += 1;
        return {
          ok: false,
          kind: 'rate_limited',
          error: '99991400 request trigger frequency limit',
          retryAfterMs: 2000,
        };
      }
      sent.push({ at, chat, key: delivery.idempotencyKey });
      return { ok: true, platformMessageId: `m${sent.length}` };
    },
  };
  return { sender, sent, rejected: () => rejected, throttleOnce, throttledAt };
}

describe('a morning fan-out within platform limits', async () => {
  const database = await createTestDb();
  const clock = testClock(sh('2026-09-28T07:50'));
  const platform = limitedPlatform(clock.now);
  const runtime = await createTestRuntime({ database, now: clock.now, sandbox: false, senders: [platform.sender] });
  afterAll(() => database.close());
  await seedSchools(database.db, 300, { teachersPerSchool: 0 });

  async function pending(): Promise<number> {
    const rows = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from outbox where status <> 'sent'`),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The dispatcher loop on the injected clock: a round, then half a second passes. */
  async function dispatchUntil(done: () => Promise<boolean>, maxRounds = 200): Promise<void> {
    for (let round = 0; round < maxRounds && !(await done()); round++) {
      await runtime.dispatcher.runOnce();
      clock.advance(500);
    }
  }

  it('sends 一日一醒 to 301 staff groups with zero rate-limit errors, as fast as the limits allow', async () => {
    const start = clock.now().getTime();
    const summary = await runtime.tick(clock.now());
    expect(summary.rules.daily_check?.enqueued).toBe(301);
    await dispatchUntil(async () => (await pending()) === 0);
    expect(await pending()).toBe(0);
    expect(platform.rejected()).toBe(0);
    expect(new Set(platform.sent.map((entry) => entry.key)).size).toBe(301);
    // 30 at once, then 15 a second: about 18 s. The per-minute cap (1000) would allow at most ~16.7/s.
    const elapsed = (Math.max(...platform.sent.map((entry) => entry.at)) - start) / 1000;
    expect(elapsed).toBeGreaterThanOrEqual(17);
    expect(elapsed).toBeLessThanOrEqual(20);
  }, 300_000);

  it('slows a target down after a 429 and delivers the message later, once', async () => {
    platform.throttleOnce.add('staff-s1');
    clock.set(sh('2026-09-29T07:50'));
    await runtime.tick(clock.now());
    await dispatchUntil(async () => platform.throttledAt.has('staff-s1'));
    const throttled = platform.throttledAt.get('staff-s1')!;
    const held = rowsOf<{ status: string; attempts: number; next: string; error: string }>(
      await database.db.execute(sql`
        select status, attempts, next_attempt_at as next, last_error as error from outbox
        where chat_id = 'staff-s1' and idempotency_key like 'daily_check:%2026-09-29%'`),
    );
    expect(held).toHaveLength(1);
    // Not an attempt: back to pending, due when the platform said, the reason kept for the dashboard.
    expect(held[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(held[0]!.next).getTime()).toBeGreaterThanOrEqual(throttled + 2000);
    expect(held[0]!.error).toContain('rate limited');

    const toS1 = () => platform.sent.filter((entry) => entry.chat === 'staff-s1' && entry.key.includes('2026-09-29'));
    await dispatchUntil(async () => toS1().length > 0);
    expect(toS1()).toHaveLength(1);
    expect(toS1()[0]!.at).toBeGreaterThanOrEqual(throttled + 2000);
    expect(platform.rejected()).toBe(0);
  }, 300_000);
});
