import { and, eq, sql } from 'drizzle-orm';
import type { SandboxMessage } from '../../src/db/repos/sandbox.js';
import { ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { DEMO_PHONE_SALT } from '../../src/db/repos/seed-demo-roster.js';
import { guardians, platformAccounts, receipts } from '../../src/db/schema.js';
import type { Database } from '../../src/db/types.js';
import { hashPhone } from '../../src/domain/roster/phone.js';
import type { Card } from '../../src/model/card.js';
import type { Runtime } from '../../src/runtime.js';
import { call } from '../helpers/runtime.js';

export interface ActionResult {
  duplicate: boolean;
  toast: { type: string; text: string } | null;
  card: Card | null;
}

/** Drives the sandbox like the demo school's teachers and parents do. */
export function receiptDriver(runtime: Runtime, database: Database) {
  const history = async (chat: string) =>
    (
      await call<{ messages: SandboxMessage[] }>(
        runtime,
        'GET',
        `/sandbox/api/chats/${encodeURIComponent(chat)}/messages`,
      )
    ).body.messages;
  const botMessages = async (chat: string) => (await history(chat)).filter((message) => message.sender === 'bot');
  return {
    history,
    botMessages,
    async say(chat: string, user: string, text: string): Promise<string> {
      const response = await call<{ messageId: string }>(runtime, 'POST', '/sandbox/api/messages', {
        chat,
        user,
        text,
        wait: true,
      });
      if (response.status !== 200) throw new Error(`say failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.messageId;
    },
    /** The bot's last text in a chat. */
    async lastText(chat: string): Promise<string> {
      return (await botMessages(chat)).filter((m) => m.text).at(-1)?.text ?? '';
    },
    async click(
      chat: string,
      user: string,
      messageId: string,
      buttonId: string,
      options: { form?: Record<string, string>; clickId?: string } = {},
    ): Promise<ActionResult> {
      const response = await call<ActionResult>(runtime, 'POST', '/sandbox/api/actions', {
        chat,
        user,
        messageId,
        buttonId,
        ...options,
      });
      if (response.status !== 200) throw new Error(`click failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async receiptCount(campaignId?: string): Promise<number> {
      const rows = await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(receipts)
        .where(campaignId ? eq(receipts.campaignId, campaignId) : undefined);
      return Number(rows[0]?.n ?? 0);
    },
    async personId(user: string): Promise<string | null> {
      const [row] = await database.db
        .select({ personId: platformAccounts.personId })
        .from(platformAccounts)
        .where(and(eq(platformAccounts.platform, 'sandbox'), eq(platformAccounts.userId, user)));
      return row?.personId ?? null;
    },
  };
}

/** A sandbox account for a person the roster may or may not know, optionally bound to a demo guardian's phone. */
export async function sandboxParent(database: Database, userId: string, name: string, phone?: string): Promise<string> {
  const { personId } = await ensurePersonForAccount(database.db, { platform: 'sandbox', tenant: '', userId, name });
  if (phone) {
    await database.db
      .update(guardians)
      .set({ personId })
      .where(eq(guardians.phoneHash, hashPhone(phone, DEMO_PHONE_SALT)));
  }
  return personId;
}
