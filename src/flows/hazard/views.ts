import type { DraftRow } from '../../db/repos/hazard-drafts.js';
import { timelineOf } from '../../db/repos/hazard-events.js';
import { findHazardById, type HazardRow } from '../../db/repos/hazards.js';
import { namesOf } from '../../db/repos/school-people.js';
import type { Db } from '../../db/types.js';
import type { Card } from '../../model/card.js';
import type { DraftView } from './cards/draft-card.js';
import { type RecordView, recordCard, type TimelineView } from './cards/record-card.js';
import type { RecordFormKind } from './cards/record-forms.js';
import type { HazardDeps } from './deps.js';

const photoCount = (attachments: readonly { kind: string }[]) =>
  attachments.filter((attachment) => attachment.kind === 'image').length;

export async function draftView(db: Db, draft: DraftRow): Promise<DraftView> {
  const names = await namesOf(db, [draft.reporterId]);
  const duplicate = draft.duplicateOf ? await findHazardById(db, draft.duplicateOf) : null;
  return {
    id: draft.id,
    category: draft.category,
    level: draft.level,
    location: draft.location,
    description: draft.description,
    photoCount: photoCount(draft.attachments),
    deadlineHint: draft.deadlineHint,
    reporterName: names.get(draft.reporterId) ?? '',
    duplicate: duplicate ? { code: duplicate.code, location: duplicate.location, status: duplicate.status } : null,
  };
}

export async function recordView(db: Db, hazard: HazardRow): Promise<RecordView> {
  const names = await namesOf(db, [hazard.reporterId, hazard.ownerId, hazard.fixedBy, hazard.verifiedBy]);
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  return {
    ...hazard,
    reporterName: name(hazard.reporterId) ?? '',
    ownerName: name(hazard.ownerId),
    fixerName: name(hazard.fixedBy),
    verifierName: name(hazard.verifiedBy),
  };
}

export async function timelineViews(db: Db, hazardId: string, limit: number): Promise<TimelineView[]> {
  const rows = await timelineOf(db, hazardId, limit);
  const names = await namesOf(
    db,
    rows.map((row) => row.actorId),
  );
  return rows.map((row) => ({
    at: row.at,
    actorName: row.actorId ? (names.get(row.actorId) ?? null) : null,
    action: row.action,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    note: row.note,
    photoCount: photoCount(row.attachments),
  }));
}

/** The record card of a hazard as it is now in this transaction. */
export async function recordCardOf(
  db: Db,
  deps: HazardDeps,
  hazard: HazardRow,
  options: { timeZone: string; now: Date; form?: RecordFormKind; title?: string },
): Promise<Card> {
  const view = await recordView(db, hazard);
  const timeline = await timelineViews(db, hazard.id, deps.settings.timelineLimit);
  return recordCard(view, timeline, { taxonomy: deps.taxonomy, ...options });
}
