import { outbox } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { OutboundMessage } from '../model/outbound.js';

/**
 * Writes an outbox row inside the caller's transaction. The idempotency key is unique: writing the same
 * message twice (a retried handler, two scheduler instances) leaves one row. Returns false on a duplicate.
 * `now` is the caller's clock (flows and ticks run on an injected clock), so the row is due from then.
 */
export async function enqueue(db: Db, message: OutboundMessage, now: Date): Promise<boolean> {
  if (!message.target.chatId && !message.target.userId) {
    throw new Error(`outbox: message ${message.idempotencyKey} has neither chatId nor userId`);
  }
  const inserted = await db
    .insert(outbox)
    .values({
      platform: message.target.platform,
      tenant: message.target.tenant,
      chatId: message.target.chatId ?? null,
      userId: message.target.userId ?? null,
      body: message.body,
      urgency: message.urgency,
      idempotencyKey: message.idempotencyKey,
      replyTo: message.replyTo ?? null,
      replyChannel: message.replyChannel ?? null,
      nextAttemptAt: message.notBefore && message.notBefore > now ? message.notBefore : now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  return inserted.length > 0;
}
