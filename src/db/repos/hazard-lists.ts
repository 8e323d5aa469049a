import { and, count, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { hazards, people } from '../schema.js';
import type { Db } from '../types.js';

const OPEN = ['reported', 'rectifying', 'verifying'] as const;

export interface HazardListItem {
  id: string;
  code: string;
  status: (typeof hazards.$inferSelect)['status'];
  category: string;
  level: (typeof hazards.$inferSelect)['level'];
  location: string;
  description: string;
  reportedAt: Date;
  deadline: Date | null;
  ownerName: string | null;
}

export interface HazardList {
  items: HazardListItem[];
  total: number;
}

async function list(db: Db, where: SQL | undefined, limit: number): Promise<HazardList> {
  const items = await db
    .select({
      id: hazards.id,
      code: hazards.code,
      status: hazards.status,
      category: hazards.category,
      level: hazards.level,
      location: hazards.location,
      description: hazards.description,
      reportedAt: hazards.reportedAt,
      deadline: hazards.deadline,
      ownerName: people.name,
    })
    .from(hazards)
    .leftJoin(people, eq(people.id, hazards.ownerId))
    .where(where)
    .orderBy(desc(hazards.reportedAt), desc(hazards.code))
    .limit(limit);
  const [row] = await db.select({ n: count() }).from(hazards).where(where);
  return { items, total: Number(row?.n ?? 0) };
}

/** 台账: the school's open hazards, newest first. */
export function listOpenHazards(db: Db, schoolId: string, limit: number): Promise<HazardList> {
  return list(db, and(eq(hazards.schoolId, schoolId), inArray(hazards.status, [...OPEN])), limit);
}

/** 我的: open hazards the person owns or reported. */
export function listMyHazards(db: Db, schoolId: string, personId: string, limit: number): Promise<HazardList> {
  return list(
    db,
    and(
      eq(hazards.schoolId, schoolId),
      inArray(hazards.status, [...OPEN]),
      or(eq(hazards.ownerId, personId), eq(hazards.reporterId, personId)),
    ),
    limit,
  );
}

/** 逾期: hazards still being rectified past their deadline. */
export function listOverdueHazards(db: Db, schoolId: string, now: Date, limit: number): Promise<HazardList> {
  return list(
    db,
    and(eq(hazards.schoolId, schoolId), eq(hazards.status, 'rectifying'), lt(hazards.deadline, now)),
    limit,
  );
}
