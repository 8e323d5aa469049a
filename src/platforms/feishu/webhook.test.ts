import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  buildCardActionEvent,
  buildLegacyCardCallback,
  buildTextMessageEvent,
  signedChallenge,
  signFeishuEvent,
} from '../../../test/fakes/feishu/events.js';
import { FIXTURE, feishuFixture } from '../../../test/fixtures/feishu/load.js';
import type { Card } from '../../model/card.js';
import type { InboundEvent } from '../../model/inbound.js';
import type { HandleResult, InboundPipeline, Log } from '../types.js';
import { renderFeishuCard } from './render.js';
import { createFeishuWebhook } from './webhook.js';

const ENCRYPT_KEY = 'webhook-encrypt-key';
const config = { appId: FIXTURE.appId, verificationToken: FIXTURE.verificationToken, encryptKey: ENCRYPT_KEY };
const envelope = { verificationToken: FIXTURE.verificationToken, appId: FIXTURE.appId };
const doneCard: Card = {
  title: '已登记',
  tone: 'success',
  blocks: [{ type: 'markdown', text: '隐患编号 **YH-0001**' }],
  buttons: [],
};

/** Records what reached the pipeline and answers as told. */
class RecordingPipeline implements InboundPipeline {
  events: InboundEvent[] = [];
  answer: (event: InboundEvent) => Promise<HandleResult> = async () => ({ duplicate: false });
  async handle(event: InboundEvent) {
    this.events.push(event);
    return this.answer(event);
  }
}

let pipeline: RecordingPipeline;
let logged: { level: string; obj: unknown; msg?: string }[];
const log: Log = {
  debug: () => undefined,
  info: (obj, msg) => logged.push({ level: 'info', obj, msg }),
  warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }),
  error: (obj, msg) => logged.push({ level: 'error', obj, msg }),
};

function appWith(webhookConfig: typeof config | Omit<typeof config, 'encryptKey'> = config, deadlineMs = 500) {
  const webhook = createFeishuWebhook({
    config: webhookConfig,
    log,
    now: () => new Date(),
    botOpenId: async () => FIXTURE.botOpenId,
    deadlineMs,
  });
  const app = new Hono();
  app.all('/webhooks/feishu', (c) => webhook(c, pipeline));
  return app;
}

async function post(delivery: { body: string; headers: Record<string, string> }, app = appWith()) {
  const response = await app.request('/webhooks/feishu', {
    method: 'POST',
    body: delivery.body,
    headers: delivery.headers,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const signed = (payload: object) => signFeishuEvent(payload, { encryptKey: ENCRYPT_KEY });

beforeEach(() => {
  pipeline = new RecordingPipeline();
  logged = [];
});

describe('URL verification', () => {
  it('answers the plaintext and the encrypted challenge without touching the pipeline', async () => {
    const plain = signedChallenge({ verificationToken: FIXTURE.verificationToken });
    expect(await post(plain, appWith({ appId: config.appId, verificationToken: config.verificationToken }))).toEqual({
      status: 200,
      body: { challenge: plain.challenge },
    });
    const encrypted = signedChallenge({ verificationToken: FIXTURE.verificationToken, encryptKey: ENCRYPT_KEY });
    expect(await post(encrypted)).toEqual({ status: 200, body: { challenge: encrypted.challenge } });
    expect(pipeline.events).toEqual([]);
  });
});

describe('rejections', () => {
  it('refuses a forged signature with 401 and logs why, never the secrets', async () => {
    const forged = signFeishuEvent(feishuFixture('message-text'), { encryptKey: 'guessed-key' });
    expect(await post(forged)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(logged).toEqual([
      { level: 'warn', obj: { status: 401, reason: 'signature mismatch' }, msg: 'feishu webhook rejected' },
    ]);
    expect(JSON.stringify(logged)).not.toContain(ENCRYPT_KEY);
    expect(JSON.stringify(logged)).not.toContain(FIXTURE.verificationToken);
    expect(pipeline.events).toEqual([]);
  });

  it('refuses a wrong verification token', async () => {
    const payload = buildTextMessageEvent({
      ...envelope,
      verificationToken: 'stolen?',
      chatId: 'oc_1',
      senderOpenId: 'ou_1',
      text: 'x',
    });
    expect((await post(signed(payload))).status).toBe(401);
    const plainApp = appWith({ appId: config.appId, verificationToken: config.verificationToken });
    expect((await post(signFeishuEvent(payload), plainApp)).status).toBe(401);
    expect(pipeline.events).toEqual([]);
  });

  it('refuses a stale timestamp', async () => {
    const stale = signFeishuEvent(feishuFixture('message-text'), {
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect((await post(stale)).status).toBe(401);
    expect(logged[0]?.obj).toEqual({ status: 401, reason: 'timestamp outside the accepted window' });
  });

  it('answers garbage and malformed payloads with 400', async () => {
    expect((await post({ body: '<xml>hi</xml>', headers: {} })).status).toBe(400);
    const malformed = feishuFixture('message-text');
    delete (malformed.event as Record<string, unknown>).sender;
    expect((await post(signed(malformed))).status).toBe(400);
    expect(pipeline.events).toEqual([]);
  });

  it('accepts only POST', async () => {
    expect((await appWith().request('/webhooks/feishu')).status).toBe(405);
  });
});

describe('events', () => {
  it('decrypts, parses and hands a message to the pipeline, then acknowledges with {}', async () => {
    const payload = buildTextMessageEvent({
      ...envelope,
      chatId: 'oc_staff',
      senderOpenId: 'ou_teacher',
      text: '@_user_1 三楼楼梯扶手松动',
      mentions: [{ openId: FIXTURE.botOpenId, name: '校安' }],
    });
    expect(await post(signed(payload))).toEqual({ status: 200, body: {} });
    expect(pipeline.events).toHaveLength(1);
    expect(pipeline.events[0]).toMatchObject({
      id: payload.header.event_id,
      kind: 'message',
      text: '三楼楼梯扶手松动',
      mentionsBot: true,
      chat: { id: 'oc_staff', type: 'group' },
      actor: { platformUserId: 'ou_teacher' },
    });
  });

  it('acknowledges duplicates normally', async () => {
    pipeline.answer = async () => ({ duplicate: true });
    expect(await post(signed(feishuFixture('message-text')))).toEqual({ status: 200, body: {} });
  });

  it('acknowledges events it does not act on without calling the pipeline', async () => {
    expect(await post(signed(feishuFixture('message-read')))).toEqual({ status: 200, body: {} });
    expect(pipeline.events).toEqual([]);
  });

  it('answers 500 when the pipeline fails, so Feishu redelivers', async () => {
    pipeline.answer = async () => {
      throw new Error('database unavailable');
    };
    expect((await post(signed(feishuFixture('message-text')))).status).toBe(500);
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'feishu event handling failed' }));
  });

  it('acknowledges at the deadline while a slow pipeline keeps working', async () => {
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let completed = false;
    pipeline.answer = async () => {
      await finished;
      completed = true;
      return { duplicate: false };
    };
    expect(await post(signed(feishuFixture('message-text')), appWith(config, 20))).toEqual({ status: 200, body: {} });
    expect(completed).toBe(false);
    finish();
    await finished;
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(true);
  });
});

describe('card callbacks', () => {
  const click = (overrides: Partial<Parameters<typeof buildCardActionEvent>[0]> = {}) =>
    buildCardActionEvent({
      ...envelope,
      operatorOpenId: 'ou_teacher',
      chatId: 'oc_staff',
      messageId: 'om_card',
      value: { flow: 'hazard', op: 'confirm', draft: 'd-1' },
      ...overrides,
    });

  it('answers with the toast and the redrawn card from the committed state', async () => {
    pipeline.answer = async () => ({
      duplicate: false,
      answer: { toast: { type: 'success', text: '已登记 YH-0001' }, card: doneCard },
    });
    expect(await post(signed(click()))).toEqual({
      status: 200,
      body: {
        toast: { type: 'success', content: '已登记 YH-0001' },
        card: { type: 'raw', data: JSON.parse(JSON.stringify(renderFeishuCard(doneCard))) },
      },
    });
    expect(pipeline.events[0]).toMatchObject({
      kind: 'action',
      action: { value: { flow: 'hazard', op: 'confirm', draft: 'd-1' }, messageId: 'om_card' },
    });
  });

  it('answers a duplicate click with its answer or {}', async () => {
    pipeline.answer = async () => ({ duplicate: true });
    expect(await post(signed(click()))).toEqual({ status: 200, body: {} });
  });

  it('tells the user when the button is not ours, when processing runs late, and when it failed', async () => {
    expect((await post(signed(click({ value: { cmd: 'x' } })))).body).toEqual({
      toast: { type: 'warning', content: '该按钮已失效，请刷新后重试' },
    });
    pipeline.answer = () => new Promise(() => undefined);
    expect((await post(signed(click()), appWith(config, 20))).body).toEqual({
      toast: { type: 'info', content: '已收到，正在处理…' },
    });
    pipeline.answer = async () => {
      throw new Error('boom');
    };
    expect(await post(signed(click()))).toEqual({
      status: 200,
      body: { toast: { type: 'error', content: '操作失败，请稍后重试' } },
    });
  });

  it('handles the old card callback format (sha1 signature) and answers with the card itself', async () => {
    pipeline.answer = async () => ({ duplicate: false, answer: { card: doneCard } });
    const payload = buildLegacyCardCallback({
      openId: 'ou_parent',
      chatId: 'oc_class',
      messageId: 'om_letter',
      value: { flow: 'receipt', op: 'ack', letter: 'L-1' },
    });
    const delivery = signFeishuEvent(payload, { verificationToken: FIXTURE.verificationToken });
    const answer = await post(delivery);
    expect(answer).toEqual({ status: 200, body: JSON.parse(JSON.stringify(renderFeishuCard(doneCard))) });
    expect(pipeline.events[0]).toMatchObject({ kind: 'action', actor: { platformUserId: 'ou_parent' } });
    await post(delivery);
    expect(pipeline.events[1]?.id).toBe(pipeline.events[0]?.id);
  });
});
