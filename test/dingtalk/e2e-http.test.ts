/**
 * DingTalk end to end over the HTTP callback transport: the fake posts signed robot messages to the real
 * /webhooks/dingtalk served over HTTP; replies, cards and nags reach the fake through the production
 * client. No card template (actionCards with signed links) and no DING (DINGTALK_DING unset).
 */
import { afterAll, describe, expect, it } from 'vitest';
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
  ROBOT,
  receiptsByStudent,
  STAFF_GROUP,
  shown,
  startDingtalkE2E,
  waitForInbound,
} from './e2e-harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const THROTTLED = {
  code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
  message: '应用调用该接口的QPS超出限制',
  requestid: 'req-throttled',
};

describe('DingTalk over HTTP callbacks, end to end', async () => {
  const database = await createTestDb();
  // Wednesday 2026-06-10, 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const e2e = await startDingtalkE2E({ database, clock });
  const { fake, runtime } = e2e;
  const db = database.db;
  afterAll(async () => {
    await e2e.close();
    await database.close();
  });

  it('a teacher reports a hazard: the confirmation card comes over the sessionWebhook and its link confirms as the teacher', async () => {
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '三楼东侧楼梯口的灭火器压力不足');
    const [draft, ...others] = await e2e.delivered();
    expect(others).toEqual([]);
    expect(draft).toMatchObject({ api: 'session', conversationId: STAFF_GROUP });
    const card = shown(draft!);
    expect(card.title).toBe('请确认隐患登记');
    expect(card.text).toContain('**部位**：三楼东侧楼梯口');
    expect(card.buttons.map((button) => button.title)).toEqual(['确认登记', '修改', '取消']);

    const confirm = linkTitled(card, '确认登记');
    expect(confirm.startsWith(`${e2e.baseUrl}/h5/act/`)).toBe(true);
    expect(actionLinkClaims(runtime, confirm, clock.now())).toMatchObject({
      platform: 'dingtalk',
      tenant: ROBOT,
      chatId: STAFF_GROUP,
      userId: PEOPLE.wang.userId,
      label: '确认登记',
    });
    const page = await fetch(confirm);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">确认登记</button>');
    const done = await fetch(confirm, { method: 'POST' });
    expect(await done.text()).toContain('已登记 YH-2026-0001');

    expect(await hazardByCode(db, 'YH-2026-0001')).toMatchObject({
      status: 'reported',
      location: '三楼东侧楼梯口',
      reporterId: await personOf(db, PEOPLE.wang.userId),
    });
    const [announcement, ...more] = await e2e.delivered();
    expect(more).toEqual([]);
    expect(announcement).toMatchObject({ api: 'groupMessages', conversationId: STAFF_GROUP, msgKey: 'sampleText' });
    expect(shown(announcement!).text).toContain('已登记隐患 YH-2026-0001');

    const again = await fetch(confirm, { method: 'POST' });
    expect(await again.text()).toContain('这个操作已经完成过了。');
    expect(await e2e.delivered()).toEqual([]);
  });

  it('a teacher reports in a 1:1 chat with the robot and confirms through the link there', async () => {
    await e2e.say(PEOPLE.wu, `dm:${PEOPLE.wu.userId}`, '四年级教室后门的门锁坏了，关不上');
    const [draft, ...others] = await e2e.delivered();
    expect(others).toEqual([]);
    expect(draft).toMatchObject({ api: 'session', conversationId: `cidDM${PEOPLE.wu.userId}==` });
    const confirm = linkTitled(shown(draft!), '确认登记');
    expect(actionLinkClaims(runtime, confirm, clock.now())).toMatchObject({ chatId: '', userId: PEOPLE.wu.userId });
    const done = await openAndSubmit(confirm);
    expect(done.result).toContain('已登记 YH-2026-0002');
    const [announcement] = await e2e.delivered();
    expect(announcement).toMatchObject({ api: 'oToMessages', userIds: [PEOPLE.wu.userId] });
    expect(shown(announcement!).text).toContain('已登记隐患 YH-2026-0002');
  });

  it('a parent confirms the letter through the actionCard link: the H5 receipt page binds child name and phone digits', async () => {
    await e2e.say(PEOPLE.li, STAFF_GROUP, '回执 发起 防溺水 截止 6月30日');
    const sent = await e2e.delivered();
    const started = sent.find((message) => message.api === 'session');
    expect(shown(started!).text).toContain('已发起《防溺水安全致家长的一封信》回执');
    const letters = sent.filter((message) => message.api === 'groupMessages');
    expect(letters.map((message) => message.conversationId)).toEqual([PARENTS_GROUP]);
    const letter = shown(letters[0]!);
    expect(letter.title).toBe('防溺水安全致家长的一封信');
    expect(letter.buttons.map((button) => button.title)).toEqual(['查看全文', '我已阅读并承诺', '在网页中确认']);

    // The card went to the whole group: its link acts as nobody and leads to the class's receipt page.
    const confirm = linkTitled(letter, '我已阅读并承诺');
    expect(actionLinkClaims(runtime, confirm, clock.now())?.userId).toBe('');
    const wrong = await openAndSubmit(confirm, { studentName: '孙小杰', phoneDigits: '9999' });
    expect(wrong.status).toBe(200);
    expect(new URL(wrong.finalUrl).pathname).toMatch(/^\/h5\/receipt\//);
    expect(wrong.page).toContain('防溺水安全致家长的一封信');
    expect(wrong.resultStatus).toBe(422);
    expect(await receiptsByStudent(db)).toEqual({});

    const right = await openAndSubmit(confirm, { studentName: '孙小杰', phoneDigits: '1010' });
    expect(right.resultStatus).toBe(200);
    expect(right.result).toContain('已确认');
    expect(await receiptsByStudent(db)).toEqual({ 孙小杰: 'h5' });

    // A parent outside the school's organisation (no senderStaffId) asks in the parents' group.
    await e2e.say({ userId: '', name: '孙爸爸' }, PARENTS_GROUP, '回执 进度');
    const [progress] = await e2e.delivered();
    expect(progress).toMatchObject({ api: 'session', conversationId: PARENTS_GROUP });
    expect(shown(progress!).text).toContain('1/3');
  });

  it('refuses forged, stale, unsigned and malformed callbacks before anything is handled', async () => {
    clock.advance(MINUTE);
    const message = fake.robotMessage({ text: '帮助', staffId: PEOPLE.wang.userId, conversationId: STAFF_GROUP });
    const forged = await fake.postRobotMessage(e2e.webhookUrl, message, { secret: 'not-the-app-secret' });
    const stale = await fake.postRobotMessage(e2e.webhookUrl, message, {
      timestamp: clock.now().getTime() - 61 * MINUTE,
    });
    const unsigned = await fake.postRobotMessage(e2e.webhookUrl, message, { unsigned: true });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    const notJson = await fake.postRobotMessage(e2e.webhookUrl, '{"msgtype":"text",');
    const noConversation = await fake.postRobotMessage(e2e.webhookUrl, { ...message, conversationId: undefined });
    expect([notJson.status, noConversation.status]).toEqual([400, 400]);
    expect(await e2e.delivered()).toEqual([]);
    await expect(waitForInbound(db, String(message.msgId), 200)).rejects.toThrow('was not handled');

    const genuine = await fake.postRobotMessage(e2e.webhookUrl, message);
    expect(genuine.status).toBe(200);
    expect((await e2e.delivered()).map((sent) => sent.api)).toEqual(['session']);
  });

  it('handles a redelivered msgId once, even when both deliveries arrive together', async () => {
    clock.advance(MINUTE);
    const message = fake.robotMessage({ text: '帮助', staffId: PEOPLE.wu.userId, conversationId: STAFF_GROUP });
    const responses = await Promise.all([
      fake.postRobotMessage(e2e.webhookUrl, message),
      fake.postRobotMessage(e2e.webhookUrl, message),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const later = await fake.postRobotMessage(e2e.webhookUrl, message);
    expect(later.status).toBe(200);
    expect(await e2e.delivered()).toHaveLength(1);
  });

  it('falls back to the group send API when DingTalk refuses the sessionWebhook or it has expired', async () => {
    clock.advance(MINUTE);
    // DingTalk ended the session earlier than the message said it would.
    const refused = {
      ...fake.robotMessage({ text: '帮助', staffId: PEOPLE.wang.userId, conversationId: STAFF_GROUP }),
      sessionWebhook: fake.createSession(STAFF_GROUP, clock.now().getTime() - 1).url,
    };
    await e2e.deliver(refused);
    const attempts = fake.requests.length;
    const [fallback] = await e2e.delivered();
    expect(fake.requests.slice(attempts).map((request) => request.path)).toEqual([
      '/robot/sendBySession',
      '/v1.0/robot/groupMessages/send',
    ]);
    expect(fallback).toMatchObject({ api: 'groupMessages', conversationId: STAFF_GROUP });

    // The reply is still waiting when the session runs out: the session is not even tried.
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '帮助');
    clock.advance(2 * HOUR);
    const before = fake.requests.length;
    const [late] = await e2e.delivered();
    expect(fake.requests.slice(before).map((request) => request.path)).toEqual(['/v1.0/robot/groupMessages/send']);
    expect(late).toMatchObject({ api: 'groupMessages', conversationId: STAFF_GROUP });
  });

  it('keeps a throttled message and sends it once the platform lets it through (both error envelopes)', async () => {
    // New API: HTTP 403 with a QPS code.
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '帮助');
    clock.advance(2 * HOUR);
    fake.failNext('groupMessages/send', 403, THROTTLED);
    expect(await e2e.delivered()).toEqual([]);
    expect(await outboxStatuses(db)).toMatchObject({ pending: 1 });
    // The dispatcher empties the target's buckets on a throttle; the per-chat pace (20/min) refills in 3 s.
    clock.advance(5000);
    const [sent] = await e2e.delivered();
    expect(sent).toMatchObject({ api: 'groupMessages', conversationId: STAFF_GROUP });

    // sessionWebhook: HTTP 200 with errcode 90018 (40 calls per second exceeded).
    await e2e.say(PEOPLE.wang, STAFF_GROUP, '帮助');
    fake.failNext('sendBySession', 200, { errcode: 90018, errmsg: '调用频率超过限制' });
    expect(await e2e.delivered()).toEqual([]);
    clock.advance(5000);
    const [reply] = await e2e.delivered();
    expect(reply).toMatchObject({ api: 'session', conversationId: STAFF_GROUP });

    const statuses = await outboxStatuses(db);
    expect(statuses.pending ?? 0).toBe(0);
    expect(statuses.dead ?? 0).toBe(0);
  });

  it('escalates an overdue hazard to the principal privately (no DING without DINGTALK_DING)', async () => {
    await e2e.say(PEOPLE.zhang, STAFF_GROUP, '指派 YH-2026-0001 @吴老师 截止 6月11日');
    const assigned = await e2e.delivered();
    expect(shown(assigned.find((message) => message.api === 'session')!).text).toContain(
      'YH-2026-0001 已指派给 吴老师',
    );
    const toOwner = assigned.find((message) => message.api === 'oToMessages');
    expect(toOwner?.userIds).toEqual([PEOPLE.wu.userId]);
    expect(shown(toOwner!).text).toContain('你被指派整改 YH-2026-0001');

    // Deadline 6月11日 23:59; on Sunday 6月14日 at 09:30 it is three days overdue. DingTalk holds the
    // principal's first 1:1 message back (flowControlledStaffIdList): it goes out on the retry.
    clock.set('2026-06-14T01:30:00Z');
    await runtime.tick(clock.now());
    fake.flowControlNext(PEOPLE.chen.userId);
    const nags = await e2e.delivered();
    expect(nags.filter((message) => message.userIds?.includes(PEOPLE.chen.userId))).toEqual([]);
    expect(await outboxStatuses(db)).toMatchObject({ pending: 1 });
    clock.advance(2 * MINUTE);
    const retried = await e2e.delivered();
    const toPrincipal = retried.filter((message) => message.userIds?.includes(PEOPLE.chen.userId));
    expect(toPrincipal.map((message) => message.api)).toEqual(['oToMessages']);
    expect(shown(toPrincipal[0]!).title).toBe('逾期督办 · YH-2026-0001');
    expect(shown(toPrincipal[0]!).text).toContain('【逾期升级】');
    const toOfficer = nags.filter((message) => message.userIds?.includes(PEOPLE.zhang.userId));
    expect(shown(toOfficer[0]!).text).toContain('【逾期督办】');
    expect(nags.filter((message) => message.api === 'ding')).toEqual([]);

    const statuses = await outboxStatuses(db);
    expect(statuses.pending ?? 0).toBe(0);
    expect(statuses.dead ?? 0).toBe(0);
  });
});
