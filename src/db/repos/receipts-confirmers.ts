import { sql } from 'drizzle-orm';
import { rowsOf } from '../rows.js';
import type { ChatKind } from '../schema.js';
import type { Db } from '../types.js';
import type { GuardianLink } from './receipts-guardians.js';

/**
 * Who is tapping "我已阅读并承诺", for a burst of taps in one query: the person behind each chat
 * identity, the chat the card was tapped in, and the person's student–guardian links in every class.
 */

export interface ConfirmerLookup {
  platform: string;
  tenant: string;
  userId: string;
  chatId: string;
}

export interface Confirmer {
  personId: string | null;
  chat: { kind: ChatKind; classId: string | null } | null;
  links: GuardianLink[];
}

interface ConfirmerRow {
  idx: number;
  person_id: string | null;
  chat_kind: ChatKind | null;
  chat_class_id: string | null;
  guardian_id: string | null;
  student_id: string | null;
  student_name: string | null;
  class_id: string | null;
  relation: string | null;
}

/** One result per lookup, in order. */
export async function findConfirmers(db: Db, lookups: readonly ConfirmerLookup[]): Promise<Confirmer[]> {
  const found: Confirmer[] = lookups.map(() => ({ personId: null, chat: null, links: [] }));
  if (lookups.length === 0) return found;
  const wanted = JSON.stringify(
    lookups.map((lookup, idx) => ({
      idx,
      platform: lookup.platform,
      tenant: lookup.tenant,
      user_id: lookup.userId,
      chat_id: lookup.chatId,
    })),
  );
  const result = await db.execute(sql`
    select q.idx, p.id as person_id, ch.kind as chat_kind, ch.class_id as chat_class_id,
           g.id as guardian_id, s.id as student_id, s.name as student_name, s.class_id, sg.relation
    from json_to_recordset(${wanted}::json) as q(idx int, platform text, tenant text, user_id text, chat_id text)
    left join platform_accounts pa on pa.platform = q.platform and pa.tenant = q.tenant and pa.user_id = q.user_id
    left join people p on p.id = pa.person_id
    left join chats ch on ch.platform = q.platform and ch.tenant = q.tenant and ch.chat_id = q.chat_id and ch.active
    left join guardians g on g.person_id = p.id
    left join student_guardians sg on sg.guardian_id = g.id
    left join students s on s.id = sg.student_id`);
  for (const row of rowsOf<ConfirmerRow>(result)) {
    const confirmer = found[Number(row.idx)]!;
    confirmer.personId = row.person_id;
    confirmer.chat = row.chat_kind ? { kind: row.chat_kind, classId: row.chat_class_id } : null;
    if (row.guardian_id && row.student_id && row.student_name && row.class_id && row.relation !== null) {
      confirmer.links.push({
        guardianId: row.guardian_id,
        studentId: row.student_id,
        studentName: row.student_name,
        classId: row.class_id,
        relation: row.relation,
      });
    }
  }
  return found;
}
