/**
 * DingTalk end to end over Stream mode: the Stream transport from longConnectionsFromEnv connects to the
 * fake's gateway and WebSocket and feeds the runtime's pipeline; replies go out through the production
 * client. No card template (actionCards with signed links); the organisation has DING (DINGTALK_DING=1).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TOPIC_ROBOT } from '../fakes/dingtalk/server.js';
import { createTestDb } from '../helpers/db.js';
import { testClock } from '../helpers/runtime.js';
import {
  actionLinkClaims,
  hazardByCode,
  linkTitled,
  openAndSubmit,
  outboxStatuses,
  PARENTS_GROUP,
  PEOPLE,
  personOf,
  receiptsByStudent,
  STAFF_GROUP,
  shown,
  startDingtalkE2E,
  waitForInbound,
} from './e2e-harness.js';

const MINUTE = 60_000;

describe('DingTalk over Stream mode, end to end', async () => {
  const database = await createTestDb();
  // Wednesday 2026-06-10, 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const e2e = await startDingtalkE2E({
    database,
    clock,
    env: { DINGTALK_TRANSPORT: 'stream', DINGTALK_DING: '1' },
    // DingTalk pushes an un-acked callback again after 16–60 s; sooner here.
    fake: { redeliverAfterMs: 300 },
  });
  const { fake, runtime } = e2e;
  const db = database.db;
  afterAll(async () => {
    await e2e.close();
    await database.close();
  });

  it('connects through the gateway and subscribes to robot messages only', () => {
    expect(e2e.transport).toBe('stream');
    expect(fake.gatewayOpens).toBe(1);
    expect(fake.openConnectionCount(TOPIC_ROBOT)).toBe(1);
  });

  it('a teacher reports a hazard over Stream: the card comes over the sessionWebhook and its link confirms as the teacher', async () => {
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '二楼走廊的灭火器箱是空的');
    expect(fake.acks.at(-1)).toMatchObject({ code: 200, data: { response: null } });
    const [draft, ...others] = await e2e.delivered();
    expect(others).toEqual([]);
    expect(draft).toMatchObject({ api: 'session', conversationId: STAFF_GROUP });
    expect(String(draft!.body.msgtype)).toBe('actionCard');
    const card = shown(draft!);
    expect(card.title).toBe('请确认隐患登记');

    const confirm = linkTitled(card, '确认登记');
    expect(actionLinkClaims(runtime, confirm, clock.now())).toMatchObject({
      chatId: STAFF_GROUP,
      userId: PEOPLE.wang.userId,
    });
    const page = await openAndSubmit(confirm);
    expect(page.page).toContain('确认登记');
    expect(page.result).toContain('已登记 YH-2026-0001');
    expect(await hazardByCode(db, 'YH-2026-0001')).toMatchObject({
      location: '二楼走廊',
      reporterId: await personOf(db, PEOPLE.wang.userId),
    });
    const [announcement] = await e2e.delivered();
    expect(announcement).toMatchObject({ api: 'groupMessages', conversationId: STAFF_GROUP });
    expect(shown(announcement!).text).toContain('已登记隐患 YH-2026-0001');
  });

  it('a parent confirms the letter started over Stream through its link and the H5 receipt page', async () => {
    await e2e.say(PEOPLE.li, STAFF_GROUP, '回执 发起 防溺水 截止 6月30日');
    const sent = await e2e.delivered();
    const letter = sent.find((message) => message.conversationId === PARENTS_GROUP);
    expect(letter).toMatchObject({ api: 'groupMessages', msgKey: 'sampleActionCard3' });
    const confirmed = await openAndSubmit(linkTitled(shown(letter!), '我已阅读并承诺'), {
      studentName: '王一鸣',
      phoneDigits: '1020',
    });
    expect(confirmed.resultStatus).toBe(200);
    expect(confirmed.result).toContain('已确认');
    expect(await receiptsByStudent(db)).toEqual({ 王一鸣: 'h5' });
  });

  it('handles a message once when DingTalk pushes it again because the first ack was lost', async () => {
    clock.advance(MINUTE);
    const message = fake.robotMessage({ text: '帮助', staffId: PEOPLE.wu.userId, conversationId: STAFF_GROUP });
    const { messageId, acked } = fake.pushRobotMessage(message, { loseAcks: 1 });
    await acked;
    await waitForInbound(db, String(message.msgId));
    expect(fake.acks.filter((ack) => ack.messageId === messageId)).toHaveLength(2);
    expect((await e2e.delivered()).map((sent) => sent.api)).toEqual(['session']);
  });

  it('acks a malformed robot message so it is not pushed again, and handles nothing', async () => {
    const { messageId, acked } = fake.pushRobotMessage({ msgtype: 'text', text: { content: ' 帮助' } });
    expect(await acked).toMatchObject({ messageId, code: 200 });
    expect(e2e.log.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'dingtalk stream message malformed' }),
    );
    expect(await e2e.delivered()).toEqual([]);
    expect(fake.unackedCount()).toBe(0);
  });

  it('escalates an overdue hazard to the principal with a DING beside the private message', async () => {
    await e2e.say(PEOPLE.zhang, STAFF_GROUP, '指派 YH-2026-0001 @吴老师 截止 6月11日');
    const assigned = await e2e.delivered();
    expect(assigned.find((message) => message.api === 'oToMessages')?.userIds).toEqual([PEOPLE.wu.userId]);

    // Deadline 6月11日 23:59; on Sunday 6月14日 at 09:30 it is three days overdue.
    clock.set('2026-06-14T01:30:00Z');
    await runtime.tick(clock.now());
    const nags = await e2e.delivered();
    const toPrincipal = nags.filter((message) => message.userIds?.includes(PEOPLE.chen.userId));
    expect(toPrincipal.map((message) => message.api)).toEqual(['oToMessages', 'ding']);
    expect(shown(toPrincipal[0]!).title).toBe('逾期督办 · YH-2026-0001');
    expect(toPrincipal[1]!.body).toMatchObject({
      robotCode: fake.clientId,
      remindType: 1,
      receiverUserIdList: [PEOPLE.chen.userId],
      content: '逾期督办 · YH-2026-0001',
    });
    // The safety officer's rung is not urgent: a private message, no DING.
    const toOfficer = nags.filter((message) => message.userIds?.includes(PEOPLE.zhang.userId));
    expect(toOfficer.map((message) => message.api)).toEqual(['oToMessages']);

    const statuses = await outboxStatuses(db);
    expect(statuses.pending ?? 0).toBe(0);
    expect(statuses.dead ?? 0).toBe(0);
  });
});
