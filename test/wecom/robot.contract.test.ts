import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundDelivery } from '../../src/delivery/sender.js';
import { createSignedLinks } from '../../src/http/signed-links.js';
import type { Card } from '../../src/model/card.js';
import type { PlatformModule } from '../../src/platforms/types.js';
import { wecomConfigFrom } from '../../src/platforms/wecom/config.js';
import { createWecomPlatform } from '../../src/platforms/wecom/index.js';
import { type WecomFake, startWecomFake } from '../fakes/wecom/index.js';
import { recordingLog } from '../fakes/wecom/recording-pipeline.js';
import { PacedClock, busiestWindow } from './pacing.js';

const links = createSignedLinks('link-secret', 'https://xiaoan.example');
let fake: WecomFake;
let clock: PacedClock;
let platform: PlatformModule;

beforeAll(async () => {
  fake = await startWecomFake({ now: () => clock.now(), robotKeys: ['key-grade3', 'key-office'] });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  clock = new PacedClock();
  fake.reset();
  const config = wecomConfigFrom({
    WECOM_API_BASE_URL: fake.baseUrl,
    WECOM_ROBOT_WEBHOOK_KEYS: 'grade3=key-grade3,office=key-office,gone=key-deleted',
  });
  platform = createWecomPlatform(config!, { links, log: recordingLog(), now: () => new Date(clock.now()) });
});

let serial = 0;
function push(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  serial++;
  return {
    outboxId: String(serial),
    target: { platform: 'wecom', tenant: 'robot:grade3' },
    body: { type: 'text', text: `今日隐患提醒 #${serial}` },
    urgency: 'normal',
    idempotencyKey: `robot:${serial}`,
    attempt: 1,
    ...overrides,
  };
}

const nagCard: Card = {
  title: '隐患整改即将逾期',
  tone: 'warning',
  blocks: [
    {
      type: 'fields',
      fields: [
        { label: '位置', value: '三楼东侧楼梯' },
        { label: '期限', value: '今天 17:00' },
      ],
    },
  ],
  buttons: [
    { id: 'done', label: '已整改', style: 'primary', value: { flow: 'hazard', op: 'fixed', hazardId: 'h-7' } },
    { id: 'view', label: '查看详情', style: 'default', url: 'https://xiaoan.example/h5/hazard/h-7' },
  ],
};

describe('group robot webhook', () => {
  it('sends text as markdown with <@userid> mentions to the robot named by the tenant', async () => {
    const result = await platform.sender.send(
      push({ body: { type: 'text', text: '三楼扶手松动，请尽快处理', mentionUserIds: ['zhangsan'] } }),
    );
    expect(result).toEqual({ ok: true });
    expect(fake.robotSent).toMatchObject([
      {
        key: 'key-grade3',
        body: { msgtype: 'markdown', markdown: { content: '<@zhangsan> 三楼扶手松动，请尽快处理' } },
      },
    ]);
  });

  it('sends a card as text_notice: links stay links, a callback button becomes a link signed for the intended actor', async () => {
    const result = await platform.sender.send(
      push({
        target: { platform: 'wecom', tenant: 'robot:grade3', userId: 'zhangsan' },
        body: { type: 'card', card: nagCard },
      }),
    );
    expect(result).toEqual({ ok: true });
    const card = (fake.robotSent[0]!.body as { template_card: Record<string, unknown> }).template_card;
    expect(card).toMatchObject({
      card_type: 'text_notice',
      main_title: { title: '隐患整改即将逾期' },
      horizontal_content_list: [
        { keyname: '位置', value: '三楼东侧楼梯' },
        { keyname: '期限', value: '今天 17:00' },
      ],
      card_action: { type: 1, url: 'https://xiaoan.example/h5/hazard/h-7' },
    });
    expect(card.button_list).toBeUndefined();
    const jumps = card.jump_list as { title: string; url: string }[];
    expect(jumps.map((j) => j.title)).toEqual(['已整改', '查看详情']);
    const verified = links.verify(jumps[0]!.url.split('/').pop()!, new Date(clock.now()));
    if (!verified.ok) throw new Error(verified.reason);
    expect(links.actionClaims(verified.claims)).toMatchObject({
      userId: 'zhangsan',
      tenant: 'robot:grade3',
      chatId: 'grade3',
      value: { flow: 'hazard', op: 'fixed', hazardId: 'h-7' },
      label: '已整改',
    });
  });

  it('falls back to markdown with a hint when a group card has neither links nor an intended actor', async () => {
    const noLinks: Card = { ...nagCard, buttons: nagCard.buttons.filter((b) => !b.url) };
    expect(await platform.sender.send(push({ body: { type: 'card', card: noLinks } }))).toEqual({ ok: true });
    const content = (fake.robotSent[0]!.body as { markdown: { content: string } }).markdown.content;
    expect(content).toContain('**【提醒】隐患整改即将逾期**');
    expect(content).toContain('「已整改」请私聊校安机器人办理');
  });

  it('answers 45009 over 20 per minute with rate_limited and a ten-minute retry', async () => {
    for (let i = 0; i < 20; i++) expect(await platform.sender.send(push())).toEqual({ ok: true });
    expect(await platform.sender.send(push())).toMatchObject({
      ok: false,
      kind: 'rate_limited',
      retryAfterMs: 600_000,
    });
    clock.advance(61_000);
    // Still blocked after the minute: the robot is held for about ten minutes.
    expect(await platform.sender.send(push())).toMatchObject({ ok: false, kind: 'rate_limited' });
  });

  it('stays under 20 per minute when the dispatcher honours the robot bucket', async () => {
    const target = { platform: 'wecom' as const, tenant: 'robot:grade3' };
    const buckets = platform.sender.bucketsFor(target);
    expect(buckets).toHaveLength(1);
    for (let i = 0; i < 60; i++) {
      clock.take(buckets);
      expect(await platform.sender.send(push({ target }))).toEqual({ ok: true });
    }
    expect(
      busiestWindow(
        fake.robotSent.map((s) => s.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(20);
  });

  it('keeps separate robots in separate buckets', () => {
    const [grade3] = platform.sender.bucketsFor({ platform: 'wecom', tenant: 'robot:grade3' });
    const [office] = platform.sender.bucketsFor({ platform: 'wecom', tenant: 'robot:office' });
    expect(grade3?.key).not.toBe(office?.key);
  });

  it('fails permanently for an unknown robot name or a key WeCom does not know', async () => {
    expect(await platform.sender.send(push({ target: { platform: 'wecom', tenant: 'robot:nope' } }))).toMatchObject({
      ok: false,
      kind: 'permanent',
    });
    expect(await platform.sender.send(push({ target: { platform: 'wecom', tenant: 'robot:gone' } }))).toMatchObject({
      ok: false,
      kind: 'permanent',
      error: expect.stringContaining('93000'),
    });
  });
});
