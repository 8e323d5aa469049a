import { and, eq, sql } from 'drizzle-orm';
import { addGrant, ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { bindChat, findClass, findSchoolByCode } from '../../src/db/repos/org.js';
import { DEMO_SCHOOL_CODE, seedDemo } from '../../src/db/repos/seed-demo.js';
import { rowsOf } from '../../src/db/rows.js';
import { type ChatKind, outbox, type Role } from '../../src/db/schema.js';
import type { FeishuPlatform } from '../../src/platforms/feishu/index.js';
import { platformsFromEnv } from '../../src/platforms/registry.js';
import type { Log } from '../../src/platforms/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createFeishuPusher, type FeishuPusher } from '../fakes/feishu/push.js';
import { type FeishuFake, type FeishuFakeOptions, startFeishuFake } from '../fakes/feishu/server.js';
import { createTestDb, type TestDatabase } from '../helpers/db.js';
import { TEST_SECRET, testClock } from '../helpers/runtime.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';

/**
 * One Feishu end-to-end set-up per test file: the local fake Feishu, a migrated database with the demo
 * school, and the production runtime built from FEISHU_* variables pointing at the fake (platformsFromEnv),
 * served over real HTTP on 127.0.0.1 so the fake's deliveries reach /webhooks/feishu as Feishu's would.
 * App, dispatcher and fake share one settable clock.
 */

export const VERIFICATION_TOKEN = 'e2e-verification-token';
export const ENCRYPT_KEY = 'e2e-encrypt-key';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export interface FeishuE2E {
  clock: ReturnType<typeof testClock>;
  fake: FeishuFake;
  database: TestDatabase;
  runtime: Runtime;
  feishu: FeishuPlatform;
  /** Feishu pushing to the app: signed and encrypted deliveries, card taps. */
  push: FeishuPusher;
  webhookUrl: string;
  /** The tenant of every Feishu account and chat: the app id. */
  tenant: string;
  schoolId: string;
  logs: LogLine[];
  bindChat(chatId: string, kind: ChatKind, className?: string): Promise<void>;
  /** A Feishu user known to the school: person, platform account (open_id) and role grants. */
  addPerson(openId: string, name: string, roles: { role: Role; className?: string }[]): Promise<string>;
  classId(name: string): Promise<string>;
  /**
   * Sends what the outbox holds for Feishu, moving the clock to each next due time (the dispatcher paces
   * per chat and per app) until nothing is due within `horizonMs`.
   */
  deliverOutbox(options?: { horizonMs?: number; maxRounds?: number }): Promise<void>;
  feishuOutbox(): Promise<(typeof outbox.$inferSelect)[]>;
  close(): Promise<void>;
}

export async function startFeishuE2E(options: {
  start: string;
  fake?: FeishuFakeOptions;
  env?: Record<string, string>;
}): Promise<FeishuE2E> {
  const clock = testClock(options.start);
  const fake = await startFeishuFake({ ...options.fake, now: () => clock.now().getTime() });
  const database = await createTestDb();
  await seedDemo(database.db);
  const logs: LogLine[] = [];
  const record =
    (level: LogLine['level']) =>
    (obj: object | string, msg?: string): void => {
      logs.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
    };
  const log: Log = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const env = {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_BASE_URL: fake.baseUrl,
    ...options.env,
  };
  const runtime = createRuntime({
    db: database.db,
    log,
    secret: TEST_SECRET,
    publicUrl: 'http://127.0.0.1:8787',
    timezone: 'Asia/Shanghai',
    sandbox: false,
    maxBodyBytes: 256 * 1024,
    platforms: (deps) => platformsFromEnv(env, deps),
    now: clock.now,
    random: () => 0.5,
  });
  const feishu = runtime.platforms.find((platform) => platform.platform === 'feishu') as FeishuPlatform | undefined;
  if (!feishu) throw new Error('platformsFromEnv did not configure Feishu');

  const server = await serveOnLoopback(runtime.app);
  const webhookUrl = `${server.url}/webhooks/feishu`;
  const push = createFeishuPusher(fake, {
    url: webhookUrl,
    verificationToken: VERIFICATION_TOKEN,
    encryptKey: env.FEISHU_ENCRYPT_KEY,
    now: () => clock.now().getTime(),
  });
  const school = await findSchoolByCode(database.db, DEMO_SCHOOL_CODE);
  if (!school) throw new Error('demo school missing');
  const tenant = fake.appId;

  async function classId(name: string): Promise<string> {
    const found = await findClass(database.db, school!.id, name);
    if (!found) throw new Error(`no class ${name}`);
    return found.id;
  }

  async function nextDue(): Promise<Date | undefined> {
    const result = await database.db.execute(
      sql`select min(next_attempt_at) as next from outbox where platform = 'feishu' and status = 'pending'`,
    );
    const next = rowsOf<{ next: string | Date | null }>(result)[0]?.next;
    return next ? new Date(next) : undefined;
  }

  return {
    clock,
    fake,
    database,
    runtime,
    feishu,
    push,
    webhookUrl,
    tenant,
    schoolId: school.id,
    logs,
    classId,
    async bindChat(chatId, kind, className) {
      await bindChat(database.db, {
        platform: 'feishu',
        tenant,
        chatId,
        schoolId: school.id,
        classId: className ? await classId(className) : null,
        kind,
        title: chatId,
      });
    },
    async addPerson(openId, name, roles) {
      const { personId } = await ensurePersonForAccount(database.db, {
        platform: 'feishu',
        tenant,
        userId: openId,
        name,
      });
      for (const grant of roles) {
        await addGrant(database.db, {
          personId,
          role: grant.role,
          schoolId: school.id,
          districtId: school.districtId,
          classId: grant.className ? await classId(grant.className) : null,
        });
      }
      return personId;
    },
    async deliverOutbox({ horizonMs = 60_000, maxRounds = 100 } = {}) {
      for (let round = 0; round < maxRounds; round++) {
        await runtime.dispatcher.drain();
        const next = await nextDue();
        if (!next || next.getTime() - clock.now().getTime() > horizonMs) return;
        if (next > clock.now()) clock.set(next);
      }
      throw new Error('the Feishu outbox did not settle');
    },
    feishuOutbox: () =>
      database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.platform, 'feishu'), eq(outbox.tenant, tenant)))
        .orderBy(outbox.id),
    async close() {
      await server.close();
      await fake.close();
      await database.close();
    },
  };
}
