/**
 * The server half of `npm run bench:receipts`: the production runtime (Feishu card callbacks, H5 receipt
 * pages) on real PostgreSQL, plus four reference endpoints measured in the same process: a bare JSON answer, a
 * naive one-INSERT-per-request write, the same write with group commit, and the Feishu card protocol with no
 * database work. The outbox dispatcher is not started: sends are not what is measured.
 */
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { connectPostgres } from '../../src/db/client.js';
import { BURST_COMMIT, createGroupCommitter } from '../../src/db/group-commit.js';
import { migrate } from '../../src/db/migrate.node.js';
import { bindChat, ensureClass, ensureDistrict, ensureSchool } from '../../src/db/repos/org.js';
import {
  campaignClasses,
  campaigns,
  guardians,
  people,
  platformAccounts,
  studentGuardians,
  students,
} from '../../src/db/schema.js';
import { hashPhone } from '../../src/domain/roster/phone.js';
import { createFeishuWebhook } from '../../src/platforms/feishu/webhook.js';
import { platformsFromEnv } from '../../src/platforms/registry.js';
import { createRuntime } from '../../src/runtime.js';
import { BENCH_FEISHU, BENCH_SECRET } from './receipts-constants.js';

const [databaseUrl, studentCountText, classCountText, roundsText] = process.argv.slice(2);
const studentCount = Number(studentCountText ?? 20_000);
const classCount = Number(classCountText ?? 40);
const rounds = Number(roundsText ?? 1);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const database = connectPostgres(databaseUrl!, { max: 16 });
await migrate(database);
const { db } = database;
await db.execute(
  sql`create table if not exists bench_naive (id bigserial primary key, body text not null, at timestamptz not null default now())`,
);

const districtId = await ensureDistrict(db, 'bench', '基准区');
const schoolId = await ensureSchool(db, { districtId, code: 'bench', name: '基准学校' });
const classIds: string[] = [];
for (let k = 0; k < classCount; k += 1) {
  const classId = await ensureClass(db, schoolId, `班${k}`);
  classIds.push(classId);
  await bindChat(db, {
    platform: 'feishu',
    tenant: BENCH_FEISHU.FEISHU_APP_ID,
    chatId: `oc_class${k}`,
    schoolId,
    classId,
    kind: 'class_parents',
  });
}
const deadline = new Date(Date.now() + 7 * 86_400_000);
// A fresh campaign per path and round, so every round confirms for students not yet confirmed.
async function benchCampaign(letter: string): Promise<string> {
  const id = randomUUID();
  await db
    .insert(campaigns)
    .values({ id, schoolId, letter, title: `基准回执 ${letter}`, deadline, createdAt: new Date() });
  await db.insert(campaignClasses).values(classIds.map((classId) => ({ campaignId: id, classId })));
  return id;
}
const cardCampaigns: string[] = [];
const h5Campaigns: string[] = [];
for (let round = 0; round < rounds; round += 1) {
  cardCampaigns.push(await benchCampaign('drowning'));
  h5Campaigns.push(await benchCampaign('traffic'));
}

const roster: { student: string; classId: string; openId: string; name: string; last4: string }[] = [];
const chunk = 1000;
for (let start = 0; start < studentCount; start += chunk) {
  const rows = Array.from({ length: Math.min(chunk, studentCount - start) }, (_, offset) => {
    const i = start + offset;
    const phone = `139${String(i).padStart(8, '0')}`;
    return {
      i,
      studentId: randomUUID(),
      guardianId: randomUUID(),
      personId: randomUUID(),
      classId: classIds[i % classCount]!,
      phone,
    };
  });
  await db.insert(people).values(rows.map((row) => ({ id: row.personId, name: `家长${row.i}` })));
  await db.insert(platformAccounts).values(
    rows.map((row) => ({
      personId: row.personId,
      platform: 'feishu',
      tenant: BENCH_FEISHU.FEISHU_APP_ID,
      userId: `ou_g${row.i}`,
    })),
  );
  await db.insert(students).values(
    rows.map((row) => ({
      id: row.studentId,
      schoolId,
      classId: row.classId,
      name: `学生${row.i}`,
      studentNo: `S${row.i}`,
    })),
  );
  await db.insert(guardians).values(
    rows.map((row) => ({
      id: row.guardianId,
      schoolId,
      name: `家长${row.i}`,
      phoneHash: hashPhone(row.phone, BENCH_SECRET),
      phoneLast4: row.phone.slice(-4),
      personId: row.personId,
    })),
  );
  await db
    .insert(studentGuardians)
    .values(rows.map((row) => ({ studentId: row.studentId, guardianId: row.guardianId, relation: '母亲' })));
  for (const row of rows)
    roster.push({
      student: row.studentId,
      classId: row.classId,
      openId: `ou_g${row.i}`,
      name: `学生${row.i}`,
      last4: row.phone.slice(-4),
    });
}

// A school's tables have planner statistics in production (autovacuum); freshly seeded ones do not yet.
await db.execute(sql`analyze`);

const runtime = createRuntime({
  db,
  burstPool: database.burstPool,
  log: silent,
  secret: BENCH_SECRET,
  publicUrl: 'http://127.0.0.1',
  timezone: 'Asia/Shanghai',
  sandbox: false,
  maxBodyBytes: 64 * 1024,
  clientAddressHeader: 'x-real-ip',
  platforms: (deps) => platformsFromEnv(BENCH_FEISHU, deps),
});

const references = new Hono();
references.get('/bench/bare', (c) => c.json({ ok: true }));
references.post('/bench/bare', (c) => c.json({ ok: true }));
references.post('/bench/naive', async (c) => {
  const body = await c.req.text();
  await db.execute(sql`insert into bench_naive (body) values (${body})`);
  return c.json({ ok: true });
});
// The technique alone, without a platform's protocol: the same INSERT, several requests per statement and
// commit, each answered once its row is durable (the "group commit" reference), grouped as the
// engine groups receipt taps.
const groupedInsert = createGroupCommitter<string, null>(async (bodies) => {
  await db.execute(
    sql`insert into bench_naive (body) select value from json_array_elements_text(${JSON.stringify(bodies)}::json)`,
  );
  return bodies.map(() => null);
}, BURST_COMMIT);
references.post('/bench/grouped', async (c) => {
  await groupedInsert(await c.req.text());
  return c.json({ ok: true });
});
// The card callback's protocol work alone — signature, AES, JSON, parsing and the answer card — through the
// production webhook, with a pipeline that answers at once and writes nothing: the ceiling any Feishu card path
// can reach on this machine, whatever its database work.
const protocolOnly = createFeishuWebhook({
  config: {
    appId: BENCH_FEISHU.FEISHU_APP_ID,
    verificationToken: BENCH_FEISHU.FEISHU_VERIFICATION_TOKEN,
    encryptKey: BENCH_FEISHU.FEISHU_ENCRYPT_KEY,
  },
  log: silent,
  now: () => new Date(),
  botOpenId: async () => undefined,
});
const answerAtOnce = {
  handle: async () => ({ duplicate: false, answer: { toast: { type: 'success' as const, text: '已确认回执' } } }),
};
references.post('/bench/feishu-protocol', (c) => protocolOnly(c, answerAtOnce));

const h5Paths = h5Campaigns.map((campaignId) =>
  classIds.map(
    (classId) => new URL(runtime.links.url('/h5/receipt', { cp: campaignId, cl: classId }, deadline)).pathname,
  ),
);
// The runtime's app is served as entry-node serves it, as the root: mounted under the bench app with app.route,
// each of its handlers would run inside one more error-handling layer than in production.
const server = serve({
  fetch: (request, env) => (env.incoming.url?.startsWith('/bench/') ? references : runtime.app).fetch(request, env),
  port: 0,
  hostname: '127.0.0.1',
});
server.once('listening', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(
    `${JSON.stringify({ port, cardCampaigns, h5Campaigns, classIds, h5Paths, roster: roster.map((r) => [r.student, r.classId, r.openId, r.name, r.last4]) })}\n`,
  );
});
process.on('SIGTERM', () => {
  server.close();
  void database.close().then(() => process.exit(0));
});
