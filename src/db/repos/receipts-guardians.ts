import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { BindingCandidate, BindingState } from '../../domain/receipts/binding.js';
import { bindingAttempts, guardians, platformAccounts, studentGuardians, students } from '../schema.js';
import type { Db } from '../types.js';

/** Guardians as the receipt flows see them: who a chat identity is, and the roster a binding is checked against. */

export interface GuardianLink {
  guardianId: string;
  studentId: string;
  studentName: string;
  classId: string;
  relation: string;
}

/** Every student–guardian link of the guardians bound to this person, across the school's classes. */
export async function guardianLinksOfPerson(db: Db, personId: string): Promise<GuardianLink[]> {
  return db
    .select({
      guardianId: guardians.id,
      studentId: students.id,
      studentName: students.name,
      classId: students.classId,
      relation: studentGuardians.relation,
    })
    .from(guardians)
    .innerJoin(studentGuardians, eq(studentGuardians.guardianId, guardians.id))
    .innerJoin(students, eq(students.id, studentGuardians.studentId))
    .where(eq(guardians.personId, personId));
}

/** The class roster's student–guardian links: what a binding answer is matched against. */
export async function bindingCandidates(db: Db, classId: string): Promise<BindingCandidate[]> {
  return db
    .select({
      studentId: students.id,
      studentName: students.name,
      guardianId: guardians.id,
      phoneLast4: guardians.phoneLast4,
      relation: studentGuardians.relation,
    })
    .from(students)
    .innerJoin(studentGuardians, eq(studentGuardians.studentId, students.id))
    .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
    .where(eq(students.classId, classId));
}

/** The people already bound to these guardians (a guardian binds from a second platform, say). */
export async function personsOfGuardians(db: Db, guardianIds: readonly string[]): Promise<string[]> {
  if (guardianIds.length === 0) return [];
  const rows = await db
    .select({ personId: guardians.personId })
    .from(guardians)
    .where(inArray(guardians.id, [...guardianIds]));
  return [...new Set(rows.map((row) => row.personId).filter((id): id is string => id !== null))];
}

/** Binds guardians that nobody has bound yet to this person; a guardian bound to someone else keeps them. */
export async function bindGuardians(db: Db, guardianIds: readonly string[], personId: string): Promise<void> {
  if (guardianIds.length === 0) return;
  await db
    .update(guardians)
    .set({ personId })
    .where(and(inArray(guardians.id, [...guardianIds]), isNull(guardians.personId)));
}

/** Adds a chat identity to an existing person (the guardian's other platform); no-op when it exists. */
export async function addAccountToPerson(
  db: Db,
  account: { personId: string; platform: string; tenant: string; userId: string; name: string },
): Promise<void> {
  await db
    .insert(platformAccounts)
    .values({
      personId: account.personId,
      platform: account.platform,
      tenant: account.tenant,
      userId: account.userId,
      displayName: account.name,
    })
    .onConflictDoNothing();
}

/**
 * Who is answering the binding form: a chat identity, or on the H5 page a device cookie ('h5', '', 'dev:…')
 * and the client address ('h5-ip', '', '<ip>') — see src/http/routes/h5-receipt.ts.
 */
export interface AttemptKey {
  platform: string;
  tenant: string;
  userId: string;
  classId: string;
}

const keyCondition = (key: AttemptKey) =>
  and(
    eq(bindingAttempts.platform, key.platform),
    eq(bindingAttempts.tenant, key.tenant),
    eq(bindingAttempts.userId, key.userId),
    eq(bindingAttempts.classId, key.classId),
  );

/**
 * The stored state. The table has no lastFailureAt: updated_at is written only when a failure is
 * recorded, so it is the time of the last failure.
 */
export async function loadBindingState(db: Db, key: AttemptKey): Promise<BindingState | null> {
  const [row] = await db
    .select({
      failures: bindingAttempts.failures,
      lockedUntil: bindingAttempts.lockedUntil,
      updatedAt: bindingAttempts.updatedAt,
    })
    .from(bindingAttempts)
    .where(keyCondition(key))
    .limit(1);
  return row ? { failures: row.failures, lockedUntil: row.lockedUntil, lastFailureAt: row.updatedAt } : null;
}

/** Stores the state after a counted failure (the domain resets the count when it locks). */
export async function recordBindingFailure(db: Db, key: AttemptKey, state: BindingState, now: Date): Promise<void> {
  const values = { failures: state.failures, lockedUntil: state.lockedUntil, updatedAt: state.lastFailureAt ?? now };
  await db
    .insert(bindingAttempts)
    .values({ ...key, ...values })
    .onConflictDoUpdate({
      target: [bindingAttempts.platform, bindingAttempts.tenant, bindingAttempts.userId, bindingAttempts.classId],
      set: values,
    });
}

export async function clearBindingState(db: Db, key: AttemptKey): Promise<void> {
  await db.delete(bindingAttempts).where(keyCondition(key));
}

/** Serialises concurrent answers from one identity (two quick submits) so each failure is counted. */
export async function lockAttemptKey(db: Db, key: AttemptKey): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`${key.platform}|${key.tenant}|${key.userId}|${key.classId}`}))`,
  );
}
