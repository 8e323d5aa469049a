import { and, asc, eq } from 'drizzle-orm';
import type { SandboxMessage } from '../../src/db/repos/sandbox.js';
import { hazardEvents, hazards, platformAccounts } from '../../src/db/schema.js';
import type { Database } from '../../src/db/types.js';
import type { Card } from '../../src/model/card.js';
import type { Attachment } from '../../src/model/inbound.js';
import type { Runtime } from '../../src/runtime.js';
import { call } from '../helpers/runtime.js';

export const photo = (key: string): Attachment => ({ kind: 'image', key });

export interface ActionResult {
  duplicate: boolean;
  toast: { type: string; text: string } | null;
  card: Card | null;
}

/** Drives the sandbox like the people in the demo school do. */
export function sandboxDriver(runtime: Runtime, database: Database) {
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
    async personId(user: string): Promise<string> {
      const [row] = await database.db
        .select({ personId: platformAccounts.personId })
        .from(platformAccounts)
        .where(and(eq(platformAccounts.platform, 'sandbox'), eq(platformAccounts.userId, user)));
      if (!row) throw new Error(`no sandbox account ${user}`);
      return row.personId;
    },
    async hazard(code: string) {
      const [row] = await database.db.select().from(hazards).where(eq(hazards.code, code));
      return row ?? null;
    },
    async timeline(code: string) {
      const [row] = await database.db.select({ id: hazards.id }).from(hazards).where(eq(hazards.code, code));
      if (!row) return [];
      return database.db
        .select()
        .from(hazardEvents)
        .where(eq(hazardEvents.hazardId, row.id))
        .orderBy(asc(hazardEvents.at));
    },
  };
}

/** Text of a card, flattened, for assertions on what people see. */
export function cardText(card: Card | null | undefined): string {
  if (!card) return '';
  const blocks = card.blocks.map((block) =>
    block.type === 'markdown' ? block.text : block.fields.map((field) => `${field.label}：${field.value}`).join('\n'),
  );
  return [card.title, ...blocks, ...card.buttons.map((button) => button.label), card.footer ?? ''].join('\n');
}

type Driver = ReturnType<typeof sandboxDriver>;

/** Reports in a chat and confirms the draft; returns the new code. */
export async function reportAndConfirm(sandbox: Driver, user: string, text: string, chat = 'staff'): Promise<string> {
  const messageId = await sandbox.say(chat, user, `@校安 ${text}`);
  const draft = (await sandbox.repliesTo(chat, messageId)).find((message) => message.card)!;
  const buttonId = draft?.card?.buttons.find(
    (button) => button.id === 'draft-confirm' || button.id === 'draft-new',
  )?.id;
  if (!buttonId) throw new Error(`no draft card after "${text}"`);
  const answer = await sandbox.click(chat, user, draft.id, buttonId);
  const code = /YH-\d{4}-\d{4}/.exec(answer.toast?.text ?? '')?.[0];
  if (!code) throw new Error(`not registered: ${answer.toast?.text}`);
  return code;
}
