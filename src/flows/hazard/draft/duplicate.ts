import { findDuplicate } from '../../../domain/hazard/index.js';
import { openHazardsInCategory } from '../../../db/repos/hazards.js';
import type { Db } from '../../../db/types.js';

/** The open hazard at the same place and category that a report most likely repeats. */
export async function duplicateOf(
  db: Db,
  schoolId: string,
  report: { category: string; location: string },
): Promise<string | null> {
  const candidates = await openHazardsInCategory(db, schoolId, report.category);
  return findDuplicate(report, candidates)?.hazard.id ?? null;
}
