import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { LedgerEvent, LedgerRecord } from '../../domain/ledger/sheet.js';
import { hazardEvents, hazards, people } from '../schema.js';
import type { Db } from '../types.js';

const CHUNK = 500;

export interface LedgerHazard extends LedgerRecord {
  id: string;
}

export interface LedgerData {
  /** In report order (oldest first, then by code). */
  hazards: LedgerHazard[];
  /** Timeline per hazard id, oldest first. */
  events: Map<string, LedgerEvent[]>;
  /** Names of everyone the hazards and their timelines mention. */
  names: Map<string, string>;
}

async function namesOf(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  for (let index = 0; index < unique.length; index += CHUNK) {
    const rows = await db
      .select({ id: people.id, name: people.name })
      .from(people)
      .where(inArray(people.id, unique.slice(index, index + CHUNK)));
    for (const row of rows) names.set(row.id, row.name);
  }
  return names;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The school's 隐患台账: every hazard reported in [start, end) (either bound may be left open), with its
 * whole timeline and the names of the people involved.
 */
export async function loadLedger(
  db: Db,
  schoolId: string,
  range: { start?: Date; end?: Date } = {},
): Promise<LedgerData> {
  const rows = await db
    .select()
    .from(hazards)
    .where(
      and(
        eq(hazards.schoolId, schoolId),
        range.start ? gte(hazards.reportedAt, range.start) : undefined,
        range.end ? lt(hazards.reportedAt, range.end) : undefined,
      ),
    )
    .orderBy(asc(hazards.reportedAt), asc(hazards.code));
  const codes = new Map(rows.map((row) => [row.id, row.code]));
  const eventRows = [];
  const ids = rows.map((row) => row.id);
  for (let index = 0; index < ids.length; index += CHUNK) {
    eventRows.push(
      ...(await db
        .select()
        .from(hazardEvents)
        .where(inArray(hazardEvents.hazardId, ids.slice(index, index + CHUNK)))
        .orderBy(asc(hazardEvents.at), asc(hazardEvents.id))),
    );
  }
  const mentioned: string[] = [];
  for (const row of rows) {
    for (const id of [row.reporterId, row.ownerId, row.verifiedBy]) if (id) mentioned.push(id);
  }
  for (const row of eventRows) {
    if (row.actorId) mentioned.push(row.actorId);
    const ownerId = row.detail.ownerId;
    if (typeof ownerId === 'string' && UUID.test(ownerId)) mentioned.push(ownerId);
  }
  const names = await namesOf(db, mentioned);
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const events = new Map<string, LedgerEvent[]>(rows.map((row) => [row.id, []]));
  for (const row of eventRows) {
    events.get(row.hazardId)!.push({
      code: codes.get(row.hazardId)!,
      at: row.at,
      actorName: name(row.actorId),
      action: row.action,
      fromStatus: row.fromStatus,
      toStatus: row.toStatus,
      note: row.note,
      detail: row.detail,
      attachments: row.attachments,
    });
  }
  return {
    hazards: rows.map((row) => ({
      id: row.id,
      code: row.code,
      reportedAt: row.reportedAt,
      reporterName: name(row.reporterId) ?? '',
      location: row.location,
      description: row.description,
      category: row.category,
      level: row.level,
      measures: row.measures,
      ownerName: name(row.ownerId),
      deadline: row.deadline,
      funds: row.funds,
      interimPlan: row.interimPlan,
      fixedAt: row.fixedAt,
      verifierName: name(row.verifiedBy),
      verifyResult: row.verifyResult,
      closedAt: row.closedAt,
      status: row.status,
    })),
    events,
    names,
  };
}
