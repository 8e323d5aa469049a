import { addGrant, ensurePersonForAccount } from '../../db/repos/identity.js';
import { type NewReceipt, type ReceiptChannel, insertReceipts } from '../../db/repos/receipts.js';
import {
  addAccountToPerson,
  bindGuardians,
  guardianLinksOfPerson,
  personsOfGuardians,
} from '../../db/repos/receipts-guardians.js';
import type { Db } from '../../db/types.js';
import type { BindingAnswer, BindingMatch } from '../../domain/receipts/binding.js';
import { type AttemptCounter, attemptBinding } from './binding.js';
import { confirmationText, firstConfirmationWins, resolveConfirmation } from './confirm-request.js';
import type { ReceiptTarget } from './target.js';

/** Confirming for a known guardian, and binding an unknown one first (card and keyword paths). */

export type ConfirmOutcome =
  | { kind: 'confirmed'; text: string; newCount: number }
  | { kind: 'unknown' }
  | { kind: 'other_class'; text: string };

export const OTHER_CLASS_TEXT =
  '您登记的孩子不在这个班，无法为本班确认。如果您也是本班学生的家长，请联系班主任核对名册上登记的手机号。';

/** One receipt per student of the class the person is a guardian of; the first confirmation wins. */
export async function confirmAsPerson(
  db: Db,
  target: ReceiptTarget,
  personId: string | null,
  channel: ReceiptChannel,
  now: Date,
): Promise<ConfirmOutcome> {
  const links = personId ? await guardianLinksOfPerson(db, personId) : [];
  const resolution = resolveConfirmation({
    campaignId: target.campaign.id,
    classId: target.classId,
    channel,
    personId,
    links,
    at: now,
  });
  if (!resolution.ok)
    return resolution.code === 'other_class' ? { kind: 'other_class', text: OTHER_CLASS_TEXT } : { kind: 'unknown' };
  const [fresh] = await recordConfirmations(db, [resolution.rows]);
  return { kind: 'confirmed', text: confirmationText(resolution.studentNames, fresh!), newCount: fresh!.size };
}

/** Writes a burst's receipts in one INSERT; per request, the students whose receipt it recorded now. */
export async function recordConfirmations(
  db: Db,
  perRequest: readonly (readonly NewReceipt[])[],
): Promise<Set<string>[]> {
  const assigned = firstConfirmationWins(perRequest);
  const inserted = new Set(
    (await insertReceipts(db, assigned.flat())).map((row) => `${row.campaignId}|${row.studentId}`),
  );
  return assigned.map(
    (rows) =>
      new Set(rows.filter((row) => inserted.has(`${row.campaignId}|${row.studentId}`)).map((row) => row.studentId)),
  );
}

export interface MatchedConfirmation {
  campaignId: string;
  personId: string | null;
  channel: ReceiptChannel;
  /** The roster matches of a binding answer: every student of the class linked to the guardian(s). */
  matches: readonly BindingMatch[];
}

/** Receipts for answered binding forms (card or page), in one INSERT; the confirmer's text per request. */
export async function confirmMatches(db: Db, requests: readonly MatchedConfirmation[], now: Date): Promise<string[]> {
  const recorded = await recordConfirmations(
    db,
    requests.map(({ campaignId, personId, channel, matches }) =>
      matches.map((match) => ({
        campaignId,
        studentId: match.studentId,
        guardianId: match.guardianId,
        personId,
        relation: match.relation,
        channel,
        confirmedAt: now,
      })),
    ),
  );
  return requests.map(({ matches }, index) =>
    confirmationText(new Map(matches.map((match) => [match.studentId, match.studentName])), recorded[index]!),
  );
}

export interface ChatIdentity {
  platform: string;
  tenant: string;
  userId: string;
  name: string;
  personId: string | null;
}

export type BindOutcome = { ok: true; text: string; personId: string } | { ok: false; reason: string };

/**
 * Checks the answer (lockout per chat identity and class), binds the roster guardian(s) to the chat
 * identity — the person the guardian already has when they bound from another platform — grants the
 * parent role for the class, and records the receipts of every matched student of the class.
 */
export async function bindAndConfirm(
  db: Db,
  target: ReceiptTarget,
  identity: ChatIdentity,
  answer: BindingAnswer,
  now: Date,
): Promise<BindOutcome> {
  const counter: AttemptCounter = {
    key: { platform: identity.platform, tenant: identity.tenant, userId: identity.userId, classId: target.classId },
  };
  const outcome = await attemptBinding(db, [counter], answer, target.classId, now);
  if (!outcome.ok) return { ok: false, reason: outcome.reason };

  let personId = identity.personId;
  if (!personId) {
    const existing = await personsOfGuardians(db, outcome.guardianIds);
    if (existing.length === 1) {
      personId = existing[0]!;
      const { platform, tenant, userId, name } = identity;
      await addAccountToPerson(db, { personId, platform, tenant, userId, name });
    } else {
      personId = (await ensurePersonForAccount(db, identity)).personId;
    }
  }
  await bindGuardians(db, outcome.guardianIds, personId);
  await addGrant(db, { personId, role: 'parent', schoolId: target.campaign.schoolId, classId: target.classId });

  const [text] = await confirmMatches(
    db,
    [{ campaignId: target.campaign.id, personId, channel: 'card', matches: outcome.matches }],
    now,
  );
  return { ok: true, personId, text: `身份核对通过。${text}` };
}
