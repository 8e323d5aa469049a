import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTextMessageEvent, signFeishuEvent } from '../../../test/fakes/feishu/events.js';
import { type FeishuFake, startFeishuFake } from '../../../test/fakes/feishu/server.js';
import { createSignedLinks } from '../../http/signed-links.js';
import type { InboundEvent } from '../../model/inbound.js';
import type { Log } from '../types.js';
import { createFeishuPlatform, feishuConfigFrom } from './index.js';

const silent: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let fake: FeishuFake;

beforeEach(async () => {
  fake = await startFeishuFake();
});
afterEach(() => fake.close());

describe('createFeishuPlatform', () => {
  it('wires the webhook to the client’s bot identity and the sender to the same app', async () => {
    const config = feishuConfigFrom({
      FEISHU_APP_ID: fake.appId,
      FEISHU_APP_SECRET: fake.appSecret,
      FEISHU_VERIFICATION_TOKEN: 'vt',
      FEISHU_ENCRYPT_KEY: 'ek',
      FEISHU_BASE_URL: fake.baseUrl,
    });
    if (!config) throw new Error('config expected');
    const platform = createFeishuPlatform(config, {
      links: createSignedLinks('secret', 'https://xiaoan.example'),
      log: silent,
    });
    const events: InboundEvent[] = [];
    const app = new Hono();
    app.post('/webhooks/feishu', (c) => {
      if (!platform.webhook) throw new Error('webhook expected');
      const pipeline = {
        handle: async (event: InboundEvent) => {
          events.push(event);
          return { duplicate: false };
        },
      };
      return platform.webhook(c, pipeline);
    });

    const payload = buildTextMessageEvent({
      verificationToken: 'vt',
      appId: fake.appId,
      chatId: 'oc_staff',
      senderOpenId: 'ou_teacher',
      text: '@_user_1 绑定 123456',
      mentions: [{ openId: fake.botOpenId, name: '校安' }],
    });
    const delivery = signFeishuEvent(payload, { encryptKey: 'ek' });
    const response = await app.request('/webhooks/feishu', {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
    });
    expect(response.status).toBe(200);
    expect(events[0]).toMatchObject({ text: '绑定 123456', mentionsBot: true, tenant: fake.appId });

    const sent = await platform.sender.send({
      outboxId: '1',
      target: { platform: 'feishu', tenant: events[0]?.tenant ?? '', chatId: 'oc_staff' },
      body: { type: 'text', text: '绑定成功' },
      urgency: 'normal',
      idempotencyKey: 'bind:oc_staff',
      attempt: 1,
    });
    expect(sent.ok).toBe(true);
    expect(fake.messagesIn('oc_staff')).toHaveLength(1);
    expect(fake.tokensIssued()).toBe(1);
  });
});
