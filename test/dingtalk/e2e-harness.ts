/**
 * End-to-end harness: the real runtime built through the production wiring (platformsFromEnv and
 * longConnectionsFromEnv with an env pointing every DingTalk URL at the local fake), served over real HTTP
 * on 127.0.0.1, plus a DingTalk-only school set up with the real repositories.
 */
import { and, eq, sql } from 'drizzle-orm';
import { addGrant, ensurePersonForAccount, findPersonByAccount } from '../../src/db/repos/identity.js';
import { createLeaseStore } from '../../src/db/repos/leases.js';
import { bindChat, ensureDistrict, ensureSchool, findClass } from '../../src/db/repos/org.js';
import { bindGuardians } from '../../src/db/repos/receipts-guardians.js';
import { importRoster } from '../../src/db/repos/roster.js';
import { rowsOf } from '../../src/db/rows.js';
import type { Role } from '../../src/db/schema.js';
import { guardians, hazards } from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import { parseRoster } from '../../src/domain/roster/parse.js';
import {
  type DingtalkPlatform,
  dingtalkConfigFrom,
  registerDingtalkCardCallback,
} from '../../src/platforms/dingtalk/index.js';
import { longConnectionsFromEnv } from '../../src/platforms/long-connections.node.js';
import { platformsFromEnv } from '../../src/platforms/registry.js';
import type { LongConnection } from '../../src/platforms/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import {
  type DingtalkFake,
  type DingtalkFakeOptions,
  type SentMessage,
  startDingtalkFake,
} from '../fakes/dingtalk/server.js';
import type { TestDatabase } from '../helpers/db.js';
import { TEST_SECRET, type testClock } from '../helpers/runtime.js';
import { memoryLog } from './helpers.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';

export type Clock = ReturnType<typeof testClock>;

export const ROBOT = 'dingappkey';
export const STAFF_GROUP = 'cidSTAFFgroup0001==';
export const LEADERS_GROUP = 'cidLEADERSgroup001==';
export const PARENTS_GROUP = 'cidPARENTS31group01==';
export const CLASS_NAME = '三年级(1)班';

/** DingTalk userIds (senderStaffId) of the school's people, with their roles. */
export const PEOPLE = {
  wang: { userId: 'staff-wang', name: '王老师', roles: ['teacher'] },
  li: { userId: 'staff-li', name: '李老师', roles: ['teacher', 'class_teacher'] },
  zhang: { userId: 'staff-zhang', name: '张主任', roles: ['teacher', 'safety_officer'] },
  wu: { userId: 'staff-wu', name: '吴老师', roles: ['teacher'] },
  chen: { userId: 'staff-chen', name: '陈校长', roles: ['teacher', 'principal'] },
} as const satisfies Record<string, { userId: string; name: string; roles: Role[] }>;

/** 刘妈妈 is in the school's DingTalk organisation and already bound to her child on the roster. */
export const BOUND_PARENT = { userId: 'parent-liu', name: '刘妈妈', student: '刘小雨', relation: '母亲' };
/** The interactive card template both card e2e files register. */
export const CARD_TEMPLATE_ID = 'tpl-xiaoan.schema';
/** 孙爸爸 is not in the school's DingTalk organisation: DingTalk gives his encrypted id. */
export const STRANGER = '$:LWCP_v1:$sunbaba0001';

const ROSTER = [
  ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'],
  [CLASS_NAME, '刘小雨', '2023010101', '王秀英', '母亲', '13800001001'],
  [CLASS_NAME, '孙小杰', '2023010102', '孙建国', '父亲', '13900001010'],
  [CLASS_NAME, '王一鸣', '2023010103', '王志强', '父亲', '13900001020'],
];

export interface DingtalkE2EOptions {
  database: TestDatabase;
  clock: Clock;
  /** Extra DINGTALK_* variables (DINGTALK_TRANSPORT, DINGTALK_DING, DINGTALK_CARD_TEMPLATE_ID …). */
  env?: Record<string, string>;
  fake?: DingtalkFakeOptions;
}

export interface DingtalkE2E {
  transport: 'http' | 'stream';
  fake: DingtalkFake;
  runtime: Runtime;
  /** The service's own base URL (XIAOAN_PUBLIC_URL): signed links point here. */
  baseUrl: string;
  webhookUrl: string;
  log: ReturnType<typeof memoryLog>;
  schoolId: string;
  /** A robot message reaches the service as DingTalk delivers it over this transport, and is handled. */
  deliver(message: Record<string, unknown>): Promise<void>;
  /**
   * `person` writes `text` in a chat, @-mentioning the robot in groups. A minute passes first, as between
   * messages in a real chat (the dispatcher's per-chat pacing refills on the service's clock).
   */
  say(person: { userId: string; name: string }, chatId: string, text: string): Promise<Record<string, unknown>>;
  /** What the fake received since the last call, after the outbox is drained. */
  delivered(): Promise<SentMessage[]>;
  close(): Promise<void>;
}

const MINUTE = 60_000;

/** Stream messages are handled after their ack: wait until the pipeline has recorded the event. */
export async function waitForInbound(db: Db, eventId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = rowsOf(
      await db.execute(sql`select 1 from inbound_events where platform = 'dingtalk' and event_id = ${eventId} limit 1`),
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`event ${eventId} was not handled within ${timeoutMs} ms`);
}

/**
 * Starts the fake, then the service on a random port (its public URL must be known before the runtime
 * mints links), the long connections as entry-node starts them, and the card-callback registration.
 */
export async function startDingtalkE2E(options: DingtalkE2EOptions): Promise<DingtalkE2E> {
  const { database, clock } = options;
  const fake = await startDingtalkFake({ now: () => clock.now().getTime(), ...options.fake });
  const server = await serveOnLoopback();
  const baseUrl = server.url;
  const env = fake.env(options.env);
  const log = memoryLog();
  let connections: LongConnection[] = [];
  const runtime = createRuntime({
    db: database.db,
    log,
    secret: TEST_SECRET,
    publicUrl: baseUrl,
    timezone: 'Asia/Shanghai',
    sandbox: false,
    maxBodyBytes: 256 * 1024,
    now: clock.now,
    random: () => 0.5,
    platforms: (deps) => {
      const long = longConnectionsFromEnv(env, { ...deps, leases: createLeaseStore(database.db) });
      connections = long.connections;
      return [...platformsFromEnv(env, deps), ...long.modules];
    },
  });
  server.use(runtime.app);
  const schoolId = await setUpSchool(database.db);
  for (const connection of connections) await connection.start(runtime.pipeline);
  const config = dingtalkConfigFrom(env)!;
  const platform = runtime.platforms.find((candidate) => candidate.platform === 'dingtalk') as DingtalkPlatform;
  const registered = await registerDingtalkCardCallback(platform, config, baseUrl);
  if (!registered.ok) throw new Error(`card callback registration failed: ${registered.error}`);

  const transport = config.transport;
  const webhookUrl = `${baseUrl}/webhooks/dingtalk`;
  let seen = 0;

  async function deliver(message: Record<string, unknown>): Promise<void> {
    if (transport === 'http') {
      const response = await fake.postRobotMessage(webhookUrl, message);
      if (response.status !== 200) throw new Error(`callback answered ${response.status}: ${await response.text()}`);
      return;
    }
    const { acked } = fake.pushRobotMessage(message);
    await acked;
    await waitForInbound(database.db, String(message.msgId));
  }

  return {
    transport,
    fake,
    runtime,
    baseUrl,
    webhookUrl,
    log,
    schoolId,
    deliver,
    async say(person, chatId, text) {
      clock.advance(MINUTE);
      const direct = chatId.startsWith('dm:');
      const message = fake.robotMessage({
        text,
        staffId: person.userId,
        senderNick: person.name,
        conversationId: direct ? `cidDM${person.userId}==` : chatId,
        conversationType: direct ? '1' : '2',
      });
      await deliver(message);
      return message;
    },
    async delivered() {
      await runtime.dispatcher.drain();
      const fresh = fake.sent.slice(seen);
      seen = fake.sent.length;
      return fresh;
    },
    async close() {
      for (const connection of connections) await connection.stop();
      await server.close();
      await fake.close();
    },
  };
}

/** A DingTalk-only school: staff granted by userId, chats bound by conversationId, a small class roster. */
async function setUpSchool(db: Db): Promise<string> {
  const districtId = await ensureDistrict(db, 'dt-district', '钉钉示范区教育局');
  const schoolId = await ensureSchool(db, { districtId, code: 'dt', name: '钉钉实验小学', dismissalTime: '15:30' });
  await importRoster(db, { schoolId, ...parseRoster(ROSTER), secret: TEST_SECRET });
  const classId = (await findClass(db, schoolId, CLASS_NAME))!.id;
  for (const person of Object.values(PEOPLE)) {
    const { personId } = await ensurePersonForAccount(db, {
      platform: 'dingtalk',
      tenant: ROBOT,
      userId: person.userId,
      name: person.name,
    });
    for (const role of person.roles) {
      await addGrant(db, { personId, role, schoolId, districtId, classId: role === 'class_teacher' ? classId : null });
    }
  }
  const parent = await ensurePersonForAccount(db, {
    platform: 'dingtalk',
    tenant: ROBOT,
    userId: BOUND_PARENT.userId,
    name: BOUND_PARENT.name,
  });
  await addGrant(db, { personId: parent.personId, role: 'parent', schoolId, districtId, classId });
  const [mother] = await db
    .select({ id: guardians.id })
    .from(guardians)
    .where(and(eq(guardians.schoolId, schoolId), eq(guardians.phoneLast4, '1001')));
  await bindGuardians(db, [mother!.id], parent.personId);
  const chats = [
    { chatId: STAFF_GROUP, kind: 'staff' as const, classId: null, title: '钉钉实验小学教职工群' },
    { chatId: LEADERS_GROUP, kind: 'leaders' as const, classId: null, title: '校领导群' },
    { chatId: PARENTS_GROUP, kind: 'class_parents' as const, classId, title: '三年级(1)班家长群' },
  ];
  for (const chat of chats) await bindChat(db, { platform: 'dingtalk', tenant: ROBOT, schoolId, ...chat });
  return schoolId;
}

/** Links the way a DingTalk client opens them: `dingtalk://dingtalkclient/page/link?url=…` unwrapped. */
export function openableUrl(link: string): string {
  if (!link.startsWith('dingtalk://')) return link;
  const inner = new URL(link).searchParams.get('url');
  if (!inner) throw new Error(`dingtalk link without url: ${link}`);
  return inner;
}

export interface ShownMessage {
  api: SentMessage['api'];
  conversationId?: string;
  userIds?: string[];
  title: string;
  text: string;
  buttons: { title: string; url: string }[];
  atUserIds: string[];
}

/** What a delivered message shows, whichever channel carried it (sessionWebhook body or OpenAPI msgParam). */
export function shown(message: SentMessage): ShownMessage {
  const base = {
    api: message.api,
    ...(message.conversationId ? { conversationId: message.conversationId } : {}),
    ...(message.userIds ? { userIds: message.userIds } : {}),
  };
  if (message.api === 'session') {
    const body = message.body as Record<string, Record<string, unknown> | string | undefined>;
    const at = (body.at as { atUserIds?: string[] } | undefined)?.atUserIds ?? [];
    const card = body.actionCard as Record<string, unknown> | undefined;
    if (card) {
      const buttons = card.btns
        ? (card.btns as { title: string; actionURL: string }[]).map((b) => ({ title: b.title, url: b.actionURL }))
        : [{ title: String(card.singleTitle), url: String(card.singleURL) }];
      return { ...base, title: String(card.title), text: String(card.text), buttons, atUserIds: at };
    }
    const markdown = body.markdown as { title: string; text: string } | undefined;
    if (markdown) return { ...base, title: markdown.title, text: markdown.text, buttons: [], atUserIds: at };
    const text = body.text as { content: string };
    return { ...base, title: '', text: text.content, buttons: [], atUserIds: at };
  }
  if (message.api === 'ding') {
    return { ...base, title: '', text: String(message.body.content), buttons: [], atUserIds: [] };
  }
  if (message.api === 'card') {
    const params = (message.body.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
    const buttons = [1, 2]
      .filter((slot) => params[`link${slot}_visible`] === 'true')
      .map((slot) => ({ title: params[`link${slot}_text`]!, url: params[`link${slot}_url`]! }));
    return { ...base, title: params.title ?? '', text: params.markdown ?? '', buttons, atUserIds: [] };
  }
  const param = message.msgParam as Record<string, string>;
  const buttons: { title: string; url: string }[] = [];
  if (param.singleURL) buttons.push({ title: param.singleTitle!, url: param.singleURL });
  for (let index = 1; param[`actionURL${index}`]; index++) {
    buttons.push({ title: param[`actionTitle${index}`]!, url: param[`actionURL${index}`]! });
  }
  return { ...base, title: param.title ?? '', text: param.text ?? param.content ?? '', buttons, atUserIds: [] };
}

/** Every link a message offers, buttons first, then markdown links in its text. */
export function linksOf(message: ShownMessage): { title: string; url: string }[] {
  const inText = [...message.text.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].map((match) => ({
    title: match[1]!,
    url: match[2]!,
  }));
  return [...message.buttons, ...inText].map((link) => ({ title: link.title, url: openableUrl(link.url) }));
}

export function linkTitled(message: ShownMessage, title: string): string {
  const link = linksOf(message).find((candidate) => candidate.title.includes(title));
  if (!link) throw new Error(`no link "${title}" in ${JSON.stringify(message)}`);
  return link.url;
}

/** Outbox rows by status: "nothing lost" means no row is dead or stuck. */
export async function outboxStatuses(db: Db): Promise<Record<string, number>> {
  const rows = rowsOf<{ status: string; count: number }>(
    await db.execute(sql`select status, count(*)::int as count from outbox group by status`),
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** The claims of a signed action link the service minted, as /h5/act decodes them. */
export function actionLinkClaims(runtime: Runtime, url: string, now: Date) {
  const token = new URL(url).pathname.split('/').at(-1) ?? '';
  const verified = runtime.links.verify(token, now);
  if (!verified.ok) throw new Error(`link refused: ${verified.reason}`);
  return runtime.links.actionClaims(verified.claims);
}

export async function personOf(db: Db, userId: string): Promise<string> {
  const person = await findPersonByAccount(db, 'dingtalk', ROBOT, userId);
  if (!person) throw new Error(`no person for ${userId}`);
  return person.personId;
}

/** Receipts of a campaign's students: who was confirmed, by which channel. */
export async function receiptsByStudent(db: Db): Promise<Record<string, string>> {
  const rows = rowsOf<{ name: string; channel: string }>(
    await db.execute(
      sql`select s.name, r.channel from receipts r join students s on s.id = r.student_id order by s.name`,
    ),
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.channel]));
}

export async function hazardByCode(db: Db, code: string) {
  const [row] = await db.select().from(hazards).where(eq(hazards.code, code));
  return row ?? null;
}

/** An H5 page: GET, then POST its form (urlencoded) as a browser would; cookies carried between the two. */
export async function openAndSubmit(
  url: string,
  form: Record<string, string> = {},
): Promise<{ page: string; status: number; result: string; resultStatus: number; finalUrl: string }> {
  const first = await fetch(url, { redirect: 'follow' });
  const page = await first.text();
  const cookie = first.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const second = await fetch(first.url, {
    method: 'POST',
    redirect: 'follow',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { page, status: first.status, result: await second.text(), resultStatus: second.status, finalUrl: first.url };
}
