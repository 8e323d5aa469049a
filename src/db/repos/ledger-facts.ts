import { and, eq, exists, gte, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { HazardFacts, StatusChange } from '../../domain/ledger/types.js';
import { HAZARD_STATUSES, type HazardStatus, hazardEvents, hazards } from '../schema.js';
import type { Db } from '../types.js';

const OPEN = ['reported', 'rectifying', 'verifying'] as const;
const CHUNK = 500;

const isStatus = (value: string | null): value is HazardStatus =>
  value !== null && (HAZARD_STATUSES as readonly string[]).includes(value);

/** The deadline an entry's detail names (assign, reject and reopen write one); undefined when it names none. */
function deadlineOf(detail: Record<string, unknown>): Date | null | undefined {
  if (!('deadline' in detail)) return undefined;
  const value = detail.deadline;
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

async function statusChanges(db: Db, hazardIds: readonly string[]): Promise<Map<string, StatusChange[]>> {
  const byHazard = new Map<string, StatusChange[]>();
  for (let index = 0; index < hazardIds.length; index += CHUNK) {
    const rows = await db
      .select({
        hazardId: hazardEvents.hazardId,
        at: hazardEvents.at,
        fromStatus: hazardEvents.fromStatus,
        toStatus: hazardEvents.toStatus,
        detail: hazardEvents.detail,
      })
      .from(hazardEvents)
      .where(
        and(inArray(hazardEvents.hazardId, hazardIds.slice(index, index + CHUNK)), isNotNull(hazardEvents.toStatus)),
      );
    for (const row of rows) {
      if (!isStatus(row.toStatus)) continue;
      const deadline = deadlineOf(row.detail);
      const change: StatusChange = {
        at: row.at,
        fromStatus: isStatus(row.fromStatus) ? row.fromStatus : null,
        toStatus: row.toStatus,
        ...(deadline !== undefined ? { deadline } : {}),
      };
      const list = byHazard.get(row.hazardId) ?? [];
      list.push(change);
      byHazard.set(row.hazardId, list);
    }
  }
  return byHazard;
}

/**
 * The facts the monthly and statistics maths reads, per school: every hazard reported before `end`
 * that could have been active in [start, end) — still open, reported in the span, or touched since
 * `start` — with its status history. Hazards closed for good before `start` are left out.
 */
export async function loadHazardFacts(
  db: Db,
  schoolIds: readonly string[],
  period: { start: Date; end: Date },
): Promise<Map<string, HazardFacts[]>> {
  const bySchool = new Map<string, HazardFacts[]>(schoolIds.map((id) => [id, []]));
  if (schoolIds.length === 0) return bySchool;
  const touchedSince = db
    .select({ id: hazardEvents.id })
    .from(hazardEvents)
    .where(and(eq(hazardEvents.hazardId, hazards.id), gte(hazardEvents.at, period.start)));
  const rows = await db
    .select({
      id: hazards.id,
      schoolId: hazards.schoolId,
      code: hazards.code,
      category: hazards.category,
      level: hazards.level,
      status: hazards.status,
      reportedAt: hazards.reportedAt,
      deadline: hazards.deadline,
      closedAt: hazards.closedAt,
      updatedAt: hazards.updatedAt,
    })
    .from(hazards)
    .where(
      and(
        inArray(hazards.schoolId, [...schoolIds]),
        lt(hazards.reportedAt, period.end),
        or(
          inArray(hazards.status, [...OPEN]),
          gte(hazards.reportedAt, period.start),
          gte(hazards.closedAt, period.start),
          gte(hazards.updatedAt, period.start),
          exists(touchedSince),
        ),
      ),
    );
  const history = await statusChanges(
    db,
    rows.map((row) => row.id),
  );
  for (const { schoolId, ...row } of rows) {
    bySchool.get(schoolId)?.push({ ...row, history: history.get(row.id) ?? [] });
  }
  return bySchool;
}
