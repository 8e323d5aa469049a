import { asc, eq } from 'drizzle-orm';
import { hazardEvents, hazards } from '../../src/db/schema.js';
import type { Database } from '../../src/db/types.js';
import type { Card } from '../../src/model/card.js';
import type { Attachment } from '../../src/model/inbound.js';
import type { Runtime } from '../../src/runtime.js';
import { sandboxChats, sandboxPersonId } from '../helpers/sandbox-driver.js';

export const photo = (key: string): Attachment => ({ kind: 'image', key });

/** Drives the sandbox like the people in the demo school do, and reads the hazards they report. */
export function sandboxDriver(runtime: Runtime, database: Database) {
  return {
    ...sandboxChats(runtime),
    async personId(user: string): Promise<string> {
      const personId = await sandboxPersonId(database, user);
      if (!personId) throw new Error(`no sandbox account ${user}`);
      return personId;
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
