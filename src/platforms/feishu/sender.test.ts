import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeishuFake, startFeishuFake } from '../../../test/fakes/feishu/server.js';
import type { OutboundDelivery, RateBucket } from '../../delivery/sender.js';
import type { Card } from '../../model/card.js';
import type { Log } from '../types.js';
import { createFeishuClient } from './client.js';
import type { FeishuConfig } from './config.js';
import { renderFeishuCard } from './render.js';
import { createFeishuSender, FEISHU_BUCKETS } from './sender.js';

const GROUP = 'oc_staff_group';
const card: Card = {
  title: '隐患逾期',
  tone: 'danger',
  blocks: [{ type: 'markdown', text: 'YH-0007 已逾期 2 天' }],
  buttons: [{ id: 'ack', label: '知道了', style: 'primary', value: { flow: 'hazard', op: 'ack', hazard: 'H-7' } }],
};

let fake: FeishuFake;
let clock: number;
let logged: { level: string; msg?: string }[];

const log: Log = {
  debug: () => undefined,
  info: (_obj, msg) => logged.push({ level: 'info', msg }),
  warn: (_obj, msg) => logged.push({ level: 'warn', msg }),
  error: (_obj, msg) => logged.push({ level: 'error', msg }),
};

function senderFor(overrides: Partial<FeishuConfig> = {}, fetchImpl?: typeof fetch) {
  const config: FeishuConfig = {
    appId: fake.appId,
    appSecret: fake.appSecret,
    verificationToken: 'vt',
    baseUrl: fake.baseUrl,
    transport: 'http',
    urgent: 'app',
    ...overrides,
  };
  const client = createFeishuClient({ ...config, now: () => clock, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return createFeishuSender(config, client, log);
}

let outboxId = 0;
function delivery(partial: Partial<OutboundDelivery> & Pick<OutboundDelivery, 'target'>): OutboundDelivery {
  outboxId++;
  return {
    outboxId: String(outboxId),
    body: { type: 'card', card },
    urgency: 'normal',
    idempotencyKey: `test:${outboxId}`,
    attempt: 1,
    ...partial,
  };
}

beforeEach(async () => {
  clock = Date.parse('2026-05-11T08:00:00Z');
  logged = [];
  fake = await startFeishuFake({ now: () => clock });
});
afterEach(() => fake.close());

describe('bucketsFor', () => {
  it('limits the app and the chat (shared by every bot) or the user', () => {
    const sender = senderFor();
    expect(sender.bucketsFor({ platform: 'feishu', tenant: fake.appId, chatId: 'oc_1' })).toEqual([
      { key: `feishu:${fake.appId}:app`, ratePerSecond: 15, burst: 30, shared: true },
      { key: 'feishu:chat:oc_1', ratePerSecond: 3, burst: 1 },
    ]);
    expect(sender.bucketsFor({ platform: 'feishu', tenant: fake.appId, userId: 'ou_1' })[1]).toEqual({
      key: `feishu:${fake.appId}:user:ou_1`,
      ratePerSecond: 3,
      burst: 1,
    });
  });

  it('never admits more than Feishu publishes in any second or minute', () => {
    const maxIn = (bucket: Omit<RateBucket, 'key'>, windowMs: number) => {
      // Greedy sender against one token bucket, stepping 10 ms for two minutes.
      let tokens = bucket.burst;
      const sends: number[] = [];
      for (let t = 0; t <= 120_000; t += 10) {
        if (t > 0) tokens = Math.min(bucket.burst, tokens + (bucket.ratePerSecond * 10) / 1000);
        while (tokens >= 1) {
          tokens -= 1;
          sends.push(t);
        }
      }
      return Math.max(...sends.map((start) => sends.filter((t) => t >= start && t < start + windowMs).length));
    };
    expect(maxIn(FEISHU_BUCKETS.app, 1000)).toBeLessThanOrEqual(50);
    expect(maxIn(FEISHU_BUCKETS.app, 60_000)).toBeLessThanOrEqual(1000);
    expect(maxIn(FEISHU_BUCKETS.chat, 1000)).toBeLessThan(5);
    expect(maxIn(FEISHU_BUCKETS.user, 1000)).toBeLessThan(5);
  });
});

describe('send', () => {
  it('sends a rendered card to a chat with the idempotency key as uuid', async () => {
    const result = await senderFor().send(
      delivery({ target: { platform: 'feishu', tenant: fake.appId, chatId: GROUP } }),
    );
    expect(result).toEqual({ ok: true, platformMessageId: fake.sent[0]?.message_id });
    expect(fake.sent[0]).toMatchObject({ chat_id: GROUP, msg_type: 'interactive' });
    expect(JSON.parse(fake.sent[0]?.content ?? '')).toEqual(renderFeishuCard(card));
  });

  it('resending the same outbox row yields the same message, not a second one', async () => {
    const sender = senderFor();
    const row = delivery({ target: { platform: 'feishu', tenant: fake.appId, chatId: GROUP } });
    const first = await sender.send(row);
    const again = await sender.send({ ...row, attempt: 2 });
    expect(again).toEqual(first);
    expect(fake.sent).toHaveLength(1);
  });

  it('replies in thread when replyTo is set, and falls back to the chat when that message is gone', async () => {
    fake.addInboundMessage('om_report', GROUP);
    const sender = senderFor();
    const target = { platform: 'feishu' as const, tenant: fake.appId, chatId: GROUP };
    await sender.send(delivery({ target, replyTo: 'om_report', body: { type: 'text', text: '已登记' } }));
    expect(fake.sent[0]).toMatchObject({ parent_id: 'om_report', msg_type: 'text' });
    fake.recall('om_report');
    const result = await sender.send(delivery({ target, replyTo: 'om_report', body: { type: 'text', text: '再次' } }));
    expect(result.ok).toBe(true);
    expect(fake.sent[1]).toMatchObject({ chat_id: GROUP, receive_id_type: 'chat_id' });
    expect(fake.sent[1]?.parent_id).toBeUndefined();
  });

  it('sends to a user by open_id', async () => {
    await senderFor().send(delivery({ target: { platform: 'feishu', tenant: fake.appId, userId: 'ou_principal' } }));
    expect(fake.sent[0]).toMatchObject({ receive_id_type: 'open_id', receive_id: 'ou_principal' });
  });

  it('passes rate limits on with the reset time, and refuses targets it cannot address', async () => {
    fake.failNextSends({ status: 429, code: 99991400, resetSeconds: 3 }, { status: 400, code: 230020 });
    const target = { platform: 'feishu' as const, tenant: fake.appId, chatId: GROUP };
    const appLimited = await senderFor().send(delivery({ target }));
    expect(appLimited).toMatchObject({ ok: false, kind: 'rate_limited', retryAfterMs: 3000 });
    expect(appLimited).not.toHaveProperty('limitScope');
    // 230020 is the chat's own 5 QPS: the dispatcher holds that chat's bucket, not the app's shared one.
    expect(await senderFor().send(delivery({ target }))).toMatchObject({
      ok: false,
      kind: 'rate_limited',
      limitScope: 'conversation',
    });
    expect(await senderFor().send(delivery({ target: { ...target, tenant: 'cli_other' } }))).toMatchObject({
      ok: false,
      kind: 'permanent',
    });
    expect(await senderFor().send(delivery({ target: { platform: 'feishu', tenant: fake.appId } }))).toMatchObject({
      ok: false,
      kind: 'permanent',
    });
  });

  it('fans out to many groups within the fake’s limits when paced by its buckets', async () => {
    const sender = senderFor();
    const tokens = new Map<string, { tokens: number; at: number }>();
    const take = (buckets: RateBucket[]) => {
      let wait = 0;
      for (const bucket of buckets) {
        const state = tokens.get(bucket.key) ?? { tokens: bucket.burst, at: clock };
        state.tokens = Math.min(bucket.burst, state.tokens + ((clock - state.at) / 1000) * bucket.ratePerSecond);
        state.at = clock;
        tokens.set(bucket.key, state);
        if (state.tokens < 1) wait = Math.max(wait, Math.ceil(((1 - state.tokens) / bucket.ratePerSecond) * 1000));
      }
      if (wait === 0) for (const bucket of buckets) (tokens.get(bucket.key) as { tokens: number }).tokens -= 1;
      return wait;
    };
    const groups = Array.from({ length: 80 }, (_, i) => `oc_class_${i}`);
    for (const chatId of groups) {
      const target = { platform: 'feishu' as const, tenant: fake.appId, chatId };
      for (let wait = take(sender.bucketsFor(target)); wait > 0; wait = take(sender.bucketsFor(target))) clock += wait;
      expect((await sender.send(delivery({ target }))).ok).toBe(true);
    }
    expect(fake.sent).toHaveLength(80);
    expect(fake.requests.filter((r) => r.status === 429 || r.code === 230020)).toEqual([]);
  });
});

describe('urgent', () => {
  it('sends to the user, then urgent_app on the returned message', async () => {
    const result = await senderFor().send(
      delivery({ target: { platform: 'feishu', tenant: fake.appId, userId: 'ou_principal' }, urgency: 'urgent' }),
    );
    expect(fake.urgents).toEqual([
      {
        messageId: (result as { platformMessageId: string }).platformMessageId,
        kind: 'app',
        userIds: ['ou_principal'],
      },
    ]);
  });

  it('in a group, nags the named user of the target or the mentioned users of a text', async () => {
    const sender = senderFor();
    await sender.send(
      delivery({
        target: { platform: 'feishu', tenant: fake.appId, chatId: GROUP, userId: 'ou_safety' },
        urgency: 'urgent',
      }),
    );
    await sender.send(
      delivery({
        target: { platform: 'feishu', tenant: fake.appId, chatId: GROUP },
        urgency: 'urgent',
        body: { type: 'text', text: '请尽快整改', mentionUserIds: ['ou_a', 'ou_b', 'ou_a'] },
      }),
    );
    await sender.send(
      delivery({ target: { platform: 'feishu', tenant: fake.appId, chatId: GROUP }, urgency: 'urgent' }),
    );
    expect(fake.urgents.map((u) => u.userIds)).toEqual([['ou_safety'], ['ou_a', 'ou_b']]);
    expect(fake.sent).toHaveLength(3);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'info', msg: expect.stringContaining('without urgent') }),
    );
  });

  it('uses the configured paid urgent kind', async () => {
    await senderFor({ urgent: 'phone' }).send(
      delivery({ target: { platform: 'feishu', tenant: fake.appId, userId: 'ou_principal' }, urgency: 'urgent' }),
    );
    expect(fake.urgents.map((u) => u.kind)).toEqual(['phone']);
  });

  it('retries a transiently failed urgent without sending the message twice', async () => {
    let failUrgent = true;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).includes('/urgent_app') && failUrgent) {
        failUrgent = false;
        return new Response(JSON.stringify({ code: 1, msg: 'system busy' }), { status: 503 });
      }
      return fetch(input, init);
    };
    const sender = senderFor({}, flaky);
    const row = delivery({
      target: { platform: 'feishu', tenant: fake.appId, userId: 'ou_principal' },
      urgency: 'urgent',
    });
    expect(await sender.send(row)).toMatchObject({ ok: false, kind: 'transient' });
    const retried = await sender.send({ ...row, attempt: 2 });
    expect(retried.ok).toBe(true);
    expect(fake.sent).toHaveLength(1);
    expect(fake.urgents).toHaveLength(1);
  });

  it('keeps a delivered message delivered when the urgent is refused for good', async () => {
    const refusing: typeof fetch = async (input, init) =>
      String(input).includes('/urgent_app')
        ? new Response(JSON.stringify({ code: 230027, msg: 'Lack of necessary permissions' }), { status: 400 })
        : fetch(input, init);
    const result = await senderFor({}, refusing).send(
      delivery({ target: { platform: 'feishu', tenant: fake.appId, userId: 'ou_principal' }, urgency: 'urgent' }),
    );
    expect(result.ok).toBe(true);
    expect(logged).toContainEqual({ level: 'error', msg: 'feishu urgent failed permanently' });
  });
});
