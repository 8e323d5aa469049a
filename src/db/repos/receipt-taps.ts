import { sql } from 'drizzle-orm';
import { rowsOf } from '../rows.js';
import { inboundKeyText } from './inbound-events.js';
import type { Db } from '../types.js';
import { RECEIPT_ROW_COLUMNS, type NewReceipt, receiptRowsJson } from './receipts.js';

/**
 * A burst of card taps written in one statement (one commit): each tap's dedupe key is claimed, and the
 * receipts of the claimed taps are inserted with each student going to the first tap that names them.
 * A tap whose key was seen before (a platform's redelivery) writes nothing.
 */

export interface Tap {
  platform: string;
  eventId: string;
  rows: readonly NewReceipt[];
}

export interface TapOutcome {
  claimed: boolean;
  /** The students whose receipt this tap recorded now. */
  recorded: Set<string>;
}

export async function recordTaps(db: Db, taps: readonly Tap[]): Promise<TapOutcome[]> {
  const outcomes = taps.map((): TapOutcome => ({ claimed: false, recorded: new Set() }));
  if (taps.length === 0) return outcomes;
  const keys = JSON.stringify(taps.map((tap, idx) => ({ idx, platform: tap.platform, event_id: tap.eventId })));
  const rows = receiptRowsJson(
    taps.flatMap((tap, idx) => tap.rows.map((row) => ({ ...row, idx, platform: tap.platform, eventId: tap.eventId }))),
  );
  // Keys and rows in one global order, so concurrent bursts wait for each other instead of deadlocking.
  const result = await db.execute(sql`
    with keys as (
      select * from json_to_recordset(${keys}::json) as k(idx int, platform text, event_id text)
    ),
    claimed as (
      insert into inbound_events (platform, event_id)
      select platform, event_id from keys order by platform, event_id
      on conflict do nothing
      returning platform, event_id
    ),
    chosen as (
      select distinct on (w.campaign_id, w.student_id) w.*
      from json_to_recordset(${rows}::json) as w(${RECEIPT_ROW_COLUMNS})
      join claimed c on c.platform = w.platform and c.event_id = w.event_id
      order by w.campaign_id, w.student_id, w.idx
    ),
    inserted as (
      insert into receipts (campaign_id, student_id, guardian_id, person_id, relation, channel, confirmed_at)
      select campaign_id, student_id, guardian_id, person_id, relation, channel, confirmed_at
      from chosen order by campaign_id, student_id
      on conflict (campaign_id, student_id) do nothing
      returning campaign_id, student_id
    )
    select 'claimed' as kind, platform as a, event_id as b from claimed
    union all
    select 'inserted', campaign_id::text, student_id::text from inserted`);
  // Attributed here rather than by a join in SQL: the first claimed tap naming a student is the one whose
  // row `chosen` kept, exactly as distinct on (campaign, student) ordered by idx.
  const claimed = new Set<string>();
  const inserted = new Set<string>();
  for (const row of rowsOf<{ kind: string; a: string; b: string }>(result)) {
    if (row.kind === 'claimed') claimed.add(inboundKeyText({ platform: row.a, eventId: row.b }));
    else inserted.add(`${row.a}|${row.b}`);
  }
  const taken = new Set<string>();
  for (const [idx, tap] of taps.entries()) {
    if (!claimed.has(inboundKeyText({ platform: tap.platform, eventId: tap.eventId }))) continue;
    const outcome = outcomes[idx]!;
    outcome.claimed = true;
    for (const row of tap.rows) {
      const key = `${row.campaignId}|${row.studentId}`;
      if (taken.has(key)) continue;
      taken.add(key);
      if (inserted.has(key)) outcome.recorded.add(row.studentId);
    }
  }
  return outcomes;
}
