import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { RosterGuardian, RosterRow } from '../../domain/roster/parse.js';
import { hashPhone, last4 } from '../../domain/roster/phone.js';
import { classes, guardians, studentGuardians, students } from '../schema.js';
import type { Db } from '../types.js';

/**
 * Writes a parsed roster (src/domain/roster) into classes, students, guardians and their links. Identity
 * follows the database keys, so a re-import updates in place: a student is (class, name, 学号), a guardian
 * is the hashed phone within the school. Everything goes through multi-row statements in chunks — a
 * 3,000-student school costs a few dozen queries, not one per row. Nothing is deleted: students missing
 * from the file are kept (their receipts stay valid) and counted, so the administrator can review them.
 */

export interface RosterImportInput {
  schoolId: string;
  rows: readonly RosterRow[];
  guardians: readonly RosterGuardian[];
  classNames: readonly string[];
  /** HMAC key for the phone hashes: the service secret. */
  secret: string;
  /** Called after each batch with rows written so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ChangeCount {
  created: number;
  updated: number;
  unchanged: number;
}

export interface RosterImportSummary {
  classes: { created: number; existing: number };
  students: ChangeCount;
  guardians: ChangeCount;
  links: ChangeCount;
  /** Students already stored in the file's classes that the file no longer lists (kept, not deleted). */
  notInFile: number;
}

const CHUNK = 1000;

function chunked<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const identity = (classId: string, name: string, studentNo: string) => JSON.stringify([classId, name, studentNo]);
const nameKey = (classId: string, name: string) => JSON.stringify([classId, name]);

/** `update <table> set <column> = v.value from (values …) v(id, value) where <table>.id = v.id` in one statement. */
async function updateColumn(db: Db, table: 'students' | 'guardians', column: string, pairs: [string, string][]) {
  for (const part of chunked(pairs)) {
    const values: SQL[] = part.map(([id, value]) => sql`(${id}::uuid, ${value}::text)`);
    await db.execute(
      sql`update ${sql.identifier(table)} as t set ${sql.identifier(column)} = v.value
          from (values ${sql.join(values, sql`, `)}) as v(id, value) where t.id = v.id`,
    );
  }
}

interface StoredStudent {
  id: string;
  classId: string;
  name: string;
  studentNo: string;
}

/**
 * Finds the stored student for each roster row. Exact (class, name, 学号) first; then a 学号 added since
 * the last import matches the one stored student of that name without a number, and a row without 学号
 * matches the one stored student of that name — so adding or omitting 学号 never duplicates a child.
 */
function matchStudents(rows: readonly (RosterRow & { classId: string })[], stored: StoredStudent[]) {
  const exact = new Map(stored.map((s) => [identity(s.classId, s.name, s.studentNo), s]));
  const byName = new Map<string, StoredStudent[]>();
  for (const s of stored)
    byName.set(nameKey(s.classId, s.name), [...(byName.get(nameKey(s.classId, s.name)) ?? []), s]);
  const claimed = new Set<string>();
  const matched = new Map<RosterRow, StoredStudent>();
  const pending: (RosterRow & { classId: string })[] = [];
  for (const row of rows) {
    const hit = exact.get(identity(row.classId, row.studentName, row.studentNo));
    if (hit) {
      matched.set(row, hit);
      claimed.add(hit.id);
    } else pending.push(row);
  }
  const pendingByName = new Map<string, number>();
  for (const row of pending) {
    const key = nameKey(row.classId, row.studentName);
    pendingByName.set(key, (pendingByName.get(key) ?? 0) + 1);
  }
  for (const row of pending) {
    const key = nameKey(row.classId, row.studentName);
    if (pendingByName.get(key) !== 1) continue;
    const sameName = (byName.get(key) ?? []).filter((s) => !claimed.has(s.id));
    const candidates = row.studentNo ? sameName.filter((s) => s.studentNo === '') : sameName;
    if (candidates.length !== 1) continue;
    matched.set(row, candidates[0]!);
    claimed.add(candidates[0]!.id);
  }
  return { matched, claimed };
}

export async function importRoster(db: Db, input: RosterImportInput): Promise<RosterImportSummary> {
  const total = input.rows.length + input.guardians.length + input.rows.reduce((n, r) => n + r.guardians.length, 0);
  let done = 0;
  const progress = (count: number) => {
    done += count;
    input.onProgress?.(done, total);
  };

  return db.transaction(async (tx) => {
    // Classes: created when new, looked up by exact name.
    let createdClasses = 0;
    if (input.classNames.length > 0) {
      const created = await tx
        .insert(classes)
        .values(input.classNames.map((name) => ({ schoolId: input.schoolId, name })))
        .onConflictDoNothing()
        .returning({ id: classes.id });
      createdClasses = created.length;
    }
    const classRows =
      input.classNames.length === 0
        ? []
        : await tx
            .select({ id: classes.id, name: classes.name })
            .from(classes)
            .where(and(eq(classes.schoolId, input.schoolId), inArray(classes.name, [...input.classNames])));
    const classIdOf = new Map(classRows.map((row) => [row.name, row.id]));

    // Students.
    const rows = input.rows.map((row) => ({ ...row, classId: classIdOf.get(row.className)! }));
    const stored: StoredStudent[] =
      classRows.length === 0
        ? []
        : await tx
            .select({ id: students.id, classId: students.classId, name: students.name, studentNo: students.studentNo })
            .from(students)
            .where(
              inArray(
                students.classId,
                classRows.map((row) => row.id),
              ),
            );
    const { matched, claimed } = matchStudents(rows, stored);
    const studentIdOf = new Map<string, string>();
    const numberUpdates: [string, string][] = [];
    const toInsert: typeof rows = [];
    for (const row of rows) {
      const hit = matched.get(row);
      if (!hit) {
        toInsert.push(row);
        continue;
      }
      studentIdOf.set(row.key, hit.id);
      if (row.studentNo && row.studentNo !== hit.studentNo) numberUpdates.push([hit.id, row.studentNo]);
    }
    for (const part of chunked(toInsert)) {
      const inserted = await tx
        .insert(students)
        .values(
          part.map((row) => ({
            schoolId: input.schoolId,
            classId: row.classId,
            name: row.studentName,
            studentNo: row.studentNo,
          })),
        )
        .returning({ id: students.id, classId: students.classId, name: students.name, studentNo: students.studentNo });
      const ids = new Map(inserted.map((s) => [identity(s.classId, s.name, s.studentNo), s.id]));
      for (const row of part) studentIdOf.set(row.key, ids.get(identity(row.classId, row.studentName, row.studentNo))!);
      progress(part.length);
    }
    await updateColumn(tx, 'students', 'student_no', numberUpdates);
    progress(rows.length - toInsert.length);

    // Guardians: one per hashed phone within the school; siblings share one.
    const hashed = input.guardians.map((guardian) => ({
      guardian,
      phoneHash: hashPhone(guardian.phone, input.secret),
      phoneLast4: last4(guardian.phone),
    }));
    const existing = new Map<string, { id: string; name: string }>();
    for (const part of chunked(hashed)) {
      const found = await tx
        .select({ id: guardians.id, name: guardians.name, phoneHash: guardians.phoneHash })
        .from(guardians)
        .where(
          and(
            eq(guardians.schoolId, input.schoolId),
            inArray(
              guardians.phoneHash,
              part.map((g) => g.phoneHash),
            ),
          ),
        );
      for (const row of found) existing.set(row.phoneHash, { id: row.id, name: row.name });
    }
    const guardianIdOf = new Map<string, string>();
    const nameUpdates: [string, string][] = [];
    const newGuardians = hashed.filter((g) => {
      const known = existing.get(g.phoneHash);
      if (!known) return true;
      guardianIdOf.set(g.guardian.phone, known.id);
      if (g.guardian.name && g.guardian.name !== known.name) nameUpdates.push([known.id, g.guardian.name]);
      return false;
    });
    for (const part of chunked(newGuardians)) {
      const inserted = await tx
        .insert(guardians)
        .values(
          part.map((g) => ({
            schoolId: input.schoolId,
            name: g.guardian.name,
            phoneHash: g.phoneHash,
            phoneLast4: g.phoneLast4,
          })),
        )
        .returning({ id: guardians.id, phoneHash: guardians.phoneHash });
      const ids = new Map(inserted.map((g) => [g.phoneHash, g.id]));
      for (const g of part) guardianIdOf.set(g.guardian.phone, ids.get(g.phoneHash)!);
      progress(part.length);
    }
    await updateColumn(tx, 'guardians', 'name', nameUpdates);
    progress(hashed.length - newGuardians.length);

    // Links: student ↔ guardian with the relation; a changed relation is updated in place.
    const wanted = rows.flatMap((row) =>
      row.guardians.map((link) => ({
        studentId: studentIdOf.get(row.key)!,
        guardianId: guardianIdOf.get(link.phone)!,
        relation: link.relation as string,
      })),
    );
    const storedLinks = new Map<string, string>();
    const linkedStudents = [...new Set(wanted.map((link) => link.studentId))];
    for (const part of chunked(linkedStudents)) {
      const found = await tx
        .select({
          studentId: studentGuardians.studentId,
          guardianId: studentGuardians.guardianId,
          relation: studentGuardians.relation,
        })
        .from(studentGuardians)
        .where(inArray(studentGuardians.studentId, part));
      for (const link of found) storedLinks.set(`${link.studentId}|${link.guardianId}`, link.relation);
    }
    const newLinks = wanted.filter((link) => !storedLinks.has(`${link.studentId}|${link.guardianId}`));
    const changedLinks = wanted.filter((link) => {
      const relation = storedLinks.get(`${link.studentId}|${link.guardianId}`);
      return relation !== undefined && relation !== link.relation;
    });
    for (const part of chunked(newLinks)) {
      await tx.insert(studentGuardians).values(part).onConflictDoNothing();
      progress(part.length);
    }
    for (const part of chunked(changedLinks)) {
      const values = part.map((l) => sql`(${l.studentId}::uuid, ${l.guardianId}::uuid, ${l.relation}::text)`);
      await tx.execute(
        sql`update student_guardians as t set relation = v.relation
            from (values ${sql.join(values, sql`, `)}) as v(student_id, guardian_id, relation)
            where t.student_id = v.student_id and t.guardian_id = v.guardian_id`,
      );
    }
    progress(wanted.length - newLinks.length);

    const createdStudents = toInsert.length;
    const updatedStudents = numberUpdates.length;
    const createdGuardians = newGuardians.length;
    return {
      classes: { created: createdClasses, existing: classRows.length - createdClasses },
      students: {
        created: createdStudents,
        updated: updatedStudents,
        unchanged: rows.length - createdStudents - updatedStudents,
      },
      guardians: {
        created: createdGuardians,
        updated: nameUpdates.length,
        unchanged: hashed.length - createdGuardians - nameUpdates.length,
      },
      links: {
        created: newLinks.length,
        updated: changedLinks.length,
        unchanged: wanted.length - newLinks.length - changedLinks.length,
      },
      notInFile: stored.filter((s) => !claimed.has(s.id)).length,
    };
  });
}
