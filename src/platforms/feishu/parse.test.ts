import { describe, expect, it } from 'vitest';
import { FIXTURE, feishuFixture } from '../../../test/fixtures/feishu/load.js';
import { type FeishuParseContext, parseFeishuPayload } from './parse.js';

const receivedAt = new Date('2026-05-11T08:00:00Z');
const ctx: FeishuParseContext = { appId: FIXTURE.appId, botOpenId: FIXTURE.botOpenId, receivedAt };

function events(payload: Record<string, unknown>, context = ctx) {
  const result = parseFeishuPayload(payload, context);
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe('parseFeishuPayload: im.message.receive_v1', () => {
  it('parses a group text message, strips the bot mention and names the other', () => {
    const payload = feishuFixture('message-text');
    const result = events(payload);
    expect(result.kind).toBe('event');
    expect(result.events).toEqual([
      {
        id: '5e3702a84e847582be8db7fb73283c02',
        extraDedupeKeys: ['msg:om_5ce6d572455d361153b7cb51da133945'],
        platform: 'feishu',
        tenant: FIXTURE.appId,
        kind: 'message',
        chat: { id: 'oc_5ce6d572455d361153b7xx51da133945', type: 'group' },
        actor: { platformUserId: 'ou_teacher0000000000000000000000001' },
        text: '三楼东侧楼梯扶手松动 请@张三 处理',
        mentionsBot: true,
        attachments: [],
        receivedAt,
        messageId: 'om_5ce6d572455d361153b7cb51da133945',
        raw: payload,
      },
    ]);
  });

  it('does not count a mention as the bot’s when the bot id differs or is unknown', () => {
    const other = events(feishuFixture('message-text'), { ...ctx, botOpenId: 'ou_another_bot' }).events[0];
    expect(other?.mentionsBot).toBe(false);
    expect(other?.text).toBe('@校安 三楼东侧楼梯扶手松动 请@张三 处理');
    expect(events(feishuFixture('message-text'), { ...ctx, botOpenId: undefined }).events[0]?.mentionsBot).toBe(false);
  });

  it('flattens a locale-wrapped post: title, text, links, images as attachments, bot mention removed', () => {
    const event = events(feishuFixture('message-post')).events[0];
    expect(event?.text).toBe('隐患上报\n操场围栏破损\n\n详见 照片');
    expect(event?.mentionsBot).toBe(true);
    expect(event?.attachments).toEqual([{ kind: 'image', key: 'img_v3_0001' }]);
  });

  it('flattens a bare post too', () => {
    const payload = feishuFixture('message-post');
    const message = (payload.event as { message: { content: string } }).message;
    message.content = JSON.stringify({ title: '', content: [[{ tag: 'text', text: '灭火器过期' }]] });
    expect(events(payload).events[0]?.text).toBe('灭火器过期');
  });

  it('parses an image in a direct chat as an attachment', () => {
    const event = events(feishuFixture('message-image')).events[0];
    expect(event).toMatchObject({
      kind: 'message',
      chat: { id: 'oc_p2p00000000000000000000000000001', type: 'direct' },
      text: '',
      mentionsBot: false,
      attachments: [{ kind: 'image', key: 'img_v3_02ab_0c8d' }],
      extraDedupeKeys: ['msg:om_image000000000000000000000000001'],
    });
  });

  it('acknowledges message types it does not read without producing events', () => {
    const payload = feishuFixture('message-image');
    const message = (payload.event as { message: Record<string, string> }).message;
    message.message_type = 'sticker';
    message.content = '{"file_key":"sticker_1"}';
    expect(events(payload)).toEqual({ ok: true, kind: 'event', events: [] });
  });

  it('reports a malformed message event', () => {
    const payload = feishuFixture('message-text');
    delete (payload.event as { message: Record<string, unknown> }).message.chat_id;
    const result = parseFeishuPayload(payload, ctx);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('event.message.chat_id') });
    const notJson = feishuFixture('message-text');
    (notJson.event as { message: Record<string, unknown> }).message.content = '{oops';
    expect(parseFeishuPayload(notJson, ctx).ok).toBe(false);
  });
});

describe('parseFeishuPayload: card callbacks', () => {
  it('parses card.action.trigger with its value, form values, operator and context', () => {
    const payload = feishuFixture('card-action');
    const result = events(payload);
    expect(result.kind).toBe('card');
    expect(result.events).toEqual([
      {
        id: '8b6a35db71b7a8b5e1b1eaae06516f35',
        platform: 'feishu',
        tenant: FIXTURE.appId,
        kind: 'action',
        chat: { id: 'oc_5ce6d572455d361153b7xx51da133945', type: 'group' },
        actor: { platformUserId: 'ou_teacher0000000000000000000000001' },
        text: '',
        mentionsBot: false,
        attachments: [],
        action: {
          value: { flow: 'hazard', op: 'confirm', draft: 'd-42' },
          form: { location: '三楼东侧楼梯', level: 'major', deadline: '2026-05-20', tags: '楼梯,扶手' },
          messageId: 'om_card0000000000000000000000000001',
          answerRedrawsForAll: true,
        },
        receivedAt,
        messageId: 'om_card0000000000000000000000000001',
        raw: payload,
      },
    ]);
  });

  it('yields no event for a button value this service did not render', () => {
    const payload = feishuFixture('card-action');
    (payload.event as { action: Record<string, unknown> }).action.value = { cmd: 'approve' };
    expect(events(payload)).toEqual({ ok: true, kind: 'card', events: [] });
  });

  it('parses the old card callback and derives a replay-stable id from the request timestamp', () => {
    const payload = feishuFixture('card-legacy');
    const first = events(payload, { ...ctx, requestTimestamp: '1778486400' });
    expect(first.kind).toBe('legacy_card');
    expect(first.events[0]).toMatchObject({
      kind: 'action',
      chat: { id: 'oc_class000000000000000000000000001', type: 'group' },
      actor: { platformUserId: 'ou_parent00000000000000000000000001' },
      action: {
        value: { flow: 'receipt', op: 'ack', letter: 'L-7' },
        messageId: 'om_card0000000000000000000000000002',
      },
    });
    const replay = events(payload, { ...ctx, requestTimestamp: '1778486400' });
    const later = events(payload, { ...ctx, requestTimestamp: '1778486460' });
    expect(replay.events[0]?.id).toBe(first.events[0]?.id);
    expect(later.events[0]?.id).not.toBe(first.events[0]?.id);
    expect(first.events[0]?.id).toMatch(/^card1:[0-9a-f]{40}$/);
  });
});

describe('parseFeishuPayload: membership and other events', () => {
  it('turns bot added / deleted into join / leave', () => {
    expect(events(feishuFixture('bot-added')).events).toEqual([
      {
        id: '9c7b46ec82c8b9c6f2c2fbbf17627046',
        platform: 'feishu',
        tenant: FIXTURE.appId,
        kind: 'join',
        chat: { id: 'oc_413871c2a5bc3bbbb05a8f4b8e1c1b5e', type: 'group' },
        actor: { platformUserId: 'ou_principal000000000000000000000001' },
        text: '',
        mentionsBot: false,
        attachments: [],
        receivedAt,
        raw: feishuFixture('bot-added'),
      },
    ]);
    expect(events(feishuFixture('bot-deleted')).events[0]).toMatchObject({
      id: 'ad8c57fd93d9cad703d30ccf28738157',
      kind: 'leave',
    });
  });

  it('uses the uuid of v1 events as the id', () => {
    expect(events(feishuFixture('v1-add-bot')).events[0]).toMatchObject({
      id: '41b5f371157e3d5341b38b20396e77f3',
      kind: 'join',
      chat: { id: 'oc_staff0000000000000000000000000001', type: 'group' },
      actor: { platformUserId: 'ou_principal000000000000000000000001' },
    });
  });

  it('acknowledges subscribed events it does not act on', () => {
    expect(events(feishuFixture('message-read'))).toEqual({ ok: true, kind: 'event', events: [] });
  });

  it('rejects payloads of no known shape', () => {
    expect(parseFeishuPayload({ hello: 'world' }, ctx).ok).toBe(false);
    expect(parseFeishuPayload({ schema: '2.0', header: {} }, ctx).ok).toBe(false);
  });
});
