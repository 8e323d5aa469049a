/**
 * The heart of idempotency: an occurrence key goes into `occurrences` (primary key) and its outbox rows
 * are written in the same transaction only when the key is new. Concurrent ticks race on the key's
 * insert; the loser's `on conflict do nothing` returns nothing and it writes no rows.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/rows.js';
import { occurrences, outbox } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { OutboundMessage } from '../model/outbound.js';
import type { EnqueueOptions, Occurrence } from './rule.js';

/** Keys per statement: keeps parameter lists well under PostgreSQL's limit. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

/** Like delivery/outbox `enqueue`, for many rows in one statement (a morning fan-out is hundreds). */
async function writeOutbox(db: Db, messages: OutboundMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((message) => {
    if (!message.target.chatId && !message.target.userId) {
      throw new Error(`outbox: message ${message.idempotencyKey} has neither chatId nor userId`);
    }
    return {
      platform: message.target.platform,
      tenant: message.target.tenant,
      chatId: message.target.chatId ?? null,
      userId: message.target.userId ?? null,
      body: message.body,
      urgency: message.urgency,
      idempotencyKey: message.idempotencyKey,
      nextAttemptAt: message.notBefore && message.notBefore > now ? message.notBefore : now,
      createdAt: now,
    };
  });
  await db.insert(outbox).values(rows).onConflictDoNothing({ target: outbox.idempotencyKey });
}

async function insertNewKeys(db: Db, batch: Occurrence[], now: Date): Promise<Set<string>> {
  const inserted = await db
    .insert(occurrences)
    .values(batch.map((occurrence) => ({ key: occurrence.key, rule: occurrence.rule, firedAt: now })))
    .onConflictDoNothing({ target: occurrences.key })
    .returning({ key: occurrences.key });
  return new Set(inserted.map((row) => row.key));
}

export async function enqueueOnce(
  db: Db,
  now: Date,
  occurrence: Occurrence,
  options: EnqueueOptions = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const fresh = await insertNewKeys(tx, [occurrence], now);
    if (!fresh.has(occurrence.key)) return false;
    await writeOutbox(tx, occurrence.messages, now);
    if (options.onFirst) await options.onFirst(tx);
    return true;
  });
}

/** One transaction per chunk of keys: a crash between chunks leaves the rest for the next tick. */
export async function enqueueMany(db: Db, now: Date, batch: Occurrence[]): Promise<number> {
  // Sorted: two instances inserting overlapping keys take the unique-index locks in the same order
  // (the loser waits and then skips), so they cannot deadlock.
  const unique = [...new Map(batch.map((occurrence) => [occurrence.key, occurrence])).values()].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  let fresh = 0;
  for (const part of chunks(unique)) {
    fresh += await db.transaction(async (tx) => {
      const keys = await insertNewKeys(tx, part, now);
      const messages = part.filter((occurrence) => keys.has(occurrence.key)).flatMap((o) => o.messages);
      await writeOutbox(tx, messages, now);
      return keys.size;
    });
  }
  return fresh;
}

/** Keys per lookup: sent as one text parameter, split in SQL, matched on the primary key. */
const LOOKUP_CHUNK = 5000;

export async function firedKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const unique = [...new Set(keys)];
  const fired = new Set<string>();
  for (let start = 0; start < unique.length; start += LOOKUP_CHUNK) {
    const joined = unique.slice(start, start + LOOKUP_CHUNK).join('\n');
    const result = await db.execute(
      sql`select key from occurrences where key = any(string_to_array(${joined}, chr(10)))`,
    );
    for (const row of rowsOf<{ key: string }>(result)) fired.add(row.key);
  }
  return fired;
}
