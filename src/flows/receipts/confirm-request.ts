import type { NewReceipt, ReceiptChannel } from '../../db/repos/receipts.js';

/**
 * The pure step between "someone confirmed" and the INSERT: which students the confirmer answers for in
 * this class, as receipt rows. Kept free of I/O so a batcher can resolve many requests and write their
 * rows in one multi-row insert (insertReceipts).
 */

export interface ConfirmerLink {
  guardianId: string;
  studentId: string;
  studentName: string;
  classId: string;
  relation: string;
}

export interface ConfirmRequest {
  campaignId: string;
  classId: string;
  channel: ReceiptChannel;
  personId: string | null;
  /** The confirmer's guardian links in any class (siblings elsewhere are not confirmed from this class). */
  links: readonly ConfirmerLink[];
  at: Date;
}

export type ConfirmResolution =
  | {
      ok: true;
      studentIds: string[];
      /** The guardian of the first student: who the confirmation is recorded as (each row keeps its own). */
      guardianId: string;
      personId: string | null;
      channel: ReceiptChannel;
      studentNames: Map<string, string>;
      rows: NewReceipt[];
    }
  | {
      ok: false;
      /** not_guardian: nobody we can place on the roster · other_class: a guardian, but not in this class. */
      code: 'not_guardian' | 'other_class';
    };

export function resolveConfirmation(request: ConfirmRequest): ConfirmResolution {
  if (request.links.length === 0) return { ok: false, code: 'not_guardian' };
  const inClass = request.links.filter((link) => link.classId === request.classId);
  if (inClass.length === 0) return { ok: false, code: 'other_class' };
  const byStudent = new Map<string, ConfirmerLink>();
  for (const link of inClass) if (!byStudent.has(link.studentId)) byStudent.set(link.studentId, link);
  const chosen = [...byStudent.values()];
  return {
    ok: true,
    studentIds: chosen.map((link) => link.studentId),
    guardianId: chosen[0]!.guardianId,
    personId: request.personId,
    channel: request.channel,
    studentNames: new Map(chosen.map((link) => [link.studentId, link.studentName])),
    rows: chosen.map((link) => ({
      campaignId: request.campaignId,
      studentId: link.studentId,
      guardianId: link.guardianId,
      personId: request.personId,
      relation: link.relation,
      channel: request.channel,
      confirmedAt: request.at,
    })),
  };
}

/** The confirmer's private answer: who was confirmed now, and who had been already. */
export function confirmationText(names: Map<string, string>, insertedIds: ReadonlySet<string>): string {
  const fresh = [...names].filter(([id]) => insertedIds.has(id)).map(([, name]) => name);
  const earlier = [...names].filter(([id]) => !insertedIds.has(id)).map(([, name]) => name);
  if (fresh.length === 0) return '已确认，无需重复。';
  const tail = earlier.length > 0 ? `（${earlier.join('、')} 此前已确认）` : '';
  return `已确认：${fresh.join('、')}${tail}。感谢您的配合！`;
}

/**
 * A burst of confirmations written as one INSERT: each student's row stays with the first request that
 * confirms them, so every inserted row has exactly one request to thank and later ones read "已确认".
 */
export function firstConfirmationWins(perRequest: readonly (readonly NewReceipt[])[]): NewReceipt[][] {
  const taken = new Set<string>();
  return perRequest.map((rows) =>
    rows.filter((row) => {
      const key = `${row.campaignId}|${row.studentId}`;
      if (taken.has(key)) return false;
      taken.add(key);
      return true;
    }),
  );
}
