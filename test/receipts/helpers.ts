import { eq, sql } from 'drizzle-orm';
import { ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { DEMO_PHONE_SALT } from '../../src/db/repos/seed-demo-roster.js';
import { guardians, receipts } from '../../src/db/schema.js';
import type { Database } from '../../src/db/types.js';
import { hashPhone } from '../../src/domain/roster/phone.js';
import type { Runtime } from '../../src/runtime.js';
import { sandboxChats, sandboxPersonId } from '../helpers/sandbox-driver.js';

/** Drives the sandbox like the demo school's teachers and parents do, and counts their receipts. */
export function receiptDriver(runtime: Runtime, database: Database) {
  return {
    ...sandboxChats(runtime),
    async receiptCount(campaignId?: string): Promise<number> {
      const rows = await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(receipts)
        .where(campaignId ? eq(receipts.campaignId, campaignId) : undefined);
      return Number(rows[0]?.n ?? 0);
    },
    personId: (user: string) => sandboxPersonId(database, user),
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
