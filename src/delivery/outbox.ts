import { outbox } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { OutboundMessage } from '../model/outbound.js';

/**
 * Writes an outbox row inside the caller's transaction. The idempotency key is unique: writing the same
 * message twice (a retried handler, two scheduler instances) leaves one row. Returns false on a duplicate.
 */
export async function enqueue(db: Db, message: OutboundMessage): Promise<boolean> {
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
      ...(message.notBefore ? { nextAttemptAt: message.notBefore } : {}),
    })
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  return inserted.length > 0;
}
