import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { silentLog, testClock } from '../../test/helpers/runtime.js';
import { connectPostgres } from '../db/client.js';
import { outbox } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { createDispatcher } from './dispatcher.js';
import { enqueue } from './outbox.js';
import type { OutboundDelivery, PlatformSender, SendResult } from './sender.js';

/** A platform that records what reaches it and answers from a script (a real PlatformSender, not a stub). */
function scriptedSender(answers: (delivery: OutboundDelivery) => SendResult, ratePerSecond = 1000) {
  const received: OutboundDelivery[] = [];
  const sender: PlatformSender = {
    platform: 'sandbox',
    bucketsFor: (target) => [
      { key: `chat:${target.chatId}`, ratePerSecond, burst: Math.max(1, Math.floor(ratePerSecond)) },
    ],
    async send(delivery) {
      received.push(delivery);
      return answers(delivery);
    },
  };
  return { sender, received };
}

/** An app bucket shared by every chat plus one per chat; `chat`'s first send is answered with `limited`. */
function limitedOnceSender(chat: string, limited: SendResult) {
  const received: string[] = [];
  let pending = true;
  const sender: PlatformSender = {
    platform: 'sandbox',
    bucketsFor: (target) => [
      { key: 'app', ratePerSecond: 100, burst: 100, shared: true },
      { key: `chat:${target.chatId}`, ratePerSecond: 100, burst: 100 },
    ],
    async send(delivery) {
      if (delivery.target.chatId === chat && pending) {
        pending = false;
        return limited;
      }
      received.push(delivery.idempotencyKey);
      return { ok: true };
    },
  };
  return { sender, received };
}

async function queue(db: Db, count: number, chat = 'c1', now = new Date('2026-11-23T08:00:00Z')) {
  for (let index = 0; index < count; index += 1) {
    await enqueue(
      db,
      {
        target: { platform: 'sandbox', tenant: '', chatId: chat },
        body: { type: 'text', text: `消息 ${index}` },
        urgency: 'normal',
        idempotencyKey: `test:${chat}:${index}`,
      },
      now,
    );
  }
}

const row = async (db: Db, key: string) => (await db.select().from(outbox).where(eq(outbox.idempotencyKey, key)))[0]!;

describe('outbox dispatcher', async () => {
  const database = await createTestDb();
  const { db } = database;
  afterAll(() => database.close());
  beforeEach(async () => {
    await db.execute(sql`delete from outbox`);
    await db.execute(sql`delete from rate_buckets`);
  });

  it('writes one row per idempotency key', async () => {
    await queue(db, 1);
    await queue(db, 1);
    expect(await db.select().from(outbox)).toHaveLength(1);
  });

  it('sends due rows and records the platform message id', async () => {
    const { sender, received } = scriptedSender(() => ({ ok: true, platformMessageId: 'pm-1' }));
    await queue(db, 3);
    await createDispatcher({ db, senders: [sender], log: silentLog }).drain();
    expect(received.map((delivery) => delivery.body)).toHaveLength(3);
    const sent = await row(db, 'test:c1:0');
    expect(sent.status).toBe('sent');
    expect(sent.platformMessageId).toBe('pm-1');
    expect(sent.attempts).toBe(1);
  });

  it('retries transient failures with exponential backoff and jitter, then succeeds', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    let failures = 2;
    const { sender, received } = scriptedSender(() =>
      failures-- > 0 ? { ok: false, kind: 'transient', error: 'HTTP 502' } : { ok: true },
    );
    const dispatcher = createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now, random: () => 0 });
    await queue(db, 1);
    await dispatcher.runOnce();
    let current = await row(db, 'test:c1:0');
    expect(current.status).toBe('pending');
    expect(current.attempts).toBe(1);
    expect(current.lastError).toBe('HTTP 502');
    expect(current.nextAttemptAt.getTime() - clock.now().getTime()).toBe(1000);
    await dispatcher.runOnce();
    expect(received).toHaveLength(1);
    clock.advance(1000);
    await dispatcher.runOnce();
    current = await row(db, 'test:c1:0');
    expect(current.attempts).toBe(2);
    expect(current.nextAttemptAt.getTime() - clock.now().getTime()).toBe(2000);
    clock.advance(2000);
    await dispatcher.runOnce();
    current = await row(db, 'test:c1:0');
    expect(current.status).toBe('sent');
    expect(received).toHaveLength(3);
  });

  it('dead-letters after the last attempt and at once on a permanent error', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    const { sender } = scriptedSender((delivery) =>
      delivery.idempotencyKey.endsWith(':0')
        ? { ok: false, kind: 'transient', error: 'timeout' }
        : { ok: false, kind: 'permanent', error: 'bot not in chat' },
    );
    const dispatcher = createDispatcher({
      db,
      senders: [sender],
      log: silentLog,
      now: clock.now,
      backoff: { baseMs: 1000, maxMs: 1000, maxAttempts: 3 },
    });
    await queue(db, 2);
    for (let round = 0; round < 4; round += 1) {
      await dispatcher.runOnce();
      clock.advance(1000);
    }
    const transient = await row(db, 'test:c1:0');
    expect(transient.status).toBe('dead');
    expect(transient.attempts).toBe(3);
    const permanent = await row(db, 'test:c1:1');
    expect(permanent.status).toBe('dead');
    expect(permanent.attempts).toBe(1);
    expect(permanent.lastError).toBe('bot not in chat');
  });

  it('slows a rate-limited target down without spending an attempt', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    let limited = true;
    const { sender, received } = scriptedSender(() => {
      if (limited) {
        limited = false;
        return { ok: false, kind: 'rate_limited', error: '99991400', retryAfterMs: 5000 };
      }
      return { ok: true };
    });
    const dispatcher = createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now, concurrency: 1 });
    await queue(db, 2);
    await dispatcher.runOnce();
    const first = await row(db, 'test:c1:0');
    expect(first.status).toBe('pending');
    expect(first.attempts).toBe(0);
    expect(first.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 5000);
    expect(received).toHaveLength(1);
    clock.advance(4000);
    await dispatcher.runOnce();
    expect(received).toHaveLength(1);
    clock.advance(1000);
    await dispatcher.drain();
    expect(received).toHaveLength(3);
    expect((await row(db, 'test:c1:0')).status).toBe('sent');
  });

  it('never exceeds a target token bucket', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    const { sender, received } = scriptedSender(() => ({ ok: true }), 5);
    const dispatcher = createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now });
    await queue(db, 12);
    await dispatcher.runOnce();
    expect(received).toHaveLength(5);
    clock.advance(1000);
    await dispatcher.runOnce();
    expect(received).toHaveLength(10);
    clock.advance(1000);
    await dispatcher.runOnce();
    expect(received).toHaveLength(12);
  });

  it('holds back only the row of a recipient the platform flow-controls, not the buckets others share', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    const { sender, received } = limitedOnceSender('held', {
      ok: false,
      kind: 'rate_limited',
      error: 'flow-controlled',
      retryAfterMs: 60_000,
      limitScope: 'recipient',
    });
    const dispatcher = createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now, concurrency: 1 });
    await queue(db, 2, 'held');
    await dispatcher.runOnce();
    // Not even the chat's own bucket is held: the chat's other message goes at once.
    expect(received).toHaveLength(1);
    const waiting = received[0] === 'test:held:0' ? 'test:held:1' : 'test:held:0';
    await queue(db, 1, 'other');
    await dispatcher.runOnce();
    expect(received.slice(1)).toEqual(['test:other:0']);
    expect((await row(db, waiting)).nextAttemptAt.getTime()).toBe(clock.now().getTime() + 60_000);
    clock.advance(60_000);
    await dispatcher.runOnce();
    expect(received.slice(2)).toEqual([waiting]);
  });

  it('holds the chat a platform limits per conversation, while other chats keep the app bucket they share', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    const { sender, received } = limitedOnceSender('busy', {
      ok: false,
      kind: 'rate_limited',
      error: '230020',
      retryAfterMs: 5_000,
      limitScope: 'conversation',
    });
    const dispatcher = createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now, concurrency: 1 });
    await queue(db, 2, 'busy');
    await dispatcher.runOnce();
    expect(received).toEqual([]);
    await queue(db, 1, 'other');
    await dispatcher.runOnce();
    expect(received).toEqual(['test:other:0']);
    clock.advance(5_000);
    await dispatcher.runOnce();
    expect(received.sort()).toEqual(['test:busy:0', 'test:busy:1', 'test:other:0']);
  });

  it('keeps to a target token bucket across dispatchers: more processes never send faster', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    const { sender, received } = scriptedSender(() => ({ ok: true }), 5);
    const dispatchers = [1, 2, 3].map(() =>
      createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now, batchSize: 4 }),
    );
    await queue(db, 12);
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.runOnce()));
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.runOnce()));
    expect(received).toHaveLength(5);
    clock.advance(1000);
    for (const dispatcher of dispatchers) await dispatcher.runOnce();
    expect(received).toHaveLength(10);
  });

  it('reclaims a row whose dispatcher died mid-send once its lease runs out', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    await queue(db, 1);
    await db.update(outbox).set({ status: 'sending', leaseUntil: new Date(clock.now().getTime() + 60_000) });
    const { sender, received } = scriptedSender(() => ({ ok: true }));
    const dispatcher = createDispatcher({ db, senders: [sender], log: silentLog, now: clock.now });
    await dispatcher.runOnce();
    expect(received).toHaveLength(0);
    clock.advance(61_000);
    await dispatcher.runOnce();
    expect(received).toHaveLength(1);
  });

  it('leaves rows of platforms it cannot send for to the process that can', async () => {
    await enqueue(
      db,
      {
        target: { platform: 'wechaty', tenant: 'bot', chatId: 'room@chatroom' },
        body: { type: 'text', text: '只有 Wechaty 进程能发' },
        urgency: 'normal',
        idempotencyKey: 'test:wechaty:0',
      },
      new Date('2026-11-23T08:00:00Z'),
    );
    const { sender, received } = scriptedSender(() => ({ ok: true }));
    await createDispatcher({ db, senders: [sender], log: silentLog }).drain();
    expect(received).toHaveLength(0);
    const waiting = await row(db, 'test:wechaty:0');
    expect(waiting.status).toBe('pending');
    expect(waiting.attempts).toBe(0);
  });

  it('leaves a row for the instance holding the live connection without spending attempts', async () => {
    const clock = testClock('2026-11-23T08:00:00Z');
    let connected = false;
    const { sender, received } = scriptedSender(() => ({ ok: true }));
    const guarded = { ...sender, canSend: () => connected };
    const dispatcher = createDispatcher({ db, senders: [guarded], log: silentLog, now: clock.now });
    await queue(db, 1);
    await dispatcher.runOnce();
    const waiting = await row(db, 'test:c1:0');
    expect(received).toHaveLength(0);
    expect(waiting.attempts).toBe(0);
    expect(waiting.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 5000);
    connected = true;
    clock.advance(5000);
    await dispatcher.runOnce();
    expect(received).toHaveLength(1);
  });

  it('two dispatchers on separate connections never send the same row', async () => {
    await queue(db, 150);
    const second = database.url ? connectPostgres(database.url, { max: 4 }) : null;
    const first = scriptedSender(() => ({ ok: true }));
    const other = scriptedSender(() => ({ ok: true }));
    const options = { log: silentLog, batchSize: 10, concurrency: 4 };
    await Promise.all([
      createDispatcher({ db, senders: [first.sender], ...options }).drain(),
      createDispatcher({ db: second?.db ?? db, senders: [other.sender], ...options }).drain(),
    ]);
    await second?.close();
    const keys = [...first.received, ...other.received].map((delivery) => delivery.idempotencyKey);
    expect(keys).toHaveLength(150);
    expect(new Set(keys).size).toBe(150);
    if (second) expect(first.received.length * other.received.length).toBeGreaterThan(0);
  });
});
