import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundDelivery } from '../../src/delivery/sender.js';
import { createSignedLinks } from '../../src/http/signed-links.js';
import type { Card } from '../../src/model/card.js';
import type { PlatformModule } from '../../src/platforms/types.js';
import { decodeActionKey, taskIdFor } from '../../src/platforms/wecom/action-key.js';
import { createWecomAppClient } from '../../src/platforms/wecom/app/client.js';
import { wecomConfigFrom } from '../../src/platforms/wecom/config.js';
import { createWecomPlatform } from '../../src/platforms/wecom/index.js';
import { type WecomFake, startWecomFake } from '../fakes/wecom/index.js';
import { recordingLog } from '../fakes/wecom/recording-pipeline.js';
import { PacedClock, busiestWindow } from './pacing.js';

let fake: WecomFake;
let clock: PacedClock;
let platform: PlatformModule;
let tenant: string;

beforeAll(async () => {
  fake = await startWecomFake({ now: () => clock.now(), members: ['lisi', 'zhangsan'] });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  clock = new PacedClock();
  fake.reset();
  platform = createWecomPlatform(wecomConfigFrom(fake.env())!, {
    links: createSignedLinks('link-secret', 'https://xiaoan.example'),
    log: recordingLog(),
    now: () => new Date(clock.now()),
  });
  tenant = `app:${fake.corpId}:${fake.agentId}`;
});

let serial = 0;
function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  serial++;
  return {
    outboxId: String(serial),
    target: { platform: 'wecom', tenant, userId: 'lisi' },
    body: { type: 'text', text: `第${serial}条提醒：请在今天完成隐患复查。` },
    urgency: 'normal',
    idempotencyKey: `test:${serial}`,
    attempt: 1,
    ...overrides,
  };
}

const receiptCard: Card = {
  title: '防溺水安全告知书回执',
  tone: 'warning',
  blocks: [{ type: 'markdown', text: '请阅读后确认。' }],
  buttons: [
    {
      id: 'ok',
      label: '我已阅读并确认',
      style: 'primary',
      value: { flow: 'receipt', op: 'confirm', receiptId: 'r-1' },
    },
  ],
};

describe('message/send through the platform sender', () => {
  it('sends text to the member with WeCom duplicate check on', async () => {
    const result = await platform.sender.send(delivery());
    expect(result).toEqual({ ok: true, platformMessageId: expect.stringMatching(/^fake-msg-/) });
    expect(fake.sent).toEqual([
      {
        touser: 'lisi',
        agentid: fake.agentId,
        msgtype: 'text',
        text: { content: expect.stringContaining('请在今天完成隐患复查') },
        enable_duplicate_check: 1,
        duplicate_check_interval: 1800,
      },
    ]);
  });

  it('sends a card as button_interaction whose task_id is stable per delivery; a retry is a WeCom duplicate', async () => {
    const card = delivery({ body: { type: 'card', card: receiptCard }, idempotencyKey: 'receipt:r-1:lisi' });
    expect((await platform.sender.send(card)).ok).toBe(true);
    expect((await platform.sender.send({ ...card, attempt: 2 })).ok).toBe(true);
    expect(fake.sent).toHaveLength(1);
    expect(fake.dropped).toMatchObject([{ reason: 'duplicate' }]);
    const sent = fake.sent[0] as {
      template_card: { card_type: string; task_id: string; button_list: { key: string }[] };
    };
    expect(sent.template_card.card_type).toBe('button_interaction');
    expect(sent.template_card.task_id).toBe(taskIdFor('receipt:r-1:lisi'));
    expect(decodeActionKey(sent.template_card.button_list[0]!.key)).toEqual({
      flow: 'receipt',
      op: 'confirm',
      receiptId: 'r-1',
    });
    const call = fake.calls.find((c) => c.api === 'message/send');
    expect(call?.response.response_code).toEqual(expect.any(String));
  });

  it('fetches the token once and reuses it', async () => {
    await platform.sender.send(delivery());
    await platform.sender.send(delivery());
    expect(fake.tokensIssued).toBe(1);
  });

  it('refetches a revoked (40014) or expired (42001) token and retries once', async () => {
    await platform.sender.send(delivery());
    fake.revokeTokens();
    expect((await platform.sender.send(delivery())).ok).toBe(true);
    fake.expireTokens();
    expect((await platform.sender.send(delivery())).ok).toBe(true);
    expect(fake.tokensIssued).toBe(3);
    expect(fake.sent).toHaveLength(3);
  });

  it('gives up after one refresh when the fresh token is refused too', async () => {
    await platform.sender.send(delivery());
    fake.revokeTokens();
    fake.failNext('message/send', 40014, 'invalid access_token');
    expect(await platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'transient' });
  });

  it('maps 45009 and 45033 to rate_limited, -1 to transient, caller errors to permanent', async () => {
    fake.failNext('message/send', 45009, 'api freq out of limit');
    expect(await platform.sender.send(delivery())).toMatchObject({
      ok: false,
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
    fake.failNext('message/send', 45033, 'api concurrent out of limit');
    expect(await platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'rate_limited' });
    fake.failNext('message/send', -1, 'system busy');
    expect(await platform.sender.send(delivery())).toMatchObject({ ok: false, kind: 'transient' });
    fake.failNext('message/send', 60020, 'not allow to access from your ip');
    expect(await platform.sender.send(delivery())).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('60020'),
    });
    expect(
      await platform.sender.send(delivery({ target: { platform: 'wecom', tenant, userId: 'nobody' } })),
    ).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('81013'),
    });
  });

  it('treats a wrong secret as permanent and an unreachable server as transient', async () => {
    const wrongSecret = createWecomAppClient({
      baseUrl: fake.baseUrl,
      corpId: fake.corpId,
      agentId: fake.agentId,
      secret: 'nope',
    });
    expect(await wrongSecret.sendMessage('lisi', { msgtype: 'text', text: { content: 'x' } })).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('40001'),
    });
    const unreachable = createWecomAppClient({
      baseUrl: 'http://127.0.0.1:9',
      corpId: fake.corpId,
      agentId: 1,
      secret: 's',
    });
    expect(await unreachable.sendMessage('lisi', { msgtype: 'text', text: { content: 'x' } })).toMatchObject({
      ok: false,
      kind: 'transient',
    });
  });

  it('refuses tenants this configuration does not name', async () => {
    expect(
      await platform.sender.send(delivery({ target: { platform: 'wecom', tenant: 'app:ww_other:1', userId: 'lisi' } })),
    ).toMatchObject({ ok: false, kind: 'permanent' });
  });
});

describe('member quotas (excess is dropped silently, so the buckets must keep us under them)', () => {
  it('paces sends to one member without a single silent drop', async () => {
    const target = { platform: 'wecom' as const, tenant, userId: 'lisi' };
    const buckets = platform.sender.bucketsFor(target);
    // 100 sends cross the minute window many times and drain the hourly bucket's burst; that no hour can exceed
    // 1000 follows from the bucket sizes (keys.test.ts).
    for (let i = 0; i < 100; i++) {
      clock.take(buckets);
      const result = await platform.sender.send(delivery({ target }));
      expect(result.ok).toBe(true);
    }
    expect(fake.dropped).toEqual([]);
    const stamps = fake.calls.filter((c) => c.api === 'message/send').map((c) => c.at);
    expect(busiestWindow(stamps, 60_000)).toBeLessThanOrEqual(30);
    expect(busiestWindow(stamps, 3_600_000)).toBeLessThanOrEqual(1000);
  });

  it('shows what the buckets prevent: an unpaced burst loses messages without an error', async () => {
    for (let i = 0; i < 31; i++) expect((await platform.sender.send(delivery())).ok).toBe(true);
    expect(fake.dropped).toMatchObject([{ reason: 'member_quota' }]);
  });
});
