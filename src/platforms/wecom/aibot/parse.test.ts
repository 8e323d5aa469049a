import { describe, expect, it } from 'vitest';
import { wecomFixture } from '../../../../test/fakes/wecom/fixtures.js';
import { parseAibotCallback, stripBotMention } from './parse.js';

const ctx = { tenant: 'aibot:aibAAAA', now: new Date('2026-05-06T08:00:00Z') };
const frame = (name: string) => wecomFixture<{ cmd: string; body: unknown }>(name);
const parse = (name: string) => {
  const f = frame(name);
  return parseAibotCallback(f.cmd, f.body, ctx);
};

describe('AI bot callback parsing', () => {
  it('reads a group @-message: chat = chatid, mention stripped, id = msgid', () => {
    expect(parse('aibot-text-group.json')).toMatchObject({
      kind: 'message',
      event: {
        id: 'CAIQz7XcogYYzIDAwYCAgIABIKGz8Q0',
        platform: 'wecom',
        tenant: 'aibot:aibAAAA',
        kind: 'message',
        chat: { id: 'wrkSFfCgAAAA', type: 'group' },
        actor: { platformUserId: 'zhangsan' },
        text: '二楼走廊的灭火器箱是空的',
        mentionsBot: true,
        messageId: 'CAIQz7XcogYYzIDAwYCAgIABIKGz8Q0',
        receivedAt: new Date(1700000200 * 1000),
      },
    });
  });

  it('reads a 1:1 message as a direct chat addressed by the userid', () => {
    expect(parse('aibot-text-single.json')).toMatchObject({
      kind: 'message',
      event: { chat: { id: 'lisi', type: 'direct' }, text: '确认', receivedAt: ctx.now },
    });
  });

  it('reads an image and a mixed message into text plus image attachments', () => {
    expect(parse('aibot-image.json')).toMatchObject({
      kind: 'message',
      event: { text: '', attachments: [{ kind: 'image', url: expect.stringContaining('/abc') }] },
    });
    expect(parse('aibot-mixed.json')).toMatchObject({
      kind: 'message',
      event: { text: '食堂后门的护栏断了', attachments: [{ kind: 'image', url: expect.stringContaining('/def') }] },
    });
  });

  it('reads enter_chat as a join in the direct chat', () => {
    expect(parse('aibot-enter-chat.json')).toMatchObject({
      kind: 'enter_chat',
      event: { kind: 'join', chat: { id: 'wangwu', type: 'direct' }, actor: { platformUserId: 'wangwu' } },
    });
  });

  it('reads a card click with the flat field layout', () => {
    expect(parse('aibot-card-click-flat.json')).toMatchObject({
      kind: 'click',
      taskId: 'xa_task_0002',
      event: {
        id: 'CAIQ1bXcogYYzIDAwYCAgIABIKGz8Q5',
        kind: 'action',
        chat: { id: 'wrkSFfCgAAAA', type: 'group' },
        actor: { platformUserId: 'lisi' },
        action: { value: { flow: 'receipt', op: 'confirm', receiptId: 'r-42' }, messageId: 'xa_task_0002' },
      },
    });
  });

  it('reads a card click with the nested template_card_event layout', () => {
    expect(parse('aibot-card-click-nested.json')).toMatchObject({
      kind: 'click',
      taskId: 'xa_task_0003',
      event: { kind: 'action', action: { value: { flow: 'receipt', op: 'confirm', receiptId: 'r-43' } } },
    });
  });

  it('ignores disconnected_event and feedback, and flags bodies without ids', () => {
    const base = { msgid: 'm', from: { userid: 'u' }, msgtype: 'event' };
    expect(
      parseAibotCallback('aibot_event_callback', { ...base, event: { eventtype: 'disconnected_event' } }, ctx),
    ).toMatchObject({ kind: 'ignored' });
    expect(parseAibotCallback('aibot_msg_callback', { msgtype: 'text', text: { content: 'x' } }, ctx)).toMatchObject({
      kind: 'malformed',
    });
  });
});

describe('bot mention stripping', () => {
  it('strips leading mentions, or a trailing one when none leads', () => {
    expect(stripBotMention('@校安 三楼扶手松动')).toBe('三楼扶手松动');
    expect(stripBotMention('@校安\u2005三楼扶手松动')).toBe('三楼扶手松动');
    expect(stripBotMention('三楼扶手松动 @校安')).toBe('三楼扶手松动');
    expect(stripBotMention('请 @张老师 看一下 @校安')).toBe('请 @张老师 看一下');
  });
});
