import { WSClient } from '@wecom/aibot-node-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundDelivery } from '../../src/delivery/sender.js';
import { createSignedLinks } from '../../src/http/signed-links.js';
import type { ActionAnswer, Card } from '../../src/model/card.js';
import type { InboundEvent } from '../../src/model/inbound.js';
import type { LongConnection, PlatformModule } from '../../src/platforms/types.js';
import { decodeActionKey, taskIdFor } from '../../src/platforms/wecom/action-key.js';
import { aibotLeaseName } from '../../src/platforms/wecom/aibot/lease.js';
import { AibotConnectionRegistry } from '../../src/platforms/wecom/aibot/registry.js';
import { createWecomAibotTransport } from '../../src/platforms/wecom/aibot/transport-aibot.js';
import { type WecomConfig, wecomConfigFrom } from '../../src/platforms/wecom/config.js';
import { createWecomPlatform } from '../../src/platforms/wecom/index.js';
import { type WecomAibotFake, startWecomAibotFake } from '../fakes/wecom/aibot-server.js';
import { wecomFixture } from '../fakes/wecom/fixtures.js';
import { MemoryLeaseStore } from '../fakes/wecom/memory-lease.js';
import { RecordingPipeline, recordingLog } from '../fakes/wecom/recording-pipeline.js';
import { waitUntil } from '../fakes/wecom/wait.js';

const links = createSignedLinks('link-secret', 'https://xiaoan.example');
const timing = { leaseTtlMs: 2_000, renewEveryMs: 100, standbyRetryMs: 50, kickedRetryMs: 60_000, heartbeatMs: 150 };

let fake: WecomAibotFake;
let config: WecomConfig;
let tenant: string;

beforeAll(async () => {
  fake = await startWecomAibotFake();
  config = wecomConfigFrom({ WECOM_BOT_ID: fake.botId, WECOM_BOT_SECRET: fake.secret, WECOM_BOT_WS_URL: fake.wsUrl })!;
  tenant = `aibot:${fake.botId}`;
});
afterAll(async () => {
  await fake.close();
});

/** One xiaoan instance: its own registry (as a separate process would have), sharing the lease store. */
function instance(
  holderId: string,
  leases: MemoryLeaseStore,
  answer?: (event: InboundEvent) => ActionAnswer | undefined,
) {
  const registry = new AibotConnectionRegistry();
  const log = recordingLog();
  const pipeline = new RecordingPipeline(answer);
  const deps = { links, log, now: () => new Date('2026-05-06T08:00:00Z') };
  const transport: LongConnection = createWecomAibotTransport(config, { ...deps, leases, registry, holderId, timing });
  const platform: PlatformModule = createWecomPlatform(config, deps, { aibotRegistry: registry });
  return { registry, log, pipeline, transport, platform, holderId };
}

let serial = 0;
function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  serial++;
  return {
    outboxId: String(serial),
    target: { platform: 'wecom', tenant, chatId: 'wrkSFfCgAAAA' },
    body: { type: 'text', text: '已登记隐患：二楼走廊灭火器箱为空' },
    urgency: 'normal',
    idempotencyKey: `aibot-test:${serial}`,
    attempt: 1,
    ...overrides,
  };
}

const bodyOf = <T = Record<string, unknown>>(name: string) => wecomFixture<{ body: T }>(name).body;

const receiptCard: Card = {
  title: '防溺水安全告知书回执',
  tone: 'info',
  blocks: [{ type: 'markdown', text: '请家长阅读后确认。' }],
  buttons: [
    {
      id: 'ok',
      label: '我已阅读并确认',
      style: 'primary',
      value: { flow: 'receipt', op: 'confirm', receiptId: 'r-42' },
    },
  ],
};

const confirmedAnswer: ActionAnswer = {
  toast: { type: 'success', text: '已确认' },
  card: {
    title: '防溺水安全告知书回执',
    tone: 'success',
    blocks: [{ type: 'markdown', text: '已确认 12/40' }],
    buttons: [],
  },
};

describe('one instance holding the bot', () => {
  let leases: MemoryLeaseStore;
  let node: ReturnType<typeof instance>;

  beforeEach(async () => {
    leases = new MemoryLeaseStore();
    node = instance('node-a', leases, (event) => {
      if (event.kind === 'action') return confirmedAnswer;
      if (event.kind === 'join') return { toast: { type: 'info', text: '你好，我是校安，群里 @我 就能登记隐患。' } };
      return undefined;
    });
    const before = fake.authenticated.length;
    await node.transport.start(node.pipeline);
    await waitUntil(
      () => fake.authenticated.length > before && node.registry.get(fake.botId) !== undefined,
      5_000,
      'subscribe',
    );
  });
  afterEach(async () => {
    await node.transport.stop();
  });

  it('subscribes with bot_id and secret after taking the lease', () => {
    const subscribe = fake.received.filter((r) => r.frame.cmd === 'aibot_subscribe').at(-1);
    expect(subscribe?.frame.body).toEqual({ bot_id: fake.botId, secret: fake.secret });
    expect(subscribe?.ack).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(leases.holderOf(aibotLeaseName(fake.botId))).toBe('node-a');
  });

  it('keeps the connection alive with acknowledged heartbeats', async () => {
    const connection = fake.liveConnections().at(-1);
    const ping = await fake.waitForFrame((r) => r.connection === connection && r.frame.cmd === 'ping');
    expect(ping.frame.headers.req_id).toMatch(/^ping_/);
  });

  it('receives group text, image and mixed messages as InboundEvents keyed by msgid', async () => {
    fake.pushMessage(bodyOf('aibot-text-group.json'));
    fake.pushMessage(bodyOf('aibot-image.json'));
    fake.pushMessage(bodyOf('aibot-mixed.json'));
    await waitUntil(() => node.pipeline.handled.length === 3, 5_000, 'three events');
    expect(node.pipeline.handled).toMatchObject([
      {
        id: 'CAIQz7XcogYYzIDAwYCAgIABIKGz8Q0',
        tenant,
        kind: 'message',
        chat: { id: 'wrkSFfCgAAAA', type: 'group' },
        text: '二楼走廊的灭火器箱是空的',
      },
      { id: 'CAIQ0rXcogYYzIDAwYCAgIABIKGz8Q2', attachments: [{ kind: 'image' }] },
      { id: 'CAIQ07XcogYYzIDAwYCAgIABIKGz8Q3', text: '食堂后门的护栏断了', attachments: [{ kind: 'image' }] },
    ]);
  });

  it('hands a repeated msgid to the pipeline, whose key dedupes it', async () => {
    const body = bodyOf<{ msgid: string }>('aibot-text-single.json');
    fake.pushMessage(body);
    fake.pushMessage(body);
    await waitUntil(() => node.pipeline.events.length === 2, 5_000, 'both deliveries');
    expect(node.pipeline.handled.map((e) => e.id)).toEqual([body.msgid]);
  });

  it('replies to a message in place (aibot_respond_msg on its req_id), then pushes further replies', async () => {
    const body = bodyOf<{ msgid: string }>('aibot-text-group.json');
    const reqId = fake.pushMessage({ ...body, msgid: 'reply-test-1' });
    await waitUntil(() => node.pipeline.handled.some((e) => e.id === 'reply-test-1'));

    expect(await node.platform.sender.send(delivery({ replyTo: 'reply-test-1' }))).toEqual({ ok: true });
    const reply = await fake.waitForFrame(
      (r) => r.frame.cmd === 'aibot_respond_msg' && r.frame.headers.req_id === reqId,
    );
    expect(reply.frame.body).toMatchObject({
      msgtype: 'stream',
      stream: { finish: true, content: '已登记隐患：二楼走廊灭火器箱为空' },
    });
    expect(reply.ack).toEqual({ errcode: 0, errmsg: 'ok' });

    const second = delivery({ replyTo: 'reply-test-1', body: { type: 'card', card: receiptCard } });
    expect(await node.platform.sender.send(second)).toEqual({ ok: true });
    const pushed = await fake.waitForFrame(
      (r) =>
        r.frame.cmd === 'aibot_send_msg' &&
        (r.frame.body?.template_card as { task_id?: string })?.task_id === taskIdFor(second.idempotencyKey),
    );
    expect(pushed.frame.body).toMatchObject({ chatid: 'wrkSFfCgAAAA', msgtype: 'template_card' });
  });

  it('replies with a button_interaction card whose keys carry the action', async () => {
    fake.pushMessage({ ...bodyOf('aibot-text-group.json'), msgid: 'reply-card-1' });
    await waitUntil(() => node.pipeline.handled.some((e) => e.id === 'reply-card-1'));
    const card = delivery({ replyTo: 'reply-card-1', body: { type: 'card', card: receiptCard } });
    expect(await node.platform.sender.send(card)).toEqual({ ok: true });
    const reply = await fake.waitForFrame(
      (r) => r.frame.cmd === 'aibot_respond_msg' && r.frame.body?.msgtype === 'template_card' && r.ack?.errcode === 0,
    );
    const template = reply.frame.body?.template_card as {
      card_type: string;
      task_id: string;
      button_list: { key: string }[];
    };
    expect(template.card_type).toBe('button_interaction');
    expect(template.task_id).toBe(taskIdFor(card.idempotencyKey));
    expect(decodeActionKey(template.button_list[0]!.key)).toEqual({
      flow: 'receipt',
      op: 'confirm',
      receiptId: 'r-42',
    });
  });

  it('pushes proactively to a chat id with aibot_send_msg', async () => {
    const push = delivery({
      target: { platform: 'wecom', tenant, userId: 'lisi' },
      body: { type: 'text', text: '今日隐患提醒' },
    });
    expect(await node.platform.sender.send(push)).toEqual({ ok: true });
    const frame = await fake.waitForFrame((r) => r.frame.cmd === 'aibot_send_msg' && r.frame.body?.chatid === 'lisi');
    expect(frame.frame.body).toEqual({ chatid: 'lisi', msgtype: 'markdown', markdown: { content: '今日隐患提醒' } });
  });

  it('maps an ack errcode 45009 to rate_limited', async () => {
    fake.failNext('aibot_send_msg', 45009, 'api freq out of limit');
    expect(await node.platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'rate_limited' });
  });

  for (const shape of ['flat', 'nested'] as const) {
    it(`updates the clicked card within the 5 s window (${shape} click fields)`, async () => {
      const body = bodyOf<{ msgid: string }>(`aibot-card-click-${shape}.json`);
      const reqId = fake.pushEvent(body);
      const update = await fake.waitForFrame(
        (r) => r.frame.cmd === 'aibot_respond_update_msg' && r.frame.headers.req_id === reqId,
      );
      expect(update.ack).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(update.frame.body).toMatchObject({
        response_type: 'update_template_card',
        template_card: {
          task_id: shape === 'flat' ? 'xa_task_0002' : 'xa_task_0003',
          main_title: { title: '防溺水安全告知书回执' },
          sub_title_text: '已确认 12/40',
        },
      });
      expect(node.pipeline.handled.find((e) => e.id === body.msgid)).toMatchObject({
        kind: 'action',
        actor: { platformUserId: 'lisi' },
        action: { value: { flow: 'receipt', op: 'confirm' } },
      });
    });
  }

  it('welcomes a member entering the 1:1 chat within 5 s', async () => {
    const reqId = fake.pushEvent(bodyOf('aibot-enter-chat.json'));
    const welcome = await fake.waitForFrame(
      (r) => r.frame.cmd === 'aibot_respond_welcome_msg' && r.frame.headers.req_id === reqId,
    );
    expect(welcome.frame.body).toEqual({
      msgtype: 'text',
      text: { content: '你好，我是校安，群里 @我 就能登记隐患。' },
    });
    expect(welcome.ack?.errcode).toBe(0);
  });

  it('gives the bot up, without fighting back at once, when another connection takes it over', async () => {
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const outsider = new WSClient({ botId: fake.botId, secret: fake.secret, wsUrl: fake.wsUrl, logger: silent });
    try {
      const before = fake.authenticated.length;
      outsider.connect();
      await waitUntil(() => node.registry.get(fake.botId) === undefined, 5_000, 'kicked');
      expect(fake.authenticated.length).toBe(before + 1);
      expect(node.log.entries).toContainEqual(
        expect.objectContaining({ level: 'error', msg: expect.stringContaining('took this AI bot over') }),
      );
      // It keeps the lease (so no other instance joins the fight) but reconnects only after kickedRetryMs (60 s here).
      const renewed = leases.renewals.get('node-a') ?? 0;
      await waitUntil(() => (leases.renewals.get('node-a') ?? 0) >= renewed + 3, 5_000, 'three renewals');
      expect(fake.authenticated.length).toBe(before + 1);
      expect(leases.holderOf(aibotLeaseName(fake.botId))).toBe('node-a');
      expect(await node.platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'transient' });
    } finally {
      outsider.disconnect();
    }
  });

  it('stands down when the lease is lost', async () => {
    leases.leases.set(aibotLeaseName(fake.botId), { holder: 'someone-else', expiresAt: Date.now() + 60_000 });
    await waitUntil(() => node.registry.get(fake.botId) === undefined, 5_000, 'stand-down');
    await waitUntil(() => fake.liveConnections().length === 0, 5_000, 'socket closed');
    expect(await node.platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'transient' });
  });
});

describe('two instances, one bot', () => {
  it('the second stands by while the lease is held and takes over when it is released', async () => {
    const leases = new MemoryLeaseStore();
    const a = instance('node-a', leases);
    const b = instance('node-b', leases);
    const before = fake.authenticated.length;
    try {
      await a.transport.start(a.pipeline);
      await waitUntil(() => a.registry.get(fake.botId) !== undefined, 5_000, 'A live');
      await b.transport.start(b.pipeline);
      await waitUntil(() => (leases.attempts.get('node-b') ?? 0) >= 5, 5_000, 'B retrying');

      expect(fake.authenticated.length).toBe(before + 1);
      expect(fake.liveConnections()).toHaveLength(1);
      expect(b.registry.get(fake.botId)).toBeUndefined();
      expect(await b.platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'transient' });
      expect(await a.platform.sender.send(delivery())).toEqual({ ok: true });

      await a.transport.stop();
      await waitUntil(() => b.registry.get(fake.botId) !== undefined, 5_000, 'B takes over');
      expect(leases.holderOf(aibotLeaseName(fake.botId))).toBe('node-b');
      expect(fake.authenticated.length).toBe(before + 2);
      expect(fake.liveConnections()).toHaveLength(1);
      expect(a.registry.get(fake.botId)).toBeUndefined();

      fake.pushMessage({ ...bodyOf('aibot-text-single.json'), msgid: 'after-takeover-1' });
      await waitUntil(() => b.pipeline.handled.some((e) => e.id === 'after-takeover-1'), 5_000, 'B receives');
      expect(a.pipeline.handled.some((e) => e.id === 'after-takeover-1')).toBe(false);
    } finally {
      await a.transport.stop();
      await b.transport.stop();
    }
  });
});

describe('lease store outages', () => {
  it('keeps the connection while the last confirmed lease is surely valid, then stands down', async () => {
    const leases = new MemoryLeaseStore();
    const node = instance('node-c', leases);
    try {
      await node.transport.start(node.pipeline);
      await waitUntil(() => node.registry.get(fake.botId) !== undefined, 5_000, 'live');
      leases.renew = () => Promise.reject(new Error('database unreachable'));
      await waitUntil(() => node.registry.get(fake.botId) === undefined, 5_000, 'stand-down');
      await waitUntil(() => fake.liveConnections().length === 0, 5_000, 'socket closed');
      const messages = node.log.entries.map((e) => e.msg);
      // One failed renewal does not drop the bot (TTL 2 s, renewals every 100 ms); running short of the lease
      // time it last confirmed does.
      const lost = messages.indexOf('AI bot lease lost, standing by');
      expect(messages.slice(0, lost).filter((m) => m === 'lease renewal failed').length).toBeGreaterThanOrEqual(2);
    } finally {
      await node.transport.stop();
    }
  });
});
