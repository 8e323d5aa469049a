/**
 * `npm run bench:receipts`: durable receipt confirmations per second through the production paths (signed,
 * encrypted Feishu card callbacks and the H5 page) on real PostgreSQL, next to references measured in the same
 * run on the same machine: a bare Hono endpoint, a naive one-INSERT-per-request endpoint, that INSERT with group
 * commit, and the Feishu card protocol with no database work (the card path's ceiling). Also checks that
 * concurrent double taps leave exactly one receipt per student. Beside throughput it reports the CPU time the
 * server process and PostgreSQL spend per request, to show which side a path's cost is on.
 *
 * The load comes from wrk (Debian's `wrk` package): written in C, it leaves the machine's cores to the server
 * and PostgreSQL, where a Node load generator would take a third of them on a 2-core machine.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:receipts [-- students connections seconds rounds]
 *   BENCH_PATHS=card BENCH_CPU_PROFILE=/tmp/prof npm run bench:receipts
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { SERVER_NODE_FLAGS } from '../../src/cli/node-flags.js';
import { buildCardActionEvent, signFeishuEvent } from '../fakes/feishu/events.js';
import { cpuTimes } from './cpu-usage.js';
import { BENCH_FEISHU } from './receipts-constants.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const students = Number(process.argv[2] ?? 60_000);
const connections = Number(process.argv[3] ?? 64);
const seconds = Number(process.argv[4] ?? 8);
// This machine's neighbours come and go (CPU steal); rounds interleave the paths so each round compares
// them under the same conditions, and the medians are reported.
const rounds = Number(process.argv[5] ?? 3);
const classes = 40;
// BENCH_PATHS=card (or h5) measures only that path after the references, e.g. for a focused CPU profile.
const paths = new Set((process.env.BENCH_PATHS ?? 'card,h5').split(','));

try {
  execFileSync('wrk', ['--version'], { stdio: 'ignore' });
} catch (error) {
  // wrk prints its version and exits 1; only a missing binary is an error here.
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error('需要压测工具 wrk：apt-get install -y wrk');
    process.exit(1);
  }
}

interface Ready {
  port: number;
  cardCampaigns: string[];
  h5Campaigns: string[];
  classIds: string[];
  /** Per round, per class. */
  h5Paths: string[][];
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
  const args = [
    ...SERVER_NODE_FLAGS,
    ...profile,
    '--import',
    'tsx',
    'test/bench/receipts-server.ts',
    url,
    String(students),
    String(classes),
    String(rounds),
  ];
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

/**
 * wrk sends the requests of a list in order, one list per run, wrapping around if the run outlasts it:
 * pre-formatted at start-up so the load generator does no work per request beyond sending it.
 */
const REPLAY_SCRIPT = `
local requests = {}
init = function(args)
  for line in io.lines(args[1]) do
    local method, path, packed, body = line:match("^(%u+)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$")
    local headers = {}
    for name, value in packed:gmatch("([^|:]+):([^|]*)") do headers[name] = value end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
end
local sent = 0
request = function()
  sent = sent + 1
  return requests[((sent - 1) % #requests) + 1]
end
`;

interface Outcome {
  requests: number;
  /** CPU time per answered request, µs: the server process and PostgreSQL. */
  serverCpuUs: number | null;
  postgresCpuUs: number | null;
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function millis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function run(port: number, workDir: string, name: string, requests: readonly Request[]): Outcome {
  const serverPid = server.child.pid;
  const lines = requests.map((request) => {
    const packed = Object.entries(request.headers)
      .map(([header, value]) => `${header}:${value}`)
      .join('|');
    const line = `${request.method}\t${request.path}\t${packed}\t${request.body ?? ''}`;
    if (/[^\x20-\x7e\t]/.test(line)) throw new Error(`request line for ${name} must be printable ASCII`);
    return line;
  });
  const listFile = join(workDir, `${name}.txt`);
  const scriptFile = join(workDir, 'replay.lua');
  writeFileSync(listFile, `${lines.join('\n')}\n`);
  writeFileSync(scriptFile, REPLAY_SCRIPT);
  const cpuBefore = cpuTimes(serverPid);
  const output = execFileSync(
    'wrk',
    [
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '--latency',
      '-s',
      scriptFile,
      `http://127.0.0.1:${port}`,
      '--',
      listFile,
    ],
    { encoding: 'utf8' },
  );
  const cpuAfter = cpuTimes(serverPid);
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const requestCount = number(/(\d+) requests in/);
  const perRequest = (spentMs: number | undefined) =>
    spentMs === undefined || requestCount === 0 ? null : Math.round((spentMs * 1000) / requestCount);
  return {
    requests: requestCount,
    serverCpuUs: perRequest(cpuAfter && cpuBefore ? cpuAfter.server - cpuBefore.server : undefined),
    postgresCpuUs: perRequest(cpuAfter && cpuBefore ? cpuAfter.postgres - cpuBefore.postgres : undefined),
    rps: Math.round(number(/Requests\/sec:\s+([\d.]+)/)),
    p99: millis(/^\s*99%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    errors: socketErrors ? socketErrors.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Measured {
  outcome: Outcome;
  /** Rows that became durable during the run, per second. */
  durable: number | null;
}

const database = await freshDatabase();
const server = startServer(database.url);
const workDir = mkdtempSync(join(tmpdir(), 'xiaoan-bench-'));
try {
  const ready = await server.ready;
  const { port, classIds, roster } = ready;
  const sqlClient = postgres(database.url, { max: 2, onnotice: () => {} });
  const count = async (query: PromiseLike<readonly unknown[]>) =>
    Number(((await query)[0] as { n: number } | undefined)?.n ?? 0);
  const perSecond = (rows: number) => Math.round(rows / seconds);
  // Each path starts from a settled database: the vacuum and checkpoint that the previous path's writes made
  // due happen here, not on the next path's clock.
  const measure = async (name: string, requests: readonly Request[]) => {
    await sqlClient.unsafe('vacuum (analyze)');
    await sqlClient.unsafe('checkpoint');
    return run(port, workDir, name, requests);
  };

  const bare: Request = { method: 'GET', path: '/bench/bare', headers: {} };
  run(port, workDir, 'warm-up', [bare]);
  const naiveRequests = Array.from({ length: 10_000 }, (_, i) => ({
    method: 'POST' as const,
    path: '/bench/naive',
    headers: { 'content-type': 'application/json' },
    body: `{"n":${i}}`,
  }));
  const groupedRequests = naiveRequests.map((request) => ({ ...request, path: '/bench/grouped' }));
  // One parent in ten taps twice at once: the second tap goes right behind the first.
  const tapOrder = roster.flatMap((_, index) => (index % 10 === 0 ? [index, index] : [index]));
  const tap = (campaignId: string, index: number): Request => {
    const [, classId, openId] = roster[index]!;
    const delivery = signFeishuEvent(
      buildCardActionEvent({
        operatorOpenId: openId,
        value: { flow: 'receipt', op: 'confirm', campaign: campaignId, class: classId },
        chatId: `oc_class${classIds.indexOf(classId)}`,
        messageId: `om_letter_${classId}`,
        tenantKey: 'bench',
        verificationToken: BENCH_FEISHU.FEISHU_VERIFICATION_TOKEN,
        appId: BENCH_FEISHU.FEISHU_APP_ID,
      }),
      { encryptKey: BENCH_FEISHU.FEISHU_ENCRYPT_KEY, verificationToken: BENCH_FEISHU.FEISHU_VERIFICATION_TOKEN },
    );
    return { method: 'POST', path: '/webhooks/feishu', headers: delivery.headers, body: delivery.body };
  };
  // Families reach the page from many addresses, several behind one carrier NAT: 2,000 addresses, as the
  // reverse proxy in front of the service reports them (X-Real-IP).
  const pageSubmissions = (paths: readonly string[]): Request[] =>
    roster.map(([, classId, , name, last4], index) => ({
      method: 'POST',
      path: paths[classIds.indexOf(classId)]!,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-real-ip': `10.${(index % 2000) >> 8}.${(index % 2000) & 255}.1`,
      },
      body: `studentName=${encodeURIComponent(name)}&phoneDigits=${last4}`,
    }));

  const results = {
    bare: [] as Measured[],
    naive: [] as Measured[],
    grouped: [] as Measured[],
    protocol: [] as Measured[],
    card: [] as Measured[],
    h5: [] as Measured[],
  };
  const problems: string[] = [];
  for (let round = 0; round < rounds; round += 1) {
    results.bare.push({ outcome: await measure('bare', [bare]), durable: null });

    const naiveBefore = await count(sqlClient`select count(*)::int as n from bench_naive`);
    const naive = await measure('naive', naiveRequests);
    const naiveRows = (await count(sqlClient`select count(*)::int as n from bench_naive`)) - naiveBefore;
    results.naive.push({ outcome: naive, durable: perSecond(naiveRows) });

    const grouped = await measure('grouped', groupedRequests);
    const groupedRows = (await count(sqlClient`select count(*)::int as n from bench_naive`)) - naiveBefore - naiveRows;
    results.grouped.push({ outcome: grouped, durable: perSecond(groupedRows) });

    if (paths.has('card')) {
      const campaignId = ready.cardCampaigns[round]!;
      const requests = tapOrder.map((index) => tap(campaignId, index));
      const protocolOnly = requests.map((request) => ({ ...request, path: '/bench/feishu-protocol' }));
      results.protocol.push({ outcome: await measure('protocol', protocolOnly), durable: null });
      const card = await measure('card', requests);
      const [counts] = await sqlClient<{ receipts: number; students: number }[]>`
        select count(*)::int as receipts, count(distinct student_id)::int as students
        from receipts where campaign_id = ${campaignId}`;
      results.card.push({ outcome: card, durable: perSecond(counts!.receipts) });
      // Every answered tap is durable (at least the students wrk got answers for), and no more than the taps
      // still in flight when the run ended; a parent's second tap finds the first one's receipt.
      const answered = new Set(tapOrder.slice(0, card.requests)).size;
      const exactlyOnce =
        counts!.receipts === counts!.students &&
        counts!.receipts >= answered &&
        counts!.receipts <= answered + connections;
      if (!exactlyOnce)
        problems.push(
          `round ${round + 1}: card ${counts!.receipts} receipts for ${counts!.students} students, ${answered} answered`,
        );
      if (card.requests >= requests.length) problems.push(`round ${round + 1}: the card list ran out`);
    }

    if (paths.has('h5')) {
      const campaignId = ready.h5Campaigns[round]!;
      const requests = pageSubmissions(ready.h5Paths[round]!);
      const h5 = await measure('h5', requests);
      const receipts = await count(
        sqlClient`select count(*)::int as n from receipts where campaign_id = ${campaignId}`,
      );
      results.h5.push({ outcome: h5, durable: perSecond(receipts) });
      // Every answered submission is durable; a few more may have committed after wrk stopped listening.
      if (receipts < h5.requests || receipts > h5.requests + connections)
        problems.push(`round ${round + 1}: H5 ${receipts} receipts from ${h5.requests} answers`);
      if (h5.requests >= requests.length) problems.push(`round ${round + 1}: the H5 list ran out`);
    }
  }
  await sqlClient.end();

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load: wrk, ${connections} connections, ${seconds} s per path, ${rounds} rounds; ${students} students\n`,
  );
  console.log(
    '| path | req/s (median) | durable confirmations/s (median) | × naive (median of rounds) | p99 ms (worst round) | server CPU µs/req | PostgreSQL CPU µs/req | socket errors | non-2xx |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const titles: Record<keyof typeof results, string> = {
    bare: 'bare Hono JSON',
    naive: 'naive: one INSERT per request',
    grouped: 'the same INSERT with group commit (no platform protocol)',
    protocol: 'Feishu card protocol alone (verify, decrypt, parse, answer; no database)',
    card: 'card callback (Feishu, signed + encrypted; 1 in 10 taps twice)',
    h5: 'H5 page (bind + confirm form)',
  };
  for (const key of Object.keys(results) as (keyof typeof results)[]) {
    const measured = results[key];
    if (measured.length === 0) continue;
    const durable = measured.every((m) => m.durable !== null) ? median(measured.map((m) => m.durable!)) : null;
    const ratio =
      durable === null || key === 'naive'
        ? '—'
        : `${median(measured.map((m, round) => m.durable! / results.naive[round]!.durable!)).toFixed(2)}×`;
    const cpu = (pick: (outcome: Outcome) => number | null) => {
      const values = measured.map((m) => pick(m.outcome));
      return values.every((value) => value !== null) ? String(median(values as number[])) : '—';
    };
    const errors = measured.reduce((sum, m) => sum + m.outcome.errors, 0);
    const non2xx = measured.reduce((sum, m) => sum + m.outcome.non2xx, 0);
    console.log(
      `| ${titles[key]} | ${median(measured.map((m) => m.outcome.rps))} | ${durable ?? '—'} | ${ratio} | ${Math.max(...measured.map((m) => m.outcome.p99)).toFixed(1)} | ${cpu((o) => o.serverCpuUs)} | ${cpu((o) => o.postgresCpuUs)} | ${errors} | ${non2xx} |`,
    );
    if (key !== 'bare' && (errors > 0 || non2xx > 0))
      problems.push(`${titles[key]}: ${errors} socket errors, ${non2xx} non-2xx`);
  }
  console.log(
    `\nper round (durable/s): ${results.naive.map((m, round) => `naive ${m.durable}, grouped ${results.grouped[round]?.durable}, card ${results.card[round]?.durable ?? '—'}, H5 ${results.h5[round]?.durable ?? '—'}`).join(' · ')}`,
  );
  console.log(`exactly one receipt per student, every answer durable: ${problems.length === 0 ? 'yes' : 'NO'}`);
  for (const problem of problems) console.log(`  ${problem}`);
  if (problems.length > 0) process.exitCode = 1;
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  await database.drop();
  rmSync(workDir, { recursive: true, force: true });
}
