/**
 * DingTalk end to end with an interactive card template over HTTP: cards are created with
 * createAndDeliver (callbackType HTTP, the route registered at start); the fake delivers clicks as signed
 * card callbacks to the real /webhooks/dingtalk and applies the answers to its cards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cardCallback } from '../fakes/dingtalk/messages.js';
import { signCardCallback } from '../fakes/dingtalk/sign.js';
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

const CARD_SECRET = 'card-callback-secret-0123456789abcdef';
const MINUTE = 60_000;

describe('DingTalk interactive cards over HTTP callbacks, end to end', async () => {
  const database = await createTestDb();
  // Wednesday 2026-06-10, 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const e2e = await startDingtalkE2E({
    database,
    clock,
    env: { DINGTALK_CARD_TEMPLATE_ID: CARD_TEMPLATE_ID, DINGTALK_CARD_CALLBACK_SECRET: CARD_SECRET },
  });
  const { fake } = e2e;
  const db = database.db;
  let letterCard = '';
  afterAll(async () => {
    await e2e.close();
    await database.close();
  });

  it('registers its card callback route with DingTalk at start', () => {
    expect(fake.callbackRoute('xiaoan')).toEqual({ callbackUrl: e2e.webhookUrl, apiSecret: CARD_SECRET });
  });

  it('a teacher confirms a hazard by tapping the card: the signed callback answers in time and redraws it for everyone', async () => {
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '三楼东侧楼梯口的灭火器压力不足');
    const [draft, ...others] = await e2e.delivered();
    expect(others).toEqual([]);
    expect(draft).toMatchObject({ api: 'card', conversationId: STAFF_GROUP });
    expect(draft!.body).toMatchObject({
      cardTemplateId: CARD_TEMPLATE_ID,
      callbackType: 'HTTP',
      callbackRouteKey: 'xiaoan',
      openSpaceId: `dtv1.card//IM_GROUP.${STAFF_GROUP}`,
    });
    expect(shown(draft!).title).toBe('请确认隐患登记');
    const outTrackId = String(draft!.body.outTrackId);

    const click = await fake.clickButton({ outTrackId, userId: PEOPLE.wang.userId, label: '确认登记' });
    expect(click).toMatchObject({ status: 200, late: false });
    expect(fake.visibleCard(outTrackId, PEOPLE.wang.userId)).toMatchObject({
      title: '已登记 YH-2026-0001',
      notice: '已登记 YH-2026-0001',
    });
    expect(fake.visibleCard(outTrackId, PEOPLE.zhang.userId).title).toBe('已登记 YH-2026-0001');
    expect(await hazardByCode(db, 'YH-2026-0001')).toMatchObject({
      reporterId: await personOf(db, PEOPLE.wang.userId),
    });
    const [announcement] = await e2e.delivered();
    expect(announcement).toMatchObject({ api: 'groupMessages', conversationId: STAFF_GROUP });
    expect(shown(announcement!).text).toContain('已登记隐患 YH-2026-0001');
  });

  it('parents confirm on the letter card: one tap when bound, the H5 page first when not — the button stays for the group', async () => {
    await e2e.say(PEOPLE.li, STAFF_GROUP, '回执 发起 防溺水 截止 6月30日');
    const letter = (await e2e.delivered()).find((message) => message.conversationId === PARENTS_GROUP);
    expect(letter).toMatchObject({ api: 'card' });
    letterCard = String(letter!.body.outTrackId);
    expect(fake.visibleCard(letterCard, BOUND_PARENT.userId)).toMatchObject({
      title: '防溺水安全致家长的一封信',
      btn1_text: '我已阅读并承诺',
      link1_text: '查看全文',
    });

    clock.advance(MINUTE);
    const first = await fake.clickButton({ outTrackId: letterCard, userId: STRANGER, label: '我已阅读并承诺' });
    expect(first).toMatchObject({ status: 200, late: false });
    const theirs = fake.visibleCard(letterCard, STRANGER);
    expect(theirs.notice).toContain('第一次确认，请先核对身份');
    expect(theirs).toMatchObject({ notice_link_text: '核对并确认', notice_link_visible: 'true' });
    expect(fake.visibleCard(letterCard, BOUND_PARENT.userId).btn1_text).toBe('我已阅读并承诺');

    clock.advance(MINUTE);
    const second = await fake.clickButton({
      outTrackId: letterCard,
      userId: BOUND_PARENT.userId,
      label: '我已阅读并承诺',
    });
    expect(second).toMatchObject({ status: 200, late: false });
    expect(fake.visibleCard(letterCard, BOUND_PARENT.userId).notice).toContain('已确认');
    expect(await receiptsByStudent(db)).toEqual({ 刘小雨: 'card' });

    const bound = await openAndSubmit(openableUrl(theirs.notice_link_url!), {
      studentName: '孙小杰',
      phoneDigits: '1010',
    });
    expect(new URL(bound.finalUrl).pathname).toMatch(/^\/h5\/receipt\//);
    expect(bound.result).toContain('已确认');
    expect(await receiptsByStudent(db)).toEqual({ 刘小雨: 'card', 孙小杰: 'h5' });
  });

  it('refuses card callbacks with a forged or stale signature; a repeated callback is handled once', async () => {
    clock.advance(MINUTE);
    const body = JSON.stringify(
      cardCallback({
        outTrackId: letterCard,
        userId: BOUND_PARENT.userId,
        spaceId: PARENTS_GROUP,
        params: { value: fake.visibleCard(letterCard, BOUND_PARENT.userId).btn1_value },
      }),
    );
    const post = (headers: Record<string, string>) =>
      fetch(e2e.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const now = clock.now().getTime();
    expect((await post(signCardCallback('not-the-api-secret', now))).status).toBe(401);
    expect((await post(signCardCallback(CARD_SECRET, now - 61 * MINUTE))).status).toBe(401);
    expect((await post({ 'x-ddpaas-signature-timestamp': String(now) })).status).toBe(401);

    const signed = signCardCallback(CARD_SECRET, now);
    const once = await post(signed);
    const twice = await post(signed);
    expect([once.status, twice.status]).toEqual([200, 200]);
    expect((await once.json()).userPrivateData.cardParamMap.notice).toContain('已确认');
    expect(await twice.json()).toEqual({});
    expect(await receiptsByStudent(db)).toEqual({ 刘小雨: 'card', 孙小杰: 'h5' });
    expect(await e2e.delivered()).toEqual([]);

    const statuses = await outboxStatuses(db);
    expect(statuses.pending ?? 0).toBe(0);
    expect(statuses.dead ?? 0).toBe(0);
  });
});
