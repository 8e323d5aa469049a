import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundDelivery } from '../../src/delivery/sender.js';
import type { Card } from '../../src/model/card.js';
import {
  createDingtalkPlatform,
  type DingtalkPlatform,
  dingtalkConfigFrom,
  registerDingtalkCardCallback,
} from '../../src/platforms/dingtalk/index.js';
import { replyHandle } from '../../src/platforms/dingtalk/parse.js';
import { type DingtalkFake, startDingtalkFake } from '../fakes/dingtalk/server.js';
import { memoryLog, recordingPipeline, testLinks } from './helpers.js';

const GROUP = 'cidPARENTS3class2==';

const letterCard: Card = {
  title: '防溺水安全告家长书',
  tone: 'warning',
  blocks: [{ type: 'markdown', text: '请家长督促孩子做到“六不”。' }],
  buttons: [
    {
      id: 'confirm',
      label: '我已阅读并承诺',
      style: 'primary',
      value: { flow: 'receipt', op: 'confirm', letterId: '42' },
    },
    { id: 'full', label: '查看全文', style: 'default', url: 'https://school.example/letters/42' },
  ],
};

let serial = 0;
function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  serial += 1;
  return {
    outboxId: String(serial),
    target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: GROUP },
    body: { type: 'text', text: '收到，已登记' },
    urgency: 'normal',
    idempotencyKey: `key-${serial}`,
    attempt: 1,
    ...overrides,
  };
}

describe('DingTalk sender against the fake', () => {
  let fake: DingtalkFake;
  let platform: DingtalkPlatform;
  const start = async (env: Record<string, string> = {}, fakeOptions = {}) => {
    fake = await startDingtalkFake(fakeOptions);
    platform = createDingtalkPlatform(dingtalkConfigFrom(fake.env(env))!, { links: testLinks(), log: memoryLog() });
  };
  afterEach(() => fake.close());

  describe('without a card template', () => {
    beforeEach(() => start());

    it('replies through the sessionWebhook while it is valid', async () => {
      const session = fake.createSession(GROUP, Date.now() + 3600_000);
      const result = await platform.sender.send(
        delivery({ replyChannel: { url: session.url, expiresAt: new Date(session.expiresAt).toISOString() } }),
      );
      expect(result).toEqual({ ok: true });
      expect(fake.sent).toEqual([
        expect.objectContaining({
          api: 'session',
          conversationId: GROUP,
          body: { msgtype: 'text', text: { content: '收到，已登记' } },
        }),
      ]);
      expect(fake.tokenRequests).toBe(0);
    });

    it('uses the group send API once the sessionWebhook has expired', async () => {
      const session = fake.createSession(GROUP, Date.now() - 1000);
      const result = await platform.sender.send(
        delivery({ replyChannel: { url: session.url, expiresAt: new Date(session.expiresAt).toISOString() } }),
      );
      expect(result).toMatchObject({ ok: true, platformMessageId: expect.stringMatching(/^pqk-/) });
      expect(fake.requests.map((r) => r.path)).toEqual(['/v1.0/robot/groupMessages/send']);
      expect(fake.sent).toEqual([
        expect.objectContaining({
          api: 'groupMessages',
          conversationId: GROUP,
          msgKey: 'sampleText',
          msgParam: { content: '收到，已登记' },
        }),
      ]);
    });

    it('falls back to the group send API when DingTalk refuses a sessionWebhook that looked valid', async () => {
      const session = fake.createSession(GROUP, Date.now() - 1000);
      const result = await platform.sender.send(
        delivery({ replyChannel: { url: session.url, expiresAt: new Date(Date.now() + 3600_000).toISOString() } }),
      );
      expect(result.ok).toBe(true);
      expect(fake.requests.map((r) => r.path)).toEqual(['/robot/sendBySession', '/v1.0/robot/groupMessages/send']);
      expect(fake.sent.map((m) => m.api)).toEqual(['groupMessages']);
    });

    it('sends a 1:1 chat through batchSend to its user', async () => {
      const result = await platform.sender.send(
        delivery({ target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: 'dm:staff-li' } }),
      );
      expect(result.ok).toBe(true);
      expect(fake.sent).toEqual([
        expect.objectContaining({ api: 'oToMessages', userIds: ['staff-li'], msgKey: 'sampleText' }),
      ]);
      await platform.sender.send(
        delivery({ target: { platform: 'dingtalk', tenant: 'dingappkey', userId: 'staff-wang' } }),
      );
      expect(fake.sent[1]).toMatchObject({ api: 'oToMessages', userIds: ['staff-wang'] });
    });

    it('refuses 1:1 sends to people outside the organisation without calling DingTalk', async () => {
      const result = await platform.sender.send(
        delivery({ target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: 'dm:$:LWCP_v1:$Pa7rEnT0mOm1xYz' } }),
      );
      expect(result).toMatchObject({ ok: false, kind: 'permanent' });
      expect(fake.requests).toEqual([]);
    });

    it('sends a card as an actionCard whose buttons are signed links', async () => {
      const result = await platform.sender.send(delivery({ body: { type: 'card', card: letterCard } }));
      expect(result.ok).toBe(true);
      const [sent] = fake.sent;
      expect(sent).toMatchObject({ api: 'groupMessages', msgKey: 'sampleActionCard2' });
      const param = sent!.msgParam as Record<string, string>;
      expect(param.actionTitle1).toBe('我已阅读并承诺');
      const token = decodeURIComponent(param.actionURL1!).split('/h5/act/')[1]!.split('&')[0]!;
      const verified = testLinks().verify(token, new Date());
      expect(verified.ok).toBe(true);
      expect(verified.ok && testLinks().actionClaims(verified.claims)).toMatchObject({
        platform: 'dingtalk',
        chatId: GROUP,
        userId: '',
      });
      expect(decodeURIComponent(param.actionURL2!)).toContain('https://school.example/letters/42');
    });

    it('mints the links of a group reply for the person it answers', async () => {
      const result = await platform.sender.send(
        delivery({ body: { type: 'card', card: letterCard }, replyTo: replyHandle('msgQ1==', 'staff-li') }),
      );
      expect(result.ok).toBe(true);
      const param = fake.sent[0]!.msgParam as Record<string, string>;
      const token = decodeURIComponent(param.actionURL1!).split('/h5/act/')[1]!.split('&')[0]!;
      const verified = testLinks().verify(token, new Date());
      expect(verified.ok && testLinks().actionClaims(verified.claims)).toMatchObject({
        chatId: GROUP,
        userId: 'staff-li',
        label: '我已阅读并承诺',
      });
    });

    it('passes throttling on as rate_limited without sending', async () => {
      fake.failNext('groupMessages/send', 403, {
        code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
        message: '超限',
      });
      const result = await platform.sender.send(delivery());
      expect(result).toMatchObject({ ok: false, kind: 'rate_limited', retryAfterMs: 1000 });
      expect(fake.sent).toEqual([]);
    });

    it('keeps a throttled sessionWebhook for a later retry instead of switching to the API', async () => {
      await fake.close();
      await start();
      const session = fake.createSession(GROUP, Date.now() + 3600_000);
      const realFetch = globalThis.fetch;
      const throttled = createDingtalkPlatform(dingtalkConfigFrom(fake.env())!, {
        links: testLinks(),
        log: memoryLog(),
        fetch: async (input, init) =>
          String(input).includes('sendBySession')
            ? new Response(JSON.stringify({ errcode: 90018, errmsg: 'qps' }), { status: 200 })
            : realFetch(input, init),
      });
      const result = await throttled.sender.send(
        delivery({ replyChannel: { url: session.url, expiresAt: new Date(session.expiresAt).toISOString() } }),
      );
      expect(result).toMatchObject({ ok: false, kind: 'rate_limited' });
      expect(fake.sent).toEqual([]);
    });

    it('makes an urgent group message @-mention the user and follow up privately', async () => {
      const session = fake.createSession(GROUP, Date.now() + 3600_000);
      const result = await platform.sender.send(
        delivery({
          target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: GROUP, userId: 'staff-principal' },
          urgency: 'urgent',
          body: { type: 'text', text: 'YH-2026-0007 已逾期 3 天' },
          replyChannel: { url: session.url, expiresAt: new Date(session.expiresAt).toISOString() },
        }),
      );
      expect(result.ok).toBe(true);
      expect(fake.sent).toEqual([
        expect.objectContaining({
          api: 'session',
          body: {
            msgtype: 'text',
            text: { content: 'YH-2026-0007 已逾期 3 天 @staff-principal' },
            at: { atUserIds: ['staff-principal'], isAtAll: false },
          },
        }),
        expect.objectContaining({
          api: 'oToMessages',
          userIds: ['staff-principal'],
          msgParam: { content: 'YH-2026-0007 已逾期 3 天' },
        }),
      ]);
    });

    it('mints the private copy’s links for its receiver', async () => {
      await platform.sender.send(
        delivery({
          target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: GROUP, userId: 'staff-li' },
          urgency: 'urgent',
          body: { type: 'card', card: letterCard },
        }),
      );
      const privateCopy = fake.sent.find((m) => m.api === 'oToMessages')!;
      const url = decodeURIComponent(String(privateCopy.msgParam?.actionURL1));
      const verified = testLinks().verify(url.split('/h5/act/')[1]!.split('&')[0]!, new Date());
      // A 1:1 link carries no chat id: the action page replays it as a direct-chat click of its user.
      expect(verified.ok && testLinks().actionClaims(verified.claims)).toMatchObject({
        chatId: '',
        userId: 'staff-li',
      });
    });

    it('declares an app-wide bucket under 20/s and a 20/min bucket per chat', () => {
      expect(platform.sender.bucketsFor({ platform: 'dingtalk', tenant: 'dingappkey', chatId: GROUP })).toEqual([
        { key: 'dingtalk:dingappkey:api', ratePerSecond: 20, burst: 20, shared: true },
        { key: `dingtalk:dingappkey:chat:${GROUP}`, ratePerSecond: 20 / 60, burst: 5 },
      ]);
      expect(
        platform.sender.bucketsFor({ platform: 'dingtalk', tenant: 'dingappkey', chatId: 'dm:staff-li' })[1]?.key,
      ).toBe('dingtalk:dingappkey:user:staff-li');
    });
  });

  describe('with DING enabled', () => {
    beforeEach(() => start({ DINGTALK_DING: '1' }));

    it('DINGs the user after an urgent message instead of the private copy', async () => {
      const result = await platform.sender.send(
        delivery({
          target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: GROUP, userId: 'staff-principal' },
          urgency: 'urgent',
          body: { type: 'text', text: '重大隐患：幼儿园疏散楼梯被堵' },
        }),
      );
      expect(result.ok).toBe(true);
      expect(fake.sent.map((m) => m.api)).toEqual(['groupMessages', 'ding']);
      expect(fake.sent[1]).toMatchObject({
        userIds: ['staff-principal'],
        body: { remindType: 1, content: '重大隐患：幼儿园疏散楼梯被堵', robotCode: 'dingappkey' },
      });
    });

    it('still reports the message as sent when DING is refused (the edition lacks it)', async () => {
      await fake.close();
      await start({ DINGTALK_DING: '1' }, { dingEnabled: false });
      const result = await platform.sender.send(
        delivery({
          target: { platform: 'dingtalk', tenant: 'dingappkey', userId: 'staff-principal' },
          urgency: 'urgent',
        }),
      );
      expect(result.ok).toBe(true);
      expect(fake.sent.map((m) => m.api)).toEqual(['oToMessages']);
    });
  });

  describe('with a card template over HTTP callbacks', () => {
    const env = {
      DINGTALK_CARD_TEMPLATE_ID: 'tpl-xiaoan.schema',
      DINGTALK_CARD_CALLBACK_SECRET: 'card-secret',
      DINGTALK_CARD_CALLBACK_ROUTE_KEY: 'xiaoan-test',
    };
    beforeEach(() => start(env));

    it('creates and delivers the card once per idempotency key', async () => {
      const first = delivery({ body: { type: 'card', card: letterCard }, idempotencyKey: 'receipt:42:class2' });
      expect(await platform.sender.send(first)).toEqual({ ok: true, platformMessageId: 'receipt:42:class2' });
      expect(await platform.sender.send({ ...first, attempt: 2 })).toEqual({
        ok: true,
        platformMessageId: 'receipt:42:class2',
      });
      expect(fake.sent.filter((m) => m.api === 'card')).toHaveLength(1);
      const body = fake.sent[0]!.body as Record<string, unknown>;
      expect(body).toMatchObject({
        cardTemplateId: 'tpl-xiaoan.schema',
        outTrackId: 'receipt:42:class2',
        callbackType: 'HTTP',
        callbackRouteKey: 'xiaoan-test',
        openSpaceId: `dtv1.card//IM_GROUP.${GROUP}`,
        imGroupOpenDeliverModel: { robotCode: 'dingappkey' },
        userIdType: 1,
      });
      expect(fake.card('receipt:42:class2')?.cardParamMap).toMatchObject({
        btn1_text: '我已阅读并承诺',
        btn1_value: JSON.stringify({ flow: 'receipt', op: 'confirm', letterId: '42' }),
        link1_text: '查看全文',
      });
    });

    it('sends text as before, without the template', async () => {
      await platform.sender.send(delivery());
      expect(fake.sent.map((m) => m.api)).toEqual(['groupMessages']);
    });

    it('delivers a clicked button to the pipeline over HTTP and applies the answer to the card', async () => {
      const pipeline = recordingPipeline(() => ({
        answer: {
          toast: { type: 'success', text: '已确认，谢谢' },
          card: { ...letterCard, buttons: [], footer: '已确认 18/40' },
        },
      }));
      const app = new Hono();
      app.post('/webhooks/dingtalk', (c) => platform.webhook!(c, pipeline));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
      try {
        const config = dingtalkConfigFrom(fake.env(env))!;
        const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        expect((await registerDingtalkCardCallback(platform, config, publicUrl)).ok).toBe(true);
        expect(fake.callbackRoute('xiaoan-test')).toEqual({
          callbackUrl: `${publicUrl}/webhooks/dingtalk`,
          apiSecret: 'card-secret',
        });

        await platform.sender.send(
          delivery({ body: { type: 'card', card: letterCard }, idempotencyKey: 'receipt:42:class2' }),
        );
        const card = fake.card('receipt:42:class2')!;
        const click = await fake.clickCard({
          outTrackId: 'receipt:42:class2',
          userId: 'staff-zhang',
          params: { value: card.cardParamMap.btn1_value },
        });
        expect(click).toMatchObject({ status: 200, late: false });
        expect(pipeline.events[0]).toMatchObject({
          kind: 'action',
          actor: { platformUserId: 'staff-zhang' },
          chat: { id: GROUP, type: 'group' },
          action: { value: { flow: 'receipt', op: 'confirm', letterId: '42' } },
        });
        expect(card.cardParamMap).toMatchObject({ footer: '已确认 18/40', btn1_visible: 'false' });
        expect(card.privateData['staff-zhang']).toMatchObject({ notice: '已确认，谢谢', notice_link_visible: 'false' });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});
