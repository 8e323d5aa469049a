/**
 * `npm run bench:tick`: the scheduler tick on real PostgreSQL over 500 schools, 10,000 class teachers
 * (programme recipients) and 100,000 hazards in rectification, most of them not due. It shows that a
 * tick costs what is due, not what exists: a quiet minute costs the same over 10,000 and 100,000 open
 * hazards, and the busy minutes grow with the occurrences they send. EXPLAIN shows the index ranges.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:tick
 *
 * Each scenario: clear occurrences and outbox, tick one minute before (absorbs anything due earlier),
 * then time the tick at the scenario's minute ("cold": sends its occurrences) and again at the same
 * minute ("warm": everything already fired — the steady per-minute cost).
 */
import { cpus } from 'node:os';
import postgres from 'postgres';
import { loadBotFlows } from '../../bot-flows/index.js';
import { connectPostgres } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.node.js';
import { createSignedLinks } from '../../src/http/signed-links.js';
import type { Log } from '../../src/platforms/types.js';
import { createTick, type TickSummary } from '../../src/scheduler/tick.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHOOLS = 500;
const TEACHERS_PER_SCHOOL = 20;
const REPEAT = 3;
const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };

const sh = (local: string) => new Date(`${local}:00+08:00`);
/** Tuesday 22 September 2026, an ordinary school day. */
const DAY = '2026-09-22';
const NOW = sh(`${DAY}T09:00`);

const name = `xiaoan_bench_tick_${process.pid}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${name}`);
await admin.unsafe(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const database = connectPostgres(url.toString(), { max: 8 });
const raw = postgres(url.toString(), { max: 2, onnotice: () => {} });

async function seedOrg(): Promise<void> {
  await raw`insert into districts (code, name) values ('bench', '基准区教育局')`;
  await raw`
    insert into schools (district_id, code, name)
    select d.id, 'b' || lpad(g::text, 4, '0'), '基准学校' || g from districts d, generate_series(1, ${SCHOOLS}::int) g`;
  await raw`
    insert into chats (platform, tenant, chat_id, school_id, kind)
    select 'feishu', 'cli_bench', 'oc_' || s.code || '_' || k, s.id, k from schools s, unnest(array['staff', 'leaders']) k`;
  // Class teachers, plus one safety officer, one principal per school and one bureau officer.
  await raw`
    insert into people (name) select '老师' || g from generate_series(1, ${SCHOOLS * TEACHERS_PER_SCHOOL + SCHOOLS * 2 + 1}::int) g`;
  await raw`
    with numbered as (select id, row_number() over (order by id) - 1 as n from people)
    insert into platform_accounts (person_id, platform, tenant, user_id)
    select id, 'feishu', 'cli_bench', 'ou_' || n from numbered`;
  await raw`
    insert into classes (school_id, name)
    select s.id, t || '班' from schools s, generate_series(1, ${TEACHERS_PER_SCHOOL}::int) t`;
  await raw`
    with s as (select id, district_id, row_number() over (order by code) - 1 as i from schools),
         p as (select id, row_number() over (order by id) - 1 as n from people),
         c as (select id, school_id, row_number() over (partition by school_id order by name) - 1 as j from classes)
    insert into role_grants (person_id, role, district_id, school_id, class_id)
    select p.id, 'class_teacher', s.district_id, s.id, c.id
    from s join c on c.school_id = s.id join p on p.n = s.i * ${TEACHERS_PER_SCHOOL} + c.j`;
  await raw`
    with s as (select id, district_id, row_number() over (order by code) - 1 as i from schools),
         p as (select id, row_number() over (order by id) - 1 as n from people)
    insert into role_grants (person_id, role, district_id, school_id)
    select p.id, case when p.n % 2 = 0 then 'safety_officer' else 'principal' end, s.district_id, s.id
    from s join p on p.n in (${SCHOOLS * TEACHERS_PER_SCHOOL} + s.i * 2, ${SCHOOLS * TEACHERS_PER_SCHOOL} + s.i * 2 + 1)`;
  await raw`
    insert into role_grants (person_id, role, district_id, school_id)
    select (select id from people order by id offset ${SCHOOLS * TEACHERS_PER_SCHOOL + SCHOOLS * 2} limit 1),
           'bureau', d.id, (select id from schools order by code limit 1)
    from districts d`;
}

/**
 * Hazards numbered from `from`: per thousand, 3 overdue by 1–10 days, 2 due within 24 h, the rest due
 * in 2–120 days. `farOnly` makes every one of them due in 2–120 days (existing, never due now).
 */
async function seedHazards(from: number, count: number, farOnly: boolean): Promise<void> {
  await raw`
    with s as (select id, row_number() over (order by code) - 1 as i from schools),
         t as (select person_id, school_id, row_number() over (partition by school_id order by person_id) - 1 as j
               from role_grants where role = 'class_teacher')
    insert into hazards (school_id, code, status, category, level, location, description, reporter_id, reported_at,
                         owner_id, deadline)
    select s.id, 'YH-2026-' || lpad(g::text, 6, '0'), 'rectifying', 'fire',
           case when g % 97 = 0 then 'major' else 'general' end, '教学楼', '隐患 ' || g, t.person_id,
           ${NOW.toISOString()}::timestamptz - interval '20 days', t.person_id,
           case when not ${farOnly} and g % 1000 < 3 then ${NOW.toISOString()}::timestamptz - ((g % 10) + 1) * interval '1 day' - interval '6 hours'
                when not ${farOnly} and g % 1000 < 5 then ${NOW.toISOString()}::timestamptz + ((g % 23) + 1) * interval '1 hour'
                else ${NOW.toISOString()}::timestamptz + (2 + g % 119) * interval '1 day' end
    from generate_series(${from}::int, ${from + count - 1}::int) g
    join s on s.i = g % ${SCHOOLS}
    join t on t.school_id = s.id and t.j = (g / ${SCHOOLS}) % ${TEACHERS_PER_SCHOOL}`;
  await raw`analyze`;
}

/** Past incidents (first report done) and fired ad-hoc reminders: what a year leaves behind. */
async function seedHistory(): Promise<void> {
  await raw`
    insert into incidents (school_id, code, category, description, reporter_id, reported_at, first_report_due,
                           first_report_at, status)
    select s.id, 'SG-' || g, 'health', '事故 ' || g, p.id, ${NOW.toISOString()}::timestamptz - g * interval '10 minutes',
           ${NOW.toISOString()}::timestamptz - g * interval '10 minutes' + interval '1 hour',
           ${NOW.toISOString()}::timestamptz - g * interval '10 minutes' + interval '30 minutes',
           case when g <= 5 then 'open' else 'reported' end
    from generate_series(1, 20000) g
    join (select id, row_number() over (order by code) - 1 as i from schools) s on s.i = g % ${SCHOOLS}
    cross join (select id from people order by id limit 1) p`;
  await raw`
    insert into adhoc_reminders (school_id, created_by, text, audience, due_at, fired_at)
    select s.id, p.id, '提醒 ' || g, '{"kind":"people","ids":[]}',
           ${NOW.toISOString()}::timestamptz - g * interval '10 minutes' + interval '1 day',
           case when g <= 5 then null else ${NOW.toISOString()}::timestamptz - g * interval '10 minutes' + interval '1 day' end
    from generate_series(1, 20000) g
    join (select id, row_number() over (order by code) - 1 as i from schools) s on s.i = g % ${SCHOOLS}
    cross join (select id from people order by id limit 1) p`;
  await raw`analyze`;
}

const botFlows = loadBotFlows();
const tick = createTick({
  db: database.db,
  services: {
    links: createSignedLinks('bench-secret-bench-secret-bench-secret-0', 'http://127.0.0.1:8787'),
    log: silent,
    timezone: 'Asia/Shanghai',
    publicUrl: 'http://127.0.0.1:8787',
    secret: 'bench-secret-bench-secret-bench-secret-0',
  },
  calendar: botFlows.calendar,
  reminders: botFlows.reminders,
  escalation: botFlows.escalation,
});

interface Row {
  scenario: string;
  hazards: number;
  sent: number;
  cold: number;
  warm: number;
}
const table: Row[] = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(at: Date): Promise<{ ms: number; summary: TickSummary }> {
  const start = performance.now();
  const summary = await tick(at);
  return { ms: performance.now() - start, summary };
}

async function scenario(label: string, local: string, hazards: number): Promise<void> {
  const at = sh(local);
  const cold: number[] = [];
  const warm: number[] = [];
  let sent = 0;
  for (let run = 0; run < REPEAT; run++) {
    await raw`truncate occurrences, outbox`;
    await tick(new Date(at.getTime() - 60_000));
    const first = await timed(at);
    sent = first.summary.totals.enqueued;
    cold.push(first.ms);
    for (let again = 0; again < 3; again++) warm.push((await timed(at)).ms);
  }
  table.push({ scenario: label, hazards, sent, cold: median(cold), warm: median(warm) });
}

async function explain(label: string, query: string): Promise<void> {
  const plan = await raw.unsafe(`explain (analyze, costs off, timing off, summary off) ${query}`);
  const lines = plan.map((row) => String(row['QUERY PLAN']));
  console.log(`\n${label}\n${lines.map((line) => `  ${line}`).join('\n')}`);
}

try {
  await migrate(database);
  let started = performance.now();
  await seedOrg();
  await seedHazards(0, 10_000, false);
  console.log(
    `seeded ${SCHOOLS} schools, ${SCHOOLS * TEACHERS_PER_SCHOOL} class teachers, 10,000 hazards in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  await tick(sh(`${DAY}T06:00`)); // JIT warm-up
  await scenario('quiet minute (11:17)', `${DAY}T11:17`, 10_000);
  started = performance.now();
  await seedHazards(10_000, 90_000, true);
  console.log(`added 90,000 hazards due in 2–120 days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await scenario('quiet minute (11:17)', `${DAY}T11:17`, 100_000);
  await scenario('一日一醒 07:50 → 500 staff groups', `${DAY}T07:50`, 100_000);
  await scenario('personal digest 08:00 → owners', `${DAY}T08:00`, 100_000);
  await scenario('overdue nags + ladder 09:00', `${DAY}T09:00`, 100_000);
  await scenario('1530 at 15:29 → 10,000 class teachers', `${DAY}T15:29`, 100_000);
  await raw`
    update hazards set deadline = ${NOW.toISOString()}::timestamptz - interval '2 days 6 hours'
    where code in (select code from hazards where deadline > ${NOW.toISOString()}::timestamptz + interval '2 days' order by code limit 2700)`;
  await raw`analyze hazards`;
  await scenario('overdue nags + ladder 09:00, 10× overdue', `${DAY}T09:00`, 100_000);

  const cores = cpus().length;
  console.log(
    `\nmachine: ${cores} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, PostgreSQL at ${url.host}`,
  );
  console.log(
    `\n| scenario | open hazards | sent | tick, cold (ms) | tick, warm (ms) |\n|---|---:|---:|---:|---:|\n${table
      .map(
        (row) =>
          `| ${row.scenario} | ${row.hazards.toLocaleString('en')} | ${row.sent.toLocaleString('en')} | ${row.cold.toFixed(0)} | ${row.warm.toFixed(0)} |`,
      )
      .join('\n')}`,
  );

  await seedHistory();
  const horizon = new Date(NOW.getTime() + 24 * 3_600_000).toISOString();
  await explain(
    'hazards in rectification due within 24 h (hazards_open_deadline):',
    `select h.id from hazards h left join people p on p.id = h.owner_id where h.status = 'rectifying' and h.deadline <= '${horizon}'`,
  );
  await explain(
    'open incidents due (incidents_open_due):',
    `select id from incidents where status = 'open' and first_report_due <= '${horizon}'`,
  );
  await explain(
    'unfired ad-hoc reminders due (adhoc_reminders_due):',
    `select id from adhoc_reminders where fired_at is null and due_at <= '${horizon}' order by due_at limit 500`,
  );
  await explain(
    'fired-key probe (occurrences primary key):',
    `select key from occurrences where key = any(string_to_array('a' || chr(10) || 'b', chr(10)))`,
  );
} finally {
  await raw.end();
  await database.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
