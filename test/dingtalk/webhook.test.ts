import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/model/inbound.js';
import { createDingtalkPlatform, dingtalkConfigFrom } from '../../src/platforms/dingtalk/index.js';
import { createDingtalkWebhook } from '../../src/platforms/dingtalk/webhook.js';
import type { HandleResult, InboundPipeline } from '../../src/platforms/types.js';
import { cardCallback, pictureContent, richTextContent, robotMessage } from '../fakes/dingtalk/messages.js';
import { signCardCallback, signRobotCallback } from '../fakes/dingtalk/sign.js';
import { dingtalkFixture } from '../fixtures/dingtalk/index.js';
import { memoryLog, recordingPipeline, testLinks } from './helpers.js';

const SECRET = 'app-secret';
const CARD_SECRET = 'card-callback-secret';
const config = dingtalkConfigFrom({
  DINGTALK_CLIENT_ID: 'dingappkey',
  DINGTALK_CLIENT_SECRET: SECRET,
  DINGTALK_CARD_TEMPLATE_ID: 'tpl-xiaoan.schema',
  DINGTALK_CARD_CALLBACK_SECRET: CARD_SECRET,
})!;

function setup(pipeline: InboundPipeline, options: { cardAnswerDeadlineMs?: number; withoutCards?: boolean } = {}) {
  const log = memoryLog();
  const effective = options.withoutCards ? { ...config, card: undefined } : config;
  const webhook = options.cardAnswerDeadlineMs
    ? createDingtalkWebhook({
        config: effective,
        links: testLinks(),
        log,
        cardAnswerDeadlineMs: options.cardAnswerDeadlineMs,
      })
    : createDingtalkPlatform(effective, { links: testLinks(), log }).webhook!;
  const app = new Hono();
  app.post('/webhooks/dingtalk', (c) => webhook(c, pipeline));
  return { app, log };
}

function post(app: Hono, body: unknown, headers: Record<string, string>) {
  return app.request('/webhooks/dingtalk', {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const signedNow = () => signRobotCallback(SECRET, Date.now());

describe('POST /webhooks/dingtalk — robot messages', () => {
  it('verifies, parses, hands the event to the pipeline and acks with an empty reply', async () => {
    const pipeline = recordingPipeline();
    const { app } = setup(pipeline);
    const response = await post(app, dingtalkFixture('text-group'), signedNow());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ msgtype: 'empty' });
    expect(pipeline.events).toHaveLength(1);
    expect(pipeline.events[0]).toMatchObject({
      id: 'msgA1b2C3d4E5f6G7h8==',
      tenant: 'dingappkey',
      text: '二楼走廊的灭火器箱是空的，灭火器不知道被谁拿走了',
      mentionsBot: true,
    });
  });

  it('refuses a bad signature before looking at the body, and logs why without the secret', async () => {
    const pipeline = recordingPipeline();
    const { app, log } = setup(pipeline);
    const response = await post(app, 'not even json', signRobotCallback('wrong-secret', Date.now()));
    expect(response.status).toBe(401);
    expect(pipeline.events).toEqual([]);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', obj: { reason: 'mismatch' } }));
    expect(JSON.stringify(log.entries)).not.toContain(SECRET);
  });

  it('refuses a timestamp older than one hour and requests without signature headers', async () => {
    const pipeline = recordingPipeline();
    const { app, log } = setup(pipeline);
    const stale = await post(
      app,
      dingtalkFixture('text-group'),
      signRobotCallback(SECRET, Date.now() - 61 * 60 * 1000),
    );
    expect(stale.status).toBe(401);
    expect(log.entries).toContainEqual(expect.objectContaining({ obj: { reason: 'stale' } }));
    const unsigned = await post(app, dingtalkFixture('text-group'), {});
    expect(unsigned.status).toBe(401);
    expect(pipeline.events).toEqual([]);
  });

  it('answers 400 to a signed but malformed body', async () => {
    const pipeline = recordingPipeline();
    const { app } = setup(pipeline);
    expect((await post(app, '{"msgtype":', signedNow())).status).toBe(400);
    const { conversationId: _, ...noConversation } = dingtalkFixture('text-group');
    expect((await post(app, noConversation, signedNow())).status).toBe(400);
    expect(pipeline.events).toEqual([]);
  });

  it('answers a duplicate msgId like the first delivery; the pipeline key dedupes it', async () => {
    const pipeline = recordingPipeline();
    const { app } = setup(pipeline);
    const message = robotMessage({ text: '实验楼三楼的应急灯不亮' });
    const first = await post(app, message, signedNow());
    const second = await post(app, message, signedNow());
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual({ msgtype: 'empty' });
    expect(pipeline.results.map((r) => r.duplicate)).toEqual([false, true]);
    expect(pipeline.handled()).toHaveLength(1);
  });

  it('parses group and 1:1 text, richText and pictures, and non-member senders', async () => {
    const pipeline = recordingPipeline();
    const { app } = setup(pipeline);
    const bodies = [
      robotMessage({ text: '宿舍检查搜出了两个电吹风', staffId: 'staff-li' }),
      robotMessage({ text: '今天要查什么', conversationType: '1', staffId: 'staff-li' }),
      robotMessage({ msgtype: 'richText', content: richTextContent([{ text: '围墙裂缝' }, { downloadCode: 'dl-1' }]) }),
      robotMessage({ msgtype: 'picture', content: pictureContent('dl-2') }),
      robotMessage({ text: '收到', staffId: null, senderNick: '小明妈妈' }),
    ];
    for (const body of bodies) expect((await post(app, body, signedNow())).status).toBe(200);
    const [group, direct, rich, picture, outsider] = pipeline.events as [
      InboundEvent,
      InboundEvent,
      InboundEvent,
      InboundEvent,
      InboundEvent,
    ];
    expect(group).toMatchObject({
      chat: { type: 'group' },
      actor: { platformUserId: 'staff-li' },
      text: '宿舍检查搜出了两个电吹风',
    });
    expect(direct).toMatchObject({ chat: { id: 'dm:staff-li', type: 'direct' }, mentionsBot: true });
    expect(rich).toMatchObject({ text: '围墙裂缝', attachments: [{ kind: 'image', key: 'dl-1' }] });
    expect(picture.attachments).toEqual([{ kind: 'image', key: 'dl-2' }]);
    expect(outsider.actor.platformUserId).toMatch(/^\$:LWCP_v1:\$/);
    expect(outsider.actor.name).toBe('小明妈妈');
  });

  it('answers 500 when the pipeline fails, so the delivery is not acknowledged', async () => {
    const failing: InboundPipeline = { handle: () => Promise.reject(new Error('db down')) };
    const { app } = setup(failing);
    expect((await post(app, robotMessage({ text: 'x' }), signedNow())).status).toBe(500);
  });
});

describe('POST /webhooks/dingtalk — card callbacks', () => {
  const click = () =>
    cardCallback({
      outTrackId: 'receipt:letter-42:cidPARENTS3class2==',
      userId: 'staff-zhang',
      spaceId: 'cidPARENTS3class2==',
      params: { value: JSON.stringify({ flow: 'receipt', op: 'confirm', letterId: '42' }) },
    });

  it('verifies x-ddpaas-signature, hands the click over and answers with the rendered HandleResult', async () => {
    const pipeline = recordingPipeline(() => ({
      answer: {
        toast: { type: 'success', text: '已确认' },
        card: { title: '防溺水安全告家长书', tone: 'success', blocks: [], buttons: [], footer: '已确认 18/40' },
      },
    }));
    const { app } = setup(pipeline);
    const response = await post(app, click(), signCardCallback(CARD_SECRET, Date.now()));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, { cardParamMap: Record<string, string> }>;
    expect(body.userPrivateData?.cardParamMap).toMatchObject({ notice: '已确认', notice_link_visible: 'false' });
    expect(body.cardData?.cardParamMap).toMatchObject({ footer: '已确认 18/40', tone: 'success' });
    expect(pipeline.events[0]).toMatchObject({
      kind: 'action',
      actor: { platformUserId: 'staff-zhang' },
      chat: { id: 'cidPARENTS3class2==', type: 'group' },
      action: { value: { flow: 'receipt', op: 'confirm', letterId: '42' } },
    });
  });

  it('refuses card callbacks with a bad or stale signature, or when no card secret is configured', async () => {
    const pipeline = recordingPipeline();
    const { app } = setup(pipeline);
    expect((await post(app, click(), signCardCallback('guess', Date.now()))).status).toBe(401);
    expect((await post(app, click(), signCardCallback(CARD_SECRET, Date.now() - 2 * 3600_000))).status).toBe(401);
    const { app: noCards } = setup(pipeline, { withoutCards: true });
    expect((await post(noCards, click(), signCardCallback(CARD_SECRET, Date.now()))).status).toBe(401);
    expect(pipeline.events).toEqual([]);
  });

  it('answers 400 to a signed click without an action value', async () => {
    const pipeline = recordingPipeline();
    const { app } = setup(pipeline);
    const body = { ...click(), content: JSON.stringify({ cardPrivateData: { params: { action: 'accept' } } }) };
    expect((await post(app, body, signCardCallback(CARD_SECRET, Date.now()))).status).toBe(400);
  });

  it('answers with the card unchanged when the pipeline misses the deadline', async () => {
    let finish!: (result: HandleResult) => void;
    const slow: InboundPipeline = {
      handle: () =>
        new Promise<HandleResult>((resolve) => {
          finish = resolve;
        }),
    };
    const { app, log } = setup(slow, { cardAnswerDeadlineMs: 20 });
    const response = await post(app, click(), signCardCallback(CARD_SECRET, Date.now()));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('deadline') }),
    );
    finish({ duplicate: false });
  });
});
