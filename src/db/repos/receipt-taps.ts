import { sql } from 'drizzle-orm';
import { rowsOf } from '../rows.js';
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
    select k.idx, null::uuid as student_id
    from keys k join claimed c on c.platform = k.platform and c.event_id = k.event_id
    union all
    select ch.idx, i.student_id
    from inserted i join chosen ch on ch.campaign_id = i.campaign_id and ch.student_id = i.student_id`);
  for (const row of rowsOf<{ idx: number; student_id: string | null }>(result)) {
    const outcome = outcomes[Number(row.idx)]!;
    if (row.student_id === null) outcome.claimed = true;
    else outcome.recorded.add(row.student_id);
  }
  return outcomes;
}
