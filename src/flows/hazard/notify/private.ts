import { accountsOf } from '../../../db/repos/identity.js';
import type { MessageBody } from '../../../model/card.js';
import { isPlatform } from '../../../model/platform.js';
import type { Urgency } from '../../../model/outbound.js';
import { type QuietWindow, releaseTime } from '../../../domain/schedule/quiet-hours.js';
import type { FlowContext } from '../../types.js';

export interface PrivateMessage {
  body: MessageBody;
  urgency: Urgency;
  /** Names what is announced to whom, e.g. `hazard:<id>:<event>:assigned:<person>`; the account is appended. */
  key: string;
  timeZone: string;
  quietHours: QuietWindow;
}

/**
 * Queues a private message to every platform account of a person. Non-urgent messages produced in quiet
 * hours wait for the morning; urgent ones go at once. Returns how many accounts were addressed.
 */
export async function sendPrivately(ctx: FlowContext, personId: string, message: PrivateMessage): Promise<number> {
  const accounts = await accountsOf(ctx.db, personId);
  const notBefore = releaseTime(ctx.now, message.urgency, message.quietHours, message.timeZone);
  let sent = 0;
  for (const account of accounts) {
    if (!isPlatform(account.platform)) continue;
    sent += 1;
    await ctx.send({
      target: { platform: account.platform, tenant: account.tenant, userId: account.userId },
      body: message.body,
      urgency: message.urgency,
      idempotencyKey: `${message.key}:${account.platform}:${account.tenant}:${account.userId}`,
      ...(notBefore > ctx.now ? { notBefore } : {}),
    });
  }
  return sent;
}

/** Distinct people, without the one acting (nobody is told about their own step). */
export function recipients(ids: readonly (string | null)[], actorId: string): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null && id !== actorId))];
}
