import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildCardActionEvent,
  buildTextMessageEvent,
  encryptFeishuPayload,
} from '../../../test/fakes/feishu/events.js';
import { type FeishuFake, startFeishuFake } from '../../../test/fakes/feishu/server.js';
import { createSignedLinks } from '../../http/signed-links.js';
import type { InboundEvent } from '../../model/inbound.js';
import type { HandleResult, LongConnection, Log } from '../types.js';
import type { FeishuConfig } from './config.js';
import { renderFeishuCard } from './render.js';
import { createFeishuWsTransport } from './transport-ws.js';

const silent: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let fake: FeishuFake;
let transport: LongConnection | undefined;
let events: InboundEvent[];
let answer: (event: InboundEvent) => Promise<HandleResult>;

const pipeline = {
  async handle(event: InboundEvent) {
    events.push(event);
    return answer(event);
  },
};

function configFor(overrides: Partial<FeishuConfig> = {}): FeishuConfig {
  return {
    appId: fake.appId,
    appSecret: fake.appSecret,
    baseUrl: fake.baseUrl,
    transport: 'ws',
    urgent: 'app',
    ...overrides,
  };
}

async function connect(overrides: Partial<FeishuConfig> = {}): Promise<LongConnection> {
  const started = createFeishuWsTransport(configFor(overrides), {
    links: createSignedLinks('secret', 'https://xiaoan.example'),
    log: silent,
  });
  transport = started;
  await started.start(pipeline);
  await fake.ws.waitForConnection();
  return started;
}

beforeEach(async () => {
  fake = await startFeishuFake();
  events = [];
  answer = async () => ({ duplicate: false });
});
afterEach(async () => {
  await transport?.stop();
  transport = undefined;
  await fake.close();
});

describe('Feishu long connection (SDK WSClient against the local fake)', () => {
  it('fetches the endpoint with the app credentials, then feeds pushed events to the pipeline', async () => {
    await connect();
    expect(fake.ws.endpointCalls).toEqual([{ AppID: fake.appId, AppSecret: fake.appSecret }]);
    const payload = buildTextMessageEvent({
      verificationToken: 'unused-over-ws',
      appId: fake.appId,
      chatId: 'oc_staff',
      senderOpenId: 'ou_teacher',
      text: '@_user_1 灭火器过期了',
      mentions: [{ openId: fake.botOpenId, name: '校安' }],
    });
    const ack = await fake.ws.push(payload, { fragments: 3 });
    expect(ack.code).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: payload.header.event_id,
      text: '灭火器过期了',
      mentionsBot: true,
      extraDedupeKeys: [`msg:${payload.event.message.message_id}`],
    });
  });

  it('answers card callbacks through the ACK frame', async () => {
    await connect();
    const card = { title: '已确认', tone: 'success' as const, blocks: [], buttons: [] };
    answer = async () => ({ duplicate: false, answer: { toast: { type: 'success', text: '回执已记录' }, card } });
    const ack = await fake.ws.push(
      buildCardActionEvent({
        verificationToken: 'unused-over-ws',
        appId: fake.appId,
        operatorOpenId: 'ou_parent',
        chatId: 'oc_class',
        messageId: 'om_letter',
        value: { flow: 'receipt', op: 'ack', letter: 'L-1' },
      }),
    );
    expect(ack).toEqual({
      code: 200,
      data: {
        toast: { type: 'success', content: '回执已记录' },
        card: { type: 'raw', data: JSON.parse(JSON.stringify(renderFeishuCard(card))) },
      },
    });
    expect(events[0]).toMatchObject({ kind: 'action', actor: { platformUserId: 'ou_parent' } });
  });

  it('ACKs with 500 when the pipeline fails so Feishu pushes the event again', async () => {
    await connect();
    answer = async () => {
      throw new Error('database unavailable');
    };
    const payload = buildTextMessageEvent({
      verificationToken: 'x',
      appId: fake.appId,
      chatId: 'oc_staff',
      senderOpenId: 'ou_teacher',
      text: '你好',
    });
    expect((await fake.ws.push(payload)).code).toBe(500);
  });

  it('decrypts an encrypted payload when an Encrypt Key is configured', async () => {
    await connect({ encryptKey: 'ws-key' });
    const payload = buildTextMessageEvent({
      verificationToken: 'x',
      appId: fake.appId,
      chatId: 'oc_staff',
      senderOpenId: 'ou_teacher',
      text: '加密',
    });
    const ack = await fake.ws.push({ encrypt: encryptFeishuPayload(JSON.stringify(payload), 'ws-key') });
    expect(ack.code).toBe(200);
    expect(events[0]?.text).toBe('加密');
  });

  it('fails to start with wrong credentials, and disconnects on stop', async () => {
    await expect(connect({ appSecret: 'wrong' })).rejects.toThrow(/514|auth/);
    const live = await connect();
    expect(fake.ws.connections()).toBe(1);
    await live.stop();
    await expect.poll(() => fake.ws.connections()).toBe(0);
  });
});
