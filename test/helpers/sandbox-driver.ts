import { and, eq } from 'drizzle-orm';
import type { SandboxMessage } from '../../src/db/repos/sandbox.js';
import { platformAccounts } from '../../src/db/schema.js';
import type { Database } from '../../src/db/types.js';
import type { Card } from '../../src/model/card.js';
import type { Attachment } from '../../src/model/inbound.js';
import type { Runtime } from '../../src/runtime.js';
import { call } from './runtime.js';

export interface ActionResult {
  duplicate: boolean;
  toast: { type: string; text: string } | null;
  card: Card | null;
}

/** Says and clicks in the sandbox's chats through its HTTP API, as people in the demo school do. */
export function sandboxChats(runtime: Runtime) {
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
    /** The bot's answers to one message (the dispatcher may deliver a batch in any order). */
    async repliesTo(chat: string, messageId: string): Promise<SandboxMessage[]> {
      return (await botMessages(chat)).filter((message) => message.replyTo === messageId);
    },
    async lastBot(chat: string): Promise<SandboxMessage> {
      const last = (await botMessages(chat)).at(-1);
      if (!last) throw new Error(`no bot message in ${chat}`);
      return last;
    },
    /** The bot's last text in a chat. */
    async lastText(chat: string): Promise<string> {
      return (await botMessages(chat)).filter((message) => message.text).at(-1)?.text ?? '';
    },
    async say(chat: string, user: string, text: string, attachments: Attachment[] = []): Promise<string> {
      const response = await call<{ messageId: string }>(runtime, 'POST', '/sandbox/api/messages', {
        chat,
        user,
        text,
        attachments,
        wait: true,
      });
      if (response.status !== 200) throw new Error(`say failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.messageId;
    },
    async click(
      chat: string,
      user: string,
      messageId: string,
      buttonId: string,
      options: { form?: Record<string, string>; clickId?: string; wait?: boolean } = {},
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
  };
}

/** The person behind a sandbox user, if the sandbox has met them. */
export async function sandboxPersonId(database: Database, user: string): Promise<string | null> {
  const [row] = await database.db
    .select({ personId: platformAccounts.personId })
    .from(platformAccounts)
    .where(and(eq(platformAccounts.platform, 'sandbox'), eq(platformAccounts.userId, user)));
  return row?.personId ?? null;
}
