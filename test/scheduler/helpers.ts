import { and, eq, sql } from 'drizzle-orm';
import type { SandboxMessage } from '../../src/db/repos/sandbox.js';
import { rowsOf } from '../../src/db/rows.js';
import { hazards, platformAccounts, schools } from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import type { Runtime } from '../../src/runtime.js';
import type { TickSummary } from '../../src/scheduler/tick.js';
import { call } from '../helpers/runtime.js';

/** A Shanghai wall-clock time: sh('2026-09-28T07:50'). */
export function sh(local: string): Date {
  return new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`);
}

export interface Clock {
  now(): Date;
  set(at: string | Date): void;
}

/** Time travel as a user would: move the runtime's clock, then POST /sandbox/api/tick (tick + drain). */
export async function tickAt(runtime: Runtime, clock: Clock, local: string): Promise<TickSummary> {
  const at = sh(local);
  clock.set(at);
  const response = await call<{ summary: TickSummary }>(runtime, 'POST', '/sandbox/api/tick', {
    now: at.toISOString(),
  });
  if (response.status !== 200) throw new Error(`tick failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.summary;
}

export async function botMessages(runtime: Runtime, chat: string): Promise<SandboxMessage[]> {
  const { body } = await call<{ messages: SandboxMessage[] }>(runtime, 'GET', `/sandbox/api/chats/${chat}/messages`);
  return body.messages.filter((message) => message.sender === 'bot');
}

export async function personOf(db: Db, sandboxUser: string): Promise<string> {
  const [row] = await db
    .select({ personId: platformAccounts.personId })
    .from(platformAccounts)
    .where(and(eq(platformAccounts.platform, 'sandbox'), eq(platformAccounts.userId, sandboxUser)));
  if (!row) throw new Error(`no sandbox user ${sandboxUser}`);
  return row.personId;
}

export async function demoSchoolId(db: Db): Promise<string> {
  const [row] = await db.select({ id: schools.id }).from(schools).where(eq(schools.code, 'demo'));
  return row!.id;
}

let sequence = 0;

/** A hazard straight into the ledger (the hazard flows are tested elsewhere). */
export async function insertHazard(
  db: Db,
  values: {
    schoolId: string;
    reporterId: string;
    ownerId: string | null;
    deadline: Date | null;
    status?: 'reported' | 'rectifying' | 'verifying' | 'closed';
    level?: 'general' | 'major';
    description?: string;
    location?: string;
    reportedAt?: Date;
  },
): Promise<{ id: string; code: string }> {
  sequence += 1;
  const code = `YH-2026-${String(9000 + sequence).padStart(4, '0')}`;
  const [row] = await db
    .insert(hazards)
    .values({
      schoolId: values.schoolId,
      code,
      status: values.status ?? 'rectifying',
      category: 'fire',
      level: values.level ?? 'general',
      location: values.location ?? '教学楼三楼',
      description: values.description ?? '消防通道堆放杂物',
      reporterId: values.reporterId,
      reportedAt: values.reportedAt ?? new Date('2026-09-01T01:00:00Z'),
      ownerId: values.ownerId,
      deadline: values.deadline,
      supervised: values.level === 'major',
    })
    .returning({ id: hazards.id, code: hazards.code });
  return row!;
}

export async function outboxCount(db: Db): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from outbox`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
