import { asc, eq } from 'drizzle-orm';
import { districts, schools } from '../schema.js';
import type { Db } from '../types.js';

/** A school as the ledger reports need it: who it is and which clock it keeps. */
export interface LedgerSchool {
  id: string;
  code: string;
  name: string;
  timezone: string;
  districtId: string;
}

export interface LedgerDistrict {
  id: string;
  code: string;
  name: string;
}

const schoolColumns = {
  id: schools.id,
  code: schools.code,
  name: schools.name,
  timezone: schools.timezone,
  districtId: schools.districtId,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findLedgerSchoolByCode(db: Db, code: string): Promise<LedgerSchool | null> {
  const [row] = await db.select(schoolColumns).from(schools).where(eq(schools.code, code)).limit(1);
  return row ?? null;
}

/** Null for an unknown id, including text that is not a uuid (a token's claim is not trusted to be one). */
export async function findLedgerSchoolById(db: Db, id: string): Promise<LedgerSchool | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db.select(schoolColumns).from(schools).where(eq(schools.id, id)).limit(1);
  return row ?? null;
}

export async function findLedgerDistrictByCode(db: Db, code: string): Promise<LedgerDistrict | null> {
  const [row] = await db
    .select({ id: districts.id, code: districts.code, name: districts.name })
    .from(districts)
    .where(eq(districts.code, code))
    .limit(1);
  return row ?? null;
}

export async function findLedgerDistrictById(db: Db, id: string): Promise<LedgerDistrict | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({ id: districts.id, code: districts.code, name: districts.name })
    .from(districts)
    .where(eq(districts.id, id))
    .limit(1);
  return row ?? null;
}

/** The district's schools by code. */
export function schoolsOfDistrict(db: Db, districtId: string): Promise<LedgerSchool[]> {
  return db.select(schoolColumns).from(schools).where(eq(schools.districtId, districtId)).orderBy(asc(schools.code));
}
