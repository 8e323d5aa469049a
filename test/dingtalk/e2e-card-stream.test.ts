/**
 * DingTalk end to end with an interactive card template over Stream mode: cards are created with
 * callbackType STREAM, clicks arrive as TOPIC_CARD callback frames on the transport's WebSocket, and the
 * ack carries the answer the fake applies to the card.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TOPIC_CARD, TOPIC_ROBOT } from '../fakes/dingtalk/server.js';
import { createTestDb } from '../helpers/db.js';
import { testClock } from '../helpers/runtime.js';
import {
  BOUND_PARENT,
  CARD_TEMPLATE_ID,
  hazardByCode,
  openAndSubmit,
  openableUrl,
  outboxStatuses,
  PARENTS_GROUP,
  PEOPLE,
  personOf,
  receiptsByStudent,
  STAFF_GROUP,
  STRANGER,
  shown,
  startDingtalkE2E,
} from './e2e-harness.js';

const MINUTE = 60_000;

describe('DingTalk interactive cards over Stream mode, end to end', async () => {
  const database = await createTestDb();
  // Wednesday 2026-06-10, 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const e2e = await startDingtalkE2E({
    database,
    clock,
    env: { DINGTALK_TRANSPORT: 'stream', DINGTALK_CARD_TEMPLATE_ID: CARD_TEMPLATE_ID },
    fake: { redeliverAfterMs: 300 },
  });
  const { fake } = e2e;
  const db = database.db;
  afterAll(async () => {
    await e2e.close();
    await database.close();
  });

  it('subscribes to robot messages and card callbacks on one connection', () => {
    expect(fake.openConnectionCount(TOPIC_ROBOT)).toBe(1);
    expect(fake.openConnectionCount(TOPIC_CARD)).toBe(1);
  });

  it('a teacher confirms a hazard by tapping the card: the answer travels back in the Stream ack', async () => {
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '操场东侧围栏松动，有学生攀爬');
    const [draft, ...others] = await e2e.delivered();
    expect(others).toEqual([]);
    expect(draft).toMatchObject({ api: 'card', conversationId: STAFF_GROUP });
    expect(draft!.body).toMatchObject({ cardTemplateId: CARD_TEMPLATE_ID, callbackType: 'STREAM' });
    expect(draft!.body.callbackRouteKey).toBeUndefined();
    const outTrackId = String(draft!.body.outTrackId);

    const click = await fake.clickButton({ outTrackId, userId: PEOPLE.wang.userId, label: '确认登记' });
    expect(click).toMatchObject({ status: 200, late: false });
    expect(fake.acks.at(-1)).toMatchObject({ code: 200 });
    expect(fake.visibleCard(outTrackId, PEOPLE.chen.userId).title).toBe('已登记 YH-2026-0001');
    expect(fake.visibleCard(outTrackId, PEOPLE.wang.userId).notice).toBe('已登记 YH-2026-0001');
    expect(await hazardByCode(db, 'YH-2026-0001')).toMatchObject({
      reporterId: await personOf(db, PEOPLE.wang.userId),
    });
    const [announcement] = await e2e.delivered();
    expect(shown(announcement!).text).toContain('已登记隐患 YH-2026-0001');
  });

  it('parents confirm on the letter card over Stream; a callback pushed again after a lost ack is handled once', async () => {
    await e2e.say(PEOPLE.li, STAFF_GROUP, '回执 发起 防溺水 截止 6月30日');
    const letter = (await e2e.delivered()).find((message) => message.conversationId === PARENTS_GROUP);
    expect(letter?.body).toMatchObject({ callbackType: 'STREAM', openSpaceId: `dtv1.card//IM_GROUP.${PARENTS_GROUP}` });
    const outTrackId = String(letter!.body.outTrackId);

    clock.advance(MINUTE);
    await fake.clickButton({ outTrackId, userId: STRANGER, label: '我已阅读并承诺' });
    const theirs = fake.visibleCard(outTrackId, STRANGER);
    expect(theirs.notice).toContain('第一次确认，请先核对身份');
    expect(fake.visibleCard(outTrackId, BOUND_PARENT.userId).btn1_text).toBe('我已阅读并承诺');

    clock.advance(MINUTE);
    const shownToParent = fake.visibleCard(outTrackId, BOUND_PARENT.userId);
    const { messageId, acked } = fake.pushCardCallback(
      {
        type: 'actionCallback',
        outTrackId,
        corpId: 'dingcorp0001',
        userId: BOUND_PARENT.userId,
        userIdType: 1,
        spaceType: 'IM_GROUP',
        spaceId: PARENTS_GROUP,
        extension: '{}',
        content: JSON.stringify({
          cardPrivateData: { actionIds: ['btn1'], params: { value: shownToParent.btn1_value } },
        }),
      },
      { loseAcks: 1 },
    );
    const final = await acked;
    const acks = fake.acks.filter((ack) => ack.messageId === messageId);
    expect(acks).toHaveLength(2);
    expect(
      (acks[0]!.data as { response: { userPrivateData: { cardParamMap: { notice: string } } } }).response,
    ).toMatchObject({ userPrivateData: { cardParamMap: { notice: expect.stringContaining('已确认') } } });
    expect(final.data).toEqual({ response: {} });
    expect(await receiptsByStudent(db)).toEqual({ 刘小雨: 'card' });

    const bound = await openAndSubmit(openableUrl(theirs.notice_link_url!), {
      studentName: '孙小杰',
      phoneDigits: '1010',
    });
    expect(bound.result).toContain('已确认');
    expect(await receiptsByStudent(db)).toEqual({ 刘小雨: 'card', 孙小杰: 'h5' });

    const statuses = await outboxStatuses(db);
    expect(statuses.pending ?? 0).toBe(0);
    expect(statuses.dead ?? 0).toBe(0);
  });
});
