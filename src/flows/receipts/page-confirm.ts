import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import { createBurstCommitter } from '../../db/group-commit.js';
import type { BurstPool, Db } from '../../db/types.js';
import type { BindingAnswer } from '../../domain/receipts/binding.js';
import { ADDRESS_BINDING_POLICY, attemptBindings } from './binding.js';
import { confirmMatches } from './confirm.js';
import { loadTargets, type ReceiptTarget } from './target.js';

/**
 * The receipt page's form (child's name + last four digits) for a burst of parents at once: one
 * transaction per batch looks up the campaigns, locks and judges the attempt counters in order, and writes
 * the counters and all receipts in a statement each. Every parent is answered only after the commit.
 */

export interface PageSubmission {
  campaignId: string;
  classId: string;
  answer: BindingAnswer;
  /** The page's device cookie ('dev:…') and the client address: the two attempt counters. */
  deviceId: string;
  address: string;
}

export type PageOutcome =
  | { kind: 'unavailable'; reason: string; closed: boolean }
  | { kind: 'refused'; target: ReceiptTarget; reason: string }
  | { kind: 'confirmed'; target: ReceiptTarget; text: string };

export async function confirmFromPages(
  db: Db,
  submissions: readonly PageSubmission[],
  now: Date,
  letters?: readonly LetterTemplate[],
): Promise<PageOutcome[]> {
  const targets = await loadTargets(db, submissions, now, letters);
  const open = submissions.flatMap((submission, index) => {
    const target = targets[index]!;
    return target.ok ? [{ index, submission, target: target.target }] : [];
  });
  const bindings = await attemptBindings(
    db,
    open.map(({ submission }) => ({
      classId: submission.classId,
      answer: submission.answer,
      counters: [
        { key: { platform: 'h5', tenant: '', userId: submission.deviceId, classId: submission.classId } },
        {
          key: { platform: 'h5-ip', tenant: '', userId: submission.address, classId: submission.classId },
          policy: ADDRESS_BINDING_POLICY,
        },
      ],
    })),
    now,
  );
  const texts = await confirmMatches(
    db,
    open.map(({ target }, position) => {
      const binding = bindings[position]!;
      return {
        campaignId: target.campaign.id,
        personId: null,
        channel: 'h5',
        matches: binding.ok ? binding.matches : [],
      };
    }),
    now,
  );

  const positions = new Map(open.map((entry, position) => [entry.index, position]));
  return targets.map((target, index): PageOutcome => {
    if (!target.ok) return { kind: 'unavailable', reason: target.reason, closed: Boolean(target.closed) };
    const position = positions.get(index)!;
    const binding = bindings[position]!;
    return binding.ok
      ? { kind: 'confirmed', target: target.target, text: texts[position]! }
      : { kind: 'refused', target: target.target, reason: binding.reason };
  });
}

/** Submissions arriving while a batch commits share the next one; a lone submission commits at once. */
export function createPageConfirmer(deps: {
  db: Db;
  burstPool?: BurstPool;
  now: () => Date;
  letters?: readonly LetterTemplate[];
}) {
  return createBurstCommitter<PageSubmission, PageOutcome>(deps, (db, submissions) =>
    db.transaction((tx) => confirmFromPages(tx, submissions, deps.now(), deps.letters)),
  );
}
