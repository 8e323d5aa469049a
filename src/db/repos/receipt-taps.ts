import { sql } from 'drizzle-orm';
import { executePrepared } from '../prepared.js';
import { iso, rowsOf } from '../rows.js';
import type { Db } from '../types.js';
import { inboundKeyText } from './inbound-events.js';

/**
 * A burst of "我已阅读并承诺" taps in one statement (one round trip, one commit). For each tap it finds
 * the plain case the flow would confirm — an open campaign covering the card's class, a person behind the
 * chat identity who is a roster guardian of students in that class, and a chat that is not another
 * class's parents' group — claims those taps' dedupe keys, and inserts their receipts, each student going
 * to the first claimed tap that names them. Taps that are not the plain case touch nothing (their keys
 * stay free for the flow's own path). The rules are those of resolveConfirmation and the flow's target
 * check (src/flows/receipts), written once more here as SQL because this is the hot path.
 */

export interface TapRequest {
  platform: string;
  tenant: string;
  userId: string;
  chatId: string;
  /** Distinct within one call. */
  eventId: string;
  campaignId: string;
  classId: string;
}

export interface TapOutcome {
  /** false: a redelivery whose key was seen before — nothing written. */
  claimed: boolean;
  /** The tapper's students in the class, id → name. */
  names: Map<string, string>;
  /** The students whose receipt this tap recorded now. */
  recorded: Set<string>;
}

interface Row {
  kind: 'link' | 'claimed' | 'inserted';
  idx: number | null;
  a: string;
  b: string;
}

/** An outcome per tap, in order; null where the tap is not the plain case. */
export async function confirmTaps(db: Db, taps: readonly TapRequest[], at: Date): Promise<(TapOutcome | null)[]> {
  if (taps.length === 0) return [];
  const requests = JSON.stringify(
    taps.map((tap, idx) => ({
      idx,
      platform: tap.platform,
      tenant: tap.tenant,
      user_id: tap.userId,
      chat_id: tap.chatId,
      event_id: tap.eventId,
      campaign_id: tap.campaignId,
      class_id: tap.classId,
    })),
  );
  // Keys and rows in one global order, so concurrent bursts wait for each other instead of deadlocking.
  const result = await executePrepared(
    db,
    sql`
    with req as (
      select * from json_to_recordset(${requests}::json)
        as r(idx int, platform text, tenant text, user_id text, chat_id text, event_id text, campaign_id uuid, class_id uuid)
    ),
    links as (
      select r.idx, r.platform, r.event_id, r.campaign_id, pa.person_id, g.id as guardian_id,
             s.id as student_id, s.name as student_name, sg.relation
      from req r
      join campaigns c on c.id = r.campaign_id and c.status = 'open' and c.deadline >= ${iso(at)}::timestamptz
      join campaign_classes cc on cc.campaign_id = r.campaign_id and cc.class_id = r.class_id
      join platform_accounts pa on pa.platform = r.platform and pa.tenant = r.tenant and pa.user_id = r.user_id
      join guardians g on g.person_id = pa.person_id
      join student_guardians sg on sg.guardian_id = g.id
      join students s on s.id = sg.student_id and s.class_id = r.class_id
      where not exists (
        select 1 from chats ch
        where ch.platform = r.platform and ch.tenant = r.tenant and ch.chat_id = r.chat_id and ch.active
          and ch.kind = 'class_parents' and ch.class_id is not null and ch.class_id <> r.class_id
      )
    ),
    claimed as (
      insert into inbound_events (platform, event_id)
      select distinct platform, event_id from links order by platform, event_id
      on conflict do nothing
      returning platform, event_id
    ),
    -- The CTEs' row estimates are 1, so a join with claimed is planned as a nested loop rescanning claimed for
    -- every link; one array of the claimed keys, built once and compared in memory, costs a fraction of that.
    chosen as (
      select distinct on (l.campaign_id, l.student_id) l.*
      from links l
      where l.platform || '|' || l.event_id = any(array(select platform || '|' || event_id from claimed))
      order by l.campaign_id, l.student_id, l.idx, l.guardian_id
    ),
    inserted as (
      insert into receipts (campaign_id, student_id, guardian_id, person_id, relation, channel, confirmed_at)
      select campaign_id, student_id, guardian_id, person_id, relation, 'card', ${iso(at)}::timestamptz
      from chosen order by campaign_id, student_id
      on conflict (campaign_id, student_id) do nothing
      returning campaign_id, student_id
    )
    select 'link' as kind, idx, student_id::text as a, student_name as b from links
    union all
    select 'claimed', null, platform, event_id from claimed
    union all
    select 'inserted', null, campaign_id::text, student_id::text from inserted`,
  );

  const outcomes: (TapOutcome | null)[] = taps.map(() => null);
  const claimed = new Set<string>();
  const inserted = new Set<string>();
  for (const row of rowsOf<Row>(result)) {
    if (row.kind === 'claimed') claimed.add(inboundKeyText({ platform: row.a, eventId: row.b }));
    else if (row.kind === 'inserted') inserted.add(`${row.a}|${row.b}`);
    else {
      const idx = Number(row.idx);
      const outcome = outcomes[idx] ?? {
        claimed: false,
        names: new Map<string, string>(),
        recorded: new Set<string>(),
      };
      outcomes[idx] = outcome;
      if (!outcome.names.has(row.a)) outcome.names.set(row.a, row.b);
    }
  }
  // The first claimed tap naming a student is the one whose row `chosen` kept (distinct on, by idx).
  const taken = new Set<string>();
  for (const [idx, tap] of taps.entries()) {
    const outcome = outcomes[idx];
    if (!outcome || !claimed.has(inboundKeyText({ platform: tap.platform, eventId: tap.eventId }))) continue;
    outcome.claimed = true;
    for (const studentId of outcome.names.keys()) {
      const key = `${tap.campaignId.toLowerCase()}|${studentId}`;
      if (taken.has(key)) continue;
      taken.add(key);
      if (inserted.has(key)) outcome.recorded.add(studentId);
    }
  }
  return outcomes;
}
