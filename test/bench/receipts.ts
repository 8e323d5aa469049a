/**
 * `npm run bench:receipts`: durable receipt confirmations per second through the production paths (signed,
 * encrypted Feishu card callbacks and the H5 page) on real PostgreSQL, next to a bare Hono endpoint and a naive
 * one-INSERT-per-request endpoint measured in the same run on the same machine. Also checks that concurrent
 * double taps leave exactly one receipt per student.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:receipts [-- students connections]
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { buildCardActionEvent, signFeishuEvent } from '../fakes/feishu/events.js';
import { BENCH_FEISHU } from './receipts-constants.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const students = Number(process.argv[2] ?? 20_000);
const connections = Number(process.argv[3] ?? 64);
const classes = 40;

interface Ready {
  port: number;
  campaigns: string[];
  classIds: string[];
  h5Paths: string[];
  roster: [string, string, string, string, string][];
}

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `xiaoan_bench_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

function startServer(url: string) {
  // BENCH_CPU_PROFILE=<dir> writes the server's V8 CPU profile there, to see where a confirmation's time goes.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const args = [...profile, '--import', 'tsx', 'test/bench/receipts-server.ts', url, String(students), String(classes)];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<Ready>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Ready));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, ready };
}

interface Request {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

async function run(title: string, port: number, requests: Request[] | ((i: number) => Request), amount: number) {
  let next = 0;
  const pick = typeof requests === 'function' ? requests : (i: number) => requests[i % requests.length]!;
  const started = Date.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    amount,
    requests: [{ setupRequest: (request) => ({ ...request, ...pick(next++) }) }],
  });
  const seconds = (Date.now() - started) / 1000;
  return { title, result, seconds };
}

const database = await freshDatabase();
const server = startServer(database.url);
try {
  const ready = await server.ready;
  const { port, campaigns, classIds, roster } = ready;
  const sqlClient = postgres(database.url, { max: 2, onnotice: () => {} });
  const rows: { title: string; rps: number; durable: number | null; p99: number; errors: number; non2xx: number }[] =
    [];
  const record = (title: string, outcome: Awaited<ReturnType<typeof run>>, durable: number | null) => {
    rows.push({
      title,
      rps: Math.round(outcome.result.requests.total / outcome.seconds),
      durable: durable === null ? null : Math.round(durable / outcome.seconds),
      p99: outcome.result.latency.p99,
      errors: outcome.result.errors + outcome.result.timeouts,
      non2xx: outcome.result.non2xx,
    });
  };

  const warm: Request = { method: 'GET', path: '/bench/bare', headers: {} };
  await run('warm-up', port, [warm], 5_000);
  record('bare Hono JSON', await run('bare', port, [warm], 60_000), null);
  const naive = await run(
    'naive',
    port,
    (i) => ({
      method: 'POST',
      path: '/bench/naive',
      headers: { 'content-type': 'application/json' },
      body: `{"n":${i}}`,
    }),
    30_000,
  );
  const [naiveRows] = await sqlClient<{ count: number }[]>`select count(*)::int as count from bench_naive`;
  record('naive: one INSERT per request', naive, naiveRows!.count);

  const doubleTaps = Math.floor(students / 10);
  const cardRequests: Request[] = [];
  const tap = (index: number) => {
    const [, classId, openId] = roster[index]!;
    const delivery = signFeishuEvent(
      buildCardActionEvent({
        operatorOpenId: openId,
        value: { flow: 'receipt', op: 'confirm', campaign: campaigns[0]!, class: classId },
        chatId: `oc_class${classIds.indexOf(classId)}`,
        messageId: `om_letter_${classId}`,
        tenantKey: 'bench',
        verificationToken: BENCH_FEISHU.FEISHU_VERIFICATION_TOKEN,
        appId: BENCH_FEISHU.FEISHU_APP_ID,
      }),
      { encryptKey: BENCH_FEISHU.FEISHU_ENCRYPT_KEY, verificationToken: BENCH_FEISHU.FEISHU_VERIFICATION_TOKEN },
    );
    return { method: 'POST' as const, path: '/webhooks/feishu', headers: delivery.headers, body: delivery.body };
  };
  for (let i = 0; i < students; i += 1) {
    cardRequests.push(tap(i));
    if (i < doubleTaps) cardRequests.push(tap(i));
  }
  const card = await run('card', port, cardRequests, cardRequests.length);
  const [cardRow] = await sqlClient<{ count: number; distinct: number }[]>`
    select count(*)::int as count, count(distinct student_id)::int as distinct from receipts where campaign_id = ${campaigns[0]!}`;
  const cardReceipts = cardRow!.count;
  const cardDistinct = cardRow!.distinct;
  record(`card callback (Feishu, signed + encrypted; ${doubleTaps} double taps)`, card, cardReceipts);

  const h5Requests: Request[] = roster.map(([, classId, , name, last4]) => ({
    method: 'POST',
    path: ready.h5Paths[classIds.indexOf(classId)]!,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `studentName=${encodeURIComponent(name)}&phoneDigits=${last4}`,
  }));
  const h5 = await run('h5', port, h5Requests, h5Requests.length);
  const [h5Row] = await sqlClient<{ count: number }[]>`
    select count(*)::int as count from receipts where campaign_id = ${campaigns[1]!}`;
  const h5Receipts = h5Row!.count;
  record('H5 page (bind + confirm form)', h5, h5Receipts);
  await sqlClient.end();

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${students} students, ${connections} connections\n`,
  );
  console.log('| path | req/s | durable confirmations/s | p99 (ms) | errors | non-2xx |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.title} | ${row.rps} | ${row.durable ?? '—'} | ${row.p99} | ${row.errors} | ${row.non2xx} |`);
  }
  console.log(
    `\nexactly one receipt per student: card ${cardReceipts}/${students} rows for ${cardDistinct} students; H5 ${h5Receipts}/${students}`,
  );
  if (cardReceipts !== students || cardDistinct !== students || h5Receipts !== students) process.exitCode = 1;
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  await database.drop();
}
