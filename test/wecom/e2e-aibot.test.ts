import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { addGrant, ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { createLeaseStore } from '../../src/db/repos/leases.js';
import { bindChat } from '../../src/db/repos/org.js';
import { addAccountToPerson } from '../../src/db/repos/receipts-guardians.js';
import { rowsOf } from '../../src/db/rows.js';
import { hazardDrafts, hazards, outbox, receipts, students } from '../../src/db/schema.js';
import { enqueue } from '../../src/delivery/outbox.js';
import { platformsFromEnv } from '../../src/platforms/registry.js';
import { decodeActionKey } from '../../src/platforms/wecom/action-key.js';
import { aibotLeaseName } from '../../src/platforms/wecom/aibot/lease.js';
import { AibotConnectionRegistry, aibotConnections } from '../../src/platforms/wecom/aibot/registry.js';
import { createWecomAibotTransport } from '../../src/platforms/wecom/aibot/transport-aibot.js';
import { wecomConfigFrom } from '../../src/platforms/wecom/config.js';
import { createWecomPlatform } from '../../src/platforms/wecom/index.js';
import type { TemplateCard } from '../../src/platforms/wecom/render.js';
import { startWecomAibotFake } from '../fakes/wecom/aibot-server.js';
import { createTestDb } from '../helpers/db.js';
import { silentLog, testClock } from '../helpers/runtime.js';
import { demoPerson, demoSchool, eventually, observed, unixSeconds } from './e2e-helpers.js';
import { serveRuntime } from './serve.js';

const STAFF_GROUP = 'wrStaffGroup01';
const PARENTS_GROUP = 'wrParents3y1c';
const MINUTE = 60_000;
/** Fast lease turns, with TTL headroom for a loaded machine (the lease clock is the database's). */
const timing = { leaseTtlMs: 10_000, renewEveryMs: 1_000, standbyRetryMs: 200, heartbeatMs: 5_000 };

describe('WeCom AI bot end to end: WebSocket fake → transport → flows → outbox → WebSocket', async () => {
  const database = await createTestDb();
  const { db } = database;
  // Wednesday 2026-06-10 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const fake = await startWecomAibotFake({ botId: 'aibXiaoanE2e', secret: 'bot-secret-e2e' });
  const env = { WECOM_BOT_ID: fake.botId, WECOM_BOT_SECRET: fake.secret, WECOM_BOT_WS_URL: fake.wsUrl };
  const config = wecomConfigFrom(env)!;
  const tenant = `aibot:${fake.botId}`;
  const served = await serveRuntime({ database, now: clock.now, platforms: (deps) => platformsFromEnv(env, deps) });
  const { runtime } = served;
  const inbound = observed(runtime.pipeline);
  // Instance A: the production wiring's process-wide registry, shared with platformsFromEnv's sender.
  const instanceA = createWecomAibotTransport(config, {
    links: runtime.links,
    log: silentLog,
    now: clock.now,
    leases: createLeaseStore(db),
    holderId: 'instance-a',
    timing,
  });

  const { schoolId, classId } = await demoSchool(db);
  const class31 = await classId('三年级(1)班');
  await bindChat(db, { platform: 'wecom', tenant, chatId: STAFF_GROUP, schoolId, classId: null, kind: 'staff' });
  await bindChat(db, {
    platform: 'wecom',
    tenant,
    chatId: PARENTS_GROUP,
    schoolId,
    classId: class31,
    kind: 'class_parents',
  });
  const officer = await ensurePersonForAccount(db, {
    platform: 'wecom',
    tenant,
    userId: 'zhangzhuren',
    name: '张主任',
  });
  await addGrant(db, { personId: officer.personId, role: 'teacher', schoolId });
  await addGrant(db, { personId: officer.personId, role: 'safety_officer', schoolId });
  // 刘妈妈 bound her guardian record in the sandbox already; this is her WeCom identity.
  const liuMama = await demoPerson(db, 'liu-mama');
  await addAccountToPerson(db, { personId: liuMama, platform: 'wecom', tenant, userId: 'liumama', name: '刘妈妈' });

  await instanceA.start(inbound.pipeline);
  await eventually('instance A connected', () => aibotConnections.get(fake.botId));
  const connectionA = fake.authenticated[0];

  afterAll(async () => {
    await instanceA.stop();
    await served.close();
    await fake.close();
    await database.close();
  });

  let msgSerial = 0;
  const groupMessage = (chatid: string, userid: string, content: string, msgid = `msg-e2e-${++msgSerial}`) => {
    const body = {
      msgid,
      aibotid: fake.botId,
      chatid,
      chattype: 'group',
      from: { userid },
      create_time: unixSeconds(clock.now()),
      msgtype: 'text',
      text: { content },
    };
    return { msgid, body, reqId: fake.pushMessage(body) };
  };

  const cardClick = (
    chatid: string,
    userid: string,
    card: TemplateCard,
    buttonText: string,
    shape: 'flat' | 'nested',
  ) => {
    const button = card.button_list?.find((candidate) => candidate.text === buttonText);
    if (!button || !card.task_id) throw new Error(`no button ${buttonText} on ${JSON.stringify(card)}`);
    const click = { event_key: button.key, task_id: card.task_id };
    const msgid = `evt-e2e-${++msgSerial}`;
    const reqId = fake.pushEvent({
      msgid,
      create_time: unixSeconds(clock.now()),
      aibotid: fake.botId,
      chatid,
      chattype: 'group',
      from: { userid },
      msgtype: 'event',
      event:
        shape === 'flat'
          ? { eventtype: 'template_card_event', ...click }
          : { eventtype: 'template_card_event', template_card_event: { card_type: card.card_type, ...click } },
    });
    return { msgid, reqId };
  };

  const frameAnswering = (cmd: string, reqId: string) =>
    fake.waitForFrame((r) => r.frame.cmd === cmd && r.frame.headers.req_id === reqId, 15_000);

  const pushedTo = (chatid: string, match: (body: Record<string, unknown>) => boolean) =>
    fake.waitForFrame(
      (r) => r.frame.cmd === 'aibot_send_msg' && r.frame.body?.chatid === chatid && match(r.frame.body),
      15_000,
    );

  const markdownOf = (body: Record<string, unknown>) =>
    (body.markdown as { content?: string } | undefined)?.content ?? '';

  /** A teacher @-mentions the bot with a report; returns the confirmation card WeCom showed in the group. */
  async function reportHazard(userid: string, text: string): Promise<TemplateCard> {
    const message = groupMessage(STAFF_GROUP, userid, `@校安 ${text}`);
    await inbound.resultOf(message.msgid);
    await runtime.dispatcher.drain();
    const reply = await frameAnswering('aibot_respond_msg', message.reqId);
    expect(reply.ack).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(reply.frame.body).toMatchObject({ msgtype: 'template_card' });
    return (reply.frame.body as { template_card: TemplateCard }).template_card;
  }

  async function confirmHazard(card: TemplateCard, shape: 'flat' | 'nested', code: string) {
    const click = cardClick(STAFF_GROUP, 'wangwei', card, '确认登记', shape);
    const update = await frameAnswering('aibot_respond_update_msg', click.reqId);
    // The fake acks 846608 for an update later than 5 s after the click: 0 means it came in time.
    expect(update.ack).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(update.frame.body).toMatchObject({
      response_type: 'update_template_card',
      template_card: { task_id: card.task_id, main_title: { title: `已登记 ${code}` } },
    });
    // A registered hazard is the shared card's new state: everyone in the group sees it.
    expect(update.frame.body).not.toHaveProperty('userids');
    await runtime.dispatcher.drain();
    const announced = await pushedTo(STAFF_GROUP, (body) => markdownOf(body).includes(code));
    expect(announced.ack).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(markdownOf(announced.frame.body!)).toContain(`已登记隐患 ${code}`);
  }

  it('registers a hazard reported by @-mention in a group; the card click arrives flat', async () => {
    const card = await reportHazard('wangwei', '三楼东侧楼梯口的灭火器压力不足');
    expect(card).toMatchObject({ card_type: 'button_interaction', main_title: { title: '请确认隐患登记' } });
    expect(card.horizontal_content_list).toContainEqual({ keyname: '部位', value: '三楼东侧楼梯口' });
    expect(card.button_list?.map((button) => button.text)).toEqual(['确认登记', '修改', '取消']);
    expect(decodeActionKey(card.button_list![0]!.key)).toMatchObject({ flow: 'hazard-draft', op: 'confirm' });

    clock.advance(MINUTE);
    await confirmHazard(card, 'flat', 'YH-2026-0001');
    const [hazard] = await db.select().from(hazards).where(eq(hazards.code, 'YH-2026-0001'));
    const reporter = await ensurePersonForAccount(db, { platform: 'wecom', tenant, userId: 'wangwei', name: '' });
    expect(hazard).toMatchObject({
      schoolId,
      status: 'reported',
      category: 'fire',
      location: '三楼东侧楼梯口',
      reporterId: reporter.personId,
      sourceChat: expect.anything(),
    });
  });

  it('registers a second hazard whose card click arrives nested (template_card_event.{event_key, task_id})', async () => {
    clock.advance(MINUTE);
    const card = await reportHazard('wangwei', '食堂后门的护栏断了一截');
    clock.advance(MINUTE);
    await confirmHazard(card, 'nested', 'YH-2026-0002');
    const [hazard] = await db.select().from(hazards).where(eq(hazards.code, 'YH-2026-0002'));
    expect(hazard?.location).toContain('食堂后门');
  });

  it('handles a message WeCom delivers twice (same msgid) once: one draft, one card', async () => {
    clock.advance(MINUTE);
    const first = groupMessage(STAFF_GROUP, 'wangwei', '@校安 二楼女厕所的窗户玻璃裂了', 'msg-redelivered-1');
    expect((await inbound.resultOf(first.msgid)).result.duplicate).toBe(false);
    const again = groupMessage(STAFF_GROUP, 'wangwei', '@校安 二楼女厕所的窗户玻璃裂了', 'msg-redelivered-1');
    expect((await inbound.resultOf(first.msgid, 2)).result.duplicate).toBe(true);
    await runtime.dispatcher.drain();

    const drafts = await db.select().from(hazardDrafts).where(eq(hazardDrafts.description, '二楼女厕所的窗户玻璃裂了'));
    expect(drafts).toHaveLength(1);
    const replies = await db
      .select()
      .from(outbox)
      .where(sql`${outbox.idempotencyKey} like ${`reply:wecom:${first.msgid}:%`}`);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.status).toBe('sent');
    const answers = fake.received.filter(
      (r) => r.frame.cmd === 'aibot_respond_msg' && [first.reqId, again.reqId].includes(r.frame.headers.req_id),
    );
    expect(answers).toHaveLength(1);
  });

  it('confirms a receipt by a card click in the class parents group', async () => {
    clock.advance(MINUTE);
    const start = groupMessage(STAFF_GROUP, 'zhangzhuren', '@校安 回执 发起 防溺水 截止 6月30日 三年级(1)班');
    await inbound.resultOf(start.msgid);
    await runtime.dispatcher.drain();
    const started = await frameAnswering('aibot_respond_msg', start.reqId);
    expect(JSON.stringify(started.frame.body)).toContain('已发起《防溺水安全致家长的一封信》回执');

    const letter = await pushedTo(PARENTS_GROUP, (body) => body.msgtype === 'template_card');
    const card = (letter.frame.body as { template_card: TemplateCard }).template_card;
    expect(card).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '防溺水安全致家长的一封信' },
      button_list: [expect.objectContaining({ text: '我已阅读并承诺' })],
    });
    expect(card.jump_list?.map((jump) => jump.title)).toEqual(['查看全文', '在网页中确认']);
    expect(card.jump_list?.[0]?.url).toMatch(new RegExp(`^${served.baseUrl}/h5/receipt/`));

    clock.advance(MINUTE);
    const click = cardClick(PARENTS_GROUP, 'liumama', card, '我已阅读并承诺', 'flat');
    const update = await frameAnswering('aibot_respond_update_msg', click.reqId);
    expect(update.ack).toEqual({ errcode: 0, errmsg: 'ok' });
    // The answer is private: only 刘妈妈's view of the letter card turns into the confirmation.
    expect(update.frame.body).toMatchObject({
      response_type: 'update_template_card',
      userids: ['liumama'],
      template_card: { task_id: card.task_id, sub_title_text: '已确认：刘小雨。感谢您的配合！' },
    });
    const confirmed = await db
      .select({ student: students.name, personId: receipts.personId, channel: receipts.channel })
      .from(receipts)
      .innerJoin(students, eq(students.id, receipts.studentId));
    expect(confirmed).toEqual([{ student: '刘小雨', personId: liuMama, channel: 'card' }]);

    // A parent nobody has bound yet gets the binding step, shown to them alone, with links signed for them.
    const stranger = cardClick(PARENTS_GROUP, 'sunbaba', card, '我已阅读并承诺', 'nested');
    const binding = await frameAnswering('aibot_respond_update_msg', stranger.reqId);
    expect(binding.frame.body).toMatchObject({
      userids: ['sunbaba'],
      template_card: { main_title: { title: expect.stringContaining('核对家长身份') } },
    });
    const jumps = (binding.frame.body as { template_card: TemplateCard }).template_card.jump_list ?? [];
    expect(jumps.map((jump) => jump.title)).toContain('在网页中确认');
    expect(await db.select().from(receipts)).toHaveLength(1);
  });

  it('keeps a second instance standing by, its AI-bot rows waiting, until it takes the connection over', async () => {
    const registryB = new AibotConnectionRegistry();
    const servedB = await serveRuntime({
      database,
      now: clock.now,
      seed: false,
      platforms: (deps) => [createWecomPlatform(config, deps, { aibotRegistry: registryB })],
    });
    const instanceB = createWecomAibotTransport(config, {
      links: servedB.runtime.links,
      log: silentLog,
      now: clock.now,
      leases: createLeaseStore(db),
      registry: registryB,
      holderId: 'instance-b',
      timing,
    });
    try {
      await instanceB.start(servedB.runtime.pipeline);
      const holder = async () =>
        rowsOf<{ holder: string }>(
          await db.execute(sql`select holder from leases where name = ${aibotLeaseName(fake.botId)}`),
        )[0]?.holder;
      expect(await holder()).toBe('instance-a');
      expect(registryB.get(fake.botId)).toBeUndefined();
      expect(fake.liveConnections()).toEqual([connectionA]);

      await enqueue(
        db,
        {
          target: { platform: 'wecom', tenant, chatId: STAFF_GROUP },
          body: { type: 'text', text: '本周五下午进行消防演练，请各位老师提前熟悉疏散路线。' },
          urgency: 'normal',
          idempotencyKey: 'e2e:standby:drill-notice',
        },
        clock.now(),
      );
      const row = async () =>
        (await db.select().from(outbox).where(eq(outbox.idempotencyKey, 'e2e:standby:drill-notice')))[0]!;
      // Many rounds on the instance without the connection: the row waits, spending no attempts.
      for (let round = 0; round < 12; round++) {
        await servedB.runtime.dispatcher.runOnce();
        clock.advance(10_000);
      }
      expect(await row()).toMatchObject({
        status: 'pending',
        attempts: 0,
        lastError: 'waiting for the instance holding the connection',
      });

      await instanceA.stop();
      await eventually('instance B connected', () => registryB.get(fake.botId));
      expect(await holder()).toBe('instance-b');
      const connectionB = fake.authenticated.at(-1);
      expect(connectionB).not.toBe(connectionA);
      expect(fake.liveConnections()).toEqual([connectionB]);

      clock.advance(10_000);
      await servedB.runtime.dispatcher.drain();
      const pushed = await pushedTo(STAFF_GROUP, (body) => markdownOf(body).includes('消防演练'));
      expect(pushed.connection).toBe(connectionB);
      expect(await row()).toMatchObject({ status: 'sent', attempts: 1 });

      // The taken-over instance now hands its AI-bot rows on instead of failing them.
      expect(aibotConnections.get(fake.botId)).toBeUndefined();
      const [instanceASender] = runtime.platforms;
      expect(instanceASender?.sender.canSend?.({ platform: 'wecom', tenant, chatId: STAFF_GROUP })).toBe(false);
    } finally {
      await instanceB.stop();
      await servedB.close();
    }
  });
});
