import { and, asc, eq, gt } from 'drizzle-orm';
import type { Card } from '../../model/card.js';
import type { Attachment } from '../../model/inbound.js';
import { chats, classes, people, platformAccounts, roleGrants, sandboxMessages, schools } from '../schema.js';
import type { Db } from '../types.js';

export interface SandboxMessage {
  id: string;
  chat: string;
  sender: 'user' | 'bot';
  user: string | null;
  text: string | null;
  card: Card | null;
  attachments: Attachment[];
  replyTo: string | null;
  urgent: string | null;
  at: string;
}

/** The sandbox platform's "servers": its chats and messages live in our own database. */
export interface SandboxStore {
  postUserMessage(input: {
    chat: string;
    user: string;
    text: string;
    attachments: Attachment[];
  }): Promise<SandboxMessage>;
  postBotMessage(input: {
    chat: string;
    text: string | null;
    card: Card | null;
    replyTo: string | null;
    urgent: string | null;
  }): Promise<SandboxMessage>;
  updateCard(messageId: string, card: Card): Promise<void>;
  message(messageId: string): Promise<SandboxMessage | null>;
  history(chat: string, afterId?: string): Promise<SandboxMessage[]>;
  state(): Promise<SandboxState>;
}

export interface SandboxState {
  schools: { id: string; code: string; name: string }[];
  chats: {
    id: string;
    title: string | null;
    kind: string;
    school: string;
    className: string | null;
    type: 'group' | 'direct';
  }[];
  people: { id: string; name: string; roles: string[] }[];
}

type Row = typeof sandboxMessages.$inferSelect;

const toMessage = (row: Row): SandboxMessage => ({
  id: String(row.id),
  chat: row.chatId,
  sender: row.sender,
  user: row.userId,
  text: row.text,
  card: row.card,
  attachments: row.attachments,
  replyTo: row.replyTo,
  urgent: row.urgent,
  at: row.createdAt.toISOString(),
});

/** Direct (1:1) sandbox chats are named `dm:<user id>`. */
export const directChatId = (userId: string) => `dm:${userId}`;

export function createSandboxStore(db: Db): SandboxStore {
  return {
    async postUserMessage({ chat, user, text, attachments }) {
      const [row] = await db
        .insert(sandboxMessages)
        .values({ chatId: chat, sender: 'user', userId: user, text, attachments })
        .returning();
      return toMessage(row!);
    },
    async postBotMessage({ chat, text, card, replyTo, urgent }) {
      const [row] = await db
        .insert(sandboxMessages)
        .values({ chatId: chat, sender: 'bot', text, card, replyTo, urgent })
        .returning();
      return toMessage(row!);
    },
    async updateCard(messageId, card) {
      await db
        .update(sandboxMessages)
        .set({ card })
        .where(eq(sandboxMessages.id, BigInt(messageId)));
    },
    async message(messageId) {
      if (!/^\d+$/.test(messageId)) return null;
      const [row] = await db
        .select()
        .from(sandboxMessages)
        .where(eq(sandboxMessages.id, BigInt(messageId)));
      return row ? toMessage(row) : null;
    },
    async history(chat, afterId) {
      const condition =
        afterId && /^\d+$/.test(afterId)
          ? and(eq(sandboxMessages.chatId, chat), gt(sandboxMessages.id, BigInt(afterId)))
          : eq(sandboxMessages.chatId, chat);
      const rows = await db.select().from(sandboxMessages).where(condition).orderBy(asc(sandboxMessages.id)).limit(500);
      return rows.map(toMessage);
    },
    async state() {
      const schoolRows = await db.select({ id: schools.id, code: schools.code, name: schools.name }).from(schools);
      const chatRows = await db
        .select({
          id: chats.chatId,
          title: chats.title,
          kind: chats.kind,
          school: schools.code,
          className: classes.name,
        })
        .from(chats)
        .innerJoin(schools, eq(schools.id, chats.schoolId))
        .leftJoin(classes, eq(classes.id, chats.classId))
        .where(and(eq(chats.platform, 'sandbox'), eq(chats.active, true)));
      const accountRows = await db
        .select({ id: platformAccounts.userId, personId: people.id, name: people.name })
        .from(platformAccounts)
        .innerJoin(people, eq(people.id, platformAccounts.personId))
        .where(eq(platformAccounts.platform, 'sandbox'));
      const grantRows = await db.select({ personId: roleGrants.personId, role: roleGrants.role }).from(roleGrants);
      const rolesByPerson = new Map<string, Set<string>>();
      for (const grant of grantRows) {
        const set = rolesByPerson.get(grant.personId) ?? new Set<string>();
        set.add(grant.role);
        rolesByPerson.set(grant.personId, set);
      }
      return {
        schools: schoolRows,
        chats: [
          ...chatRows.map((chat) => ({ ...chat, type: 'group' as const })),
          ...accountRows.map((account) => ({
            id: directChatId(account.id),
            title: `与校安私聊（${account.name}）`,
            kind: 'direct',
            school: '',
            className: null,
            type: 'direct' as const,
          })),
        ],
        people: accountRows.map((account) => ({
          id: account.id,
          name: account.name,
          roles: [...(rolesByPerson.get(account.personId) ?? [])],
        })),
      };
    },
  };
}
