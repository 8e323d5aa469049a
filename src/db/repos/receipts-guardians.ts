import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { BindingCandidate, BindingState, CounterChange } from '../../domain/receipts/binding.js';
import { executePrepared } from '../prepared.js';
import { iso, rowsOf } from '../rows.js';
import { guardians, platformAccounts, studentGuardians, students } from '../schema.js';
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

export interface RosterDigits {
  classId: string;
  /** The last four digits of a guardian's phone. */
  last4: string;
}

export const rosterDigitsText = (key: RosterDigits) => `${key.classId}|${key.last4}`;

/**
 * The class rosters' student–guardian links whose guardian's phone ends in the given digits, by
 * rosterDigitsText: all a binding answer can match, siblings included (they share the guardian).
 */
export async function bindingCandidatesByDigits(
  db: Db,
  keys: readonly RosterDigits[],
): Promise<Map<string, BindingCandidate[]>> {
  const byKey = new Map<string, BindingCandidate[]>(keys.map((key) => [rosterDigitsText(key), []]));
  if (keys.length === 0) return byKey;
  const wanted = JSON.stringify(
    [...byKey.keys()].map((text) => text.split('|')).map(([class_id, last4]) => ({ class_id, last4 })),
  );
  const result = await executePrepared(
    db,
    sql`
    select s.class_id, s.id as student_id, s.name as student_name, g.id as guardian_id, g.phone_last4, sg.relation
    from json_to_recordset(${wanted}::json) as w(class_id uuid, last4 text)
    join classes c on c.id = w.class_id
    join guardians g on g.school_id = c.school_id and g.phone_last4 = w.last4
    join student_guardians sg on sg.guardian_id = g.id
    join students s on s.id = sg.student_id and s.class_id = w.class_id`,
  );
  type Row = {
    class_id: string;
    student_id: string;
    student_name: string;
    guardian_id: string;
    phone_last4: string;
    relation: string;
  };
  for (const row of rowsOf<Row>(result)) {
    byKey.get(rosterDigitsText({ classId: row.class_id, last4: row.phone_last4 }))?.push({
      studentId: row.student_id,
      studentName: row.student_name,
      guardianId: row.guardian_id,
      phoneLast4: row.phone_last4,
      relation: row.relation,
    });
  }
  return byKey;
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

/** One text per counter: the advisory-lock name and the key of loaded states. */
export const attemptKeyText = (key: AttemptKey) => `${key.platform}|${key.tenant}|${key.userId}|${key.classId}`;

const keysJson = (keys: readonly AttemptKey[]) =>
  JSON.stringify(
    keys.map((key) => ({ platform: key.platform, tenant: key.tenant, user_id: key.userId, class_id: key.classId })),
  );

/**
 * Serialises concurrent answers under the same counters (two quick submits, one address) so every failure
 * is counted. Locks are taken in one global order, so two transactions locking overlapping sets wait for
 * each other instead of deadlocking.
 */
export async function lockAttemptKeys(db: Db, keys: readonly AttemptKey[]): Promise<void> {
  if (keys.length === 0) return;
  const names = JSON.stringify([...new Set(keys.map(attemptKeyText))]);
  await executePrepared(
    db,
    sql`
    select pg_advisory_xact_lock(lock_id)
    from (select distinct hashtext(name) as lock_id from json_array_elements_text(${names}::json) as name order by lock_id) as ordered`,
  );
}

/**
 * The stored states by attemptKeyText. The table has no lastFailureAt: updated_at is written only when a
 * failure is recorded, so it is the time of the last failure.
 */
export async function loadBindingStates(db: Db, keys: readonly AttemptKey[]): Promise<Map<string, BindingState>> {
  const states = new Map<string, BindingState>();
  if (keys.length === 0) return states;
  const result = await executePrepared(
    db,
    sql`
    select b.platform, b.tenant, b.user_id, b.class_id, b.failures, b.locked_until, b.updated_at
    from json_to_recordset(${keysJson(keys)}::json) as k(platform text, tenant text, user_id text, class_id uuid)
    join binding_attempts b on b.platform = k.platform and b.tenant = k.tenant and b.user_id = k.user_id and b.class_id = k.class_id`,
  );
  type Row = { platform: string; tenant: string; user_id: string; class_id: string; failures: number };
  for (const row of rowsOf<Row & { locked_until: string | Date | null; updated_at: string | Date }>(result)) {
    const key = { platform: row.platform, tenant: row.tenant, userId: row.user_id, classId: row.class_id };
    states.set(attemptKeyText(key), {
      failures: Number(row.failures),
      lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
      lastFailureAt: new Date(row.updated_at),
    });
  }
  return states;
}

/** Stores counted failures and forgets counters after a match, in one statement. */
export async function saveCounterChanges(
  db: Db,
  changes: readonly { key: AttemptKey; change: CounterChange }[],
  now: Date,
): Promise<void> {
  const stored = changes.flatMap(({ key, change }) =>
    change.kind === 'store'
      ? [
          {
            platform: key.platform,
            tenant: key.tenant,
            user_id: key.userId,
            class_id: key.classId,
            failures: change.state.failures,
            locked_until: change.state.lockedUntil?.toISOString() ?? null,
            updated_at: iso(change.state.lastFailureAt ?? now),
          },
        ]
      : [],
  );
  const cleared = changes.filter(({ change }) => change.kind === 'clear').map(({ key }) => key);
  if (stored.length === 0 && cleared.length === 0) return;
  await executePrepared(
    db,
    sql`
    with stored as (
      insert into binding_attempts (platform, tenant, user_id, class_id, failures, locked_until, updated_at)
      select platform, tenant, user_id, class_id, failures, locked_until, updated_at
      from json_to_recordset(${JSON.stringify(stored)}::json)
        as s(platform text, tenant text, user_id text, class_id uuid, failures int, locked_until timestamptz, updated_at timestamptz)
      on conflict (platform, tenant, user_id, class_id) do update
        set failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at
      returning 1
    )
    delete from binding_attempts b
    using json_to_recordset(${keysJson(cleared)}::json) as k(platform text, tenant text, user_id text, class_id uuid)
    where b.platform = k.platform and b.tenant = k.tenant and b.user_id = k.user_id and b.class_id = k.class_id`,
  );
}
