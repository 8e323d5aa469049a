import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboundEvent } from '../../src/model/inbound.js';
import { createDingtalkPlatform, dingtalkConfigFrom } from '../../src/platforms/dingtalk/index.js';
import {
  createDingtalkStreamTransport,
  type StreamTransportOptions,
} from '../../src/platforms/dingtalk/transport-stream.js';
import type { HandleResult, InboundPipeline, LongConnection } from '../../src/platforms/types.js';
import { cardCallback, robotMessage } from '../fakes/dingtalk/messages.js';
import {
  type DingtalkFake,
  type DingtalkFakeOptions,
  startDingtalkFake,
  TOPIC_CARD,
  TOPIC_ROBOT,
} from '../fakes/dingtalk/server.js';
import { memoryLog, recordingPipeline, testLinks } from './helpers.js';

describe('DingTalk Stream transport against the fake gateway', () => {
  let fake: DingtalkFake;
  let transport: LongConnection | undefined;
  let delays: number[];

  async function connect(
    pipeline: InboundPipeline,
    {
      env = {},
      fakeOptions = {},
      options = {},
    }: { env?: Record<string, string>; fakeOptions?: DingtalkFakeOptions; options?: StreamTransportOptions } = {},
  ) {
    fake = await startDingtalkFake(fakeOptions);
    delays = [];
    const config = dingtalkConfigFrom(fake.env({ DINGTALK_TRANSPORT: 'stream', ...env }))!;
    transport = createDingtalkStreamTransport(
      config,
      { links: testLinks(), log: memoryLog() },
      {
        backoff: { initialMs: 20, maxMs: 160 },
        random: () => 1,
        onReconnectScheduled: (_, delay) => delays.push(delay),
        ...options,
      },
    );
    await transport.start(pipeline);
    return config;
  }

  afterEach(async () => {
    await transport?.stop();
    transport = undefined;
    await fake.close();
  });

  it('opens the gateway with Accept: application/json and subscribes to robot messages', async () => {
    await connect(recordingPipeline());
    expect(fake.gatewayOpens).toBe(1);
    await vi.waitFor(() => expect(fake.openConnectionCount(TOPIC_ROBOT)).toBe(1));
    expect(fake.openConnectionCount(TOPIC_CARD)).toBe(0);
  });

  it('acks a robot message at once and hands it to the pipeline', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline);
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    const message = robotMessage({ text: '实验楼三楼的应急灯不亮', msgId: 'msgStream0001==' });
    const { acked } = fake.pushRobotMessage(message);
    const ack = await acked;
    expect(ack).toMatchObject({ code: 200, data: { response: null } });
    await vi.waitFor(() => expect(pipeline.events).toHaveLength(1));
    expect(pipeline.events[0]).toMatchObject({
      id: 'msgStream0001==',
      text: '实验楼三楼的应急灯不亮',
      chat: { type: 'group' },
    });
    expect(fake.unackedCount()).toBe(0);
  });

  it('acks before the pipeline has finished', async () => {
    const received: InboundEvent[] = [];
    const never: InboundPipeline = {
      handle: (event) => {
        received.push(event);
        return new Promise<HandleResult>(() => {});
      },
    };
    await connect(never);
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    const { acked } = fake.pushRobotMessage(robotMessage({ text: '走廊灯坏了' }));
    expect((await acked).code).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('lets the pipeline key absorb a redelivery whose first ack was lost', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline, { fakeOptions: { redeliverAfterMs: 30 } });
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    const { messageId, acked } = fake.pushRobotMessage(robotMessage({ text: '操场篮球架松动', msgId: 'msgDup==' }), {
      loseAcks: 1,
    });
    await acked;
    await vi.waitFor(() => expect(pipeline.events).toHaveLength(2));
    expect(fake.acks.filter((a) => a.messageId === messageId)).toHaveLength(2);
    expect(pipeline.events.map((e) => e.id)).toEqual(['msgDup==', 'msgDup==']);
    expect(pipeline.results.map((r) => r.duplicate)).toEqual([false, true]);
    expect(fake.unackedCount()).toBe(0);
  });

  it('falls back to headers.messageId as the key when a message has no msgId', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline);
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    const { msgId: _, ...message } = robotMessage({ text: '无 msgId' });
    const { messageId, acked } = fake.pushRobotMessage(message);
    await acked;
    await vi.waitFor(() => expect(pipeline.events).toHaveLength(1));
    expect(pipeline.events[0]?.id).toBe(messageId);
  });

  it('acks a malformed message too, so it is not pushed again', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline);
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    expect((await fake.pushRobotMessage({ msgtype: 'text' }).acked).code).toBe(200);
    expect(fake.unackedCount()).toBe(0);
    expect(pipeline.events).toEqual([]);
  });

  it('echoes SYSTEM ping frames', async () => {
    await connect(recordingPipeline());
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    const [pingId] = fake.ping();
    await vi.waitFor(() => expect(fake.pingEchoes.map((e) => e.messageId)).toEqual([pingId]));
    expect(fake.pingEchoes[0]?.data).toMatchObject({ opaque: expect.any(String) });
  });

  it('connects anew with a fresh ticket on SYSTEM disconnect and keeps receiving', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline, { fakeOptions: { disconnectGraceMs: 5000 } });
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    fake.disconnectAll();
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    expect(fake.gatewayOpens).toBe(2);
    expect(fake.wsConnections).toBe(2);
    await fake.pushRobotMessage(robotMessage({ text: '换了连接之后', msgId: 'afterDisconnect==' })).acked;
    await vi.waitFor(() => expect(pipeline.events.map((e) => e.id)).toEqual(['afterDisconnect==']));
    expect(delays).toEqual([]);
  });

  it('reconnects with exponential backoff, one attempt at a time, after the socket drops', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline);
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    fake.refuseGateway(3);
    fake.closeOnConnect(1);
    fake.dropConnections();
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1), { timeout: 5000 });
    // drop → gateway refused ×3 → a socket closed on open → connected: five reconnects, doubling, capped.
    expect(delays).toEqual([20, 40, 80, 160, 160]);
    expect(fake.gatewayOpens).toBe(1 + delays.length);
    expect(fake.wsConnections).toBe(3);
    await fake.pushRobotMessage(robotMessage({ text: '重连后', msgId: 'afterReconnect==' })).acked;
    await vi.waitFor(() => expect(pipeline.events.map((e) => e.id)).toEqual(['afterReconnect==']));
  });

  it('keeps retrying when the gateway is down at start-up, and stops for good on stop()', async () => {
    fake = await startDingtalkFake();
    fake.refuseGateway(2);
    delays = [];
    const config = dingtalkConfigFrom(fake.env({ DINGTALK_TRANSPORT: 'stream' }))!;
    transport = createDingtalkStreamTransport(
      config,
      { links: testLinks(), log: memoryLog() },
      { backoff: { initialMs: 20, maxMs: 160 }, random: () => 1, onReconnectScheduled: (_, d) => delays.push(d) },
    );
    await transport.start(recordingPipeline());
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(1));
    expect(delays).toEqual([20, 40]);
    await transport.stop();
    await vi.waitFor(() => expect(fake.openConnectionCount()).toBe(0));
    expect(delays).toEqual([20, 40]);
  });

  it('answers a card click on the ack with the rendered HandleResult', async () => {
    const pipeline = recordingPipeline(() => ({
      answer: {
        toast: { type: 'success', text: '已确认' },
        card: { title: '防溺水安全告家长书', tone: 'success', blocks: [], buttons: [], footer: '已确认 18/40' },
      },
    }));
    const config = await connect(pipeline, { env: { DINGTALK_CARD_TEMPLATE_ID: 'tpl-xiaoan.schema' } });
    await vi.waitFor(() => expect(fake.openConnectionCount(TOPIC_CARD)).toBe(1));
    const platform = createDingtalkPlatform(config, { links: testLinks(), log: memoryLog() });
    const sent = await platform.sender.send({
      outboxId: '1',
      target: { platform: 'dingtalk', tenant: 'dingappkey', chatId: 'cidPARENTS3class2==' },
      body: {
        type: 'card',
        card: {
          title: '防溺水安全告家长书',
          tone: 'warning',
          blocks: [{ type: 'markdown', text: '请家长督促孩子做到“六不”。' }],
          buttons: [
            {
              id: 'ok',
              label: '我已阅读并承诺',
              style: 'primary',
              value: { flow: 'receipt', op: 'confirm', letterId: '42' },
            },
          ],
        },
      },
      urgency: 'normal',
      idempotencyKey: 'receipt:42:class2',
      attempt: 1,
    });
    expect(sent.ok).toBe(true);
    const card = fake.card('receipt:42:class2')!;
    expect(card.callbackType).toBe('STREAM');
    const click = await fake.clickCard({
      outTrackId: 'receipt:42:class2',
      userId: 'staff-zhang',
      params: { value: card.cardParamMap.btn1_value },
    });
    expect(click.late).toBe(false);
    expect(pipeline.events[0]).toMatchObject({
      kind: 'action',
      action: { value: { flow: 'receipt', op: 'confirm', letterId: '42' } },
    });
    expect(card.cardParamMap).toMatchObject({ footer: '已确认 18/40', btn1_visible: 'false' });
    expect(card.privateData['staff-zhang']).toMatchObject({ notice: '已确认', notice_link_visible: 'false' });
  });

  it('acks a card click with the card unchanged when the pipeline misses the deadline', async () => {
    const slow: InboundPipeline = { handle: () => new Promise<HandleResult>(() => {}) };
    await connect(slow, {
      env: { DINGTALK_CARD_TEMPLATE_ID: 'tpl-xiaoan.schema' },
      options: { cardAnswerDeadlineMs: 20 },
    });
    await vi.waitFor(() => expect(fake.openConnectionCount(TOPIC_CARD)).toBe(1));
    const click = cardCallback({
      outTrackId: 'x',
      userId: 'staff-zhang',
      params: { value: JSON.stringify({ flow: 'f', op: 'o' }) },
    });
    const ack = await fake.pushCardCallback(click).acked;
    expect(ack).toMatchObject({ code: 200, data: { response: {} } });
  });

  it('acks a malformed card click with an empty answer', async () => {
    const pipeline = recordingPipeline();
    await connect(pipeline, { env: { DINGTALK_CARD_TEMPLATE_ID: 'tpl-xiaoan.schema' } });
    await vi.waitFor(() => expect(fake.openConnectionCount(TOPIC_CARD)).toBe(1));
    const ack = await fake.pushCardCallback({ outTrackId: 'x' }).acked;
    expect(ack).toMatchObject({ code: 200, data: { response: {} } });
    expect(pipeline.events).toEqual([]);
  });
});
