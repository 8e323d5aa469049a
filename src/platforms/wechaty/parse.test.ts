import { describe, expect, it } from 'vitest';
import { matchReceiptKeyword } from './keywords.js';
import { LOGIN_REPLAY_MARGIN_MS, parseWechatyMessage, stripBotMention, type WechatyMessageSnapshot } from './parse.js';

const loginAt = new Date('2026-03-02T08:00:00Z');
const receivedAt = new Date('2026-03-02T08:05:00Z');
const ctx = { tenant: 'bot-wxid', botNames: ['校安'], loginAt, receivedAt };

const roomText = (text: string, overrides: Partial<WechatyMessageSnapshot> = {}): WechatyMessageSnapshot => ({
  id: 'msg-1',
  type: 'text',
  roomId: '20931@chatroom',
  talkerId: 'wxid_teacher',
  talkerName: '王老师',
  self: false,
  text,
  mentionsBot: true,
  sentAt: new Date('2026-03-02T08:04:59Z'),
  raw: { id: 'msg-1' },
  ...overrides,
});

describe('parseWechatyMessage', () => {
  it('turns a room message mentioning the bot into a group event with the mention stripped', () => {
    const result = parseWechatyMessage(roomText('@校安\u2005三楼走廊灯坏了'), ctx);
    expect(result).toEqual({
      kind: 'event',
      event: {
        id: 'msg-1',
        platform: 'wechaty',
        tenant: 'bot-wxid',
        kind: 'message',
        chat: { id: '20931@chatroom', type: 'group' },
        actor: { platformUserId: 'wxid_teacher', name: '王老师' },
        text: '三楼走廊灯坏了',
        mentionsBot: true,
        attachments: [],
        receivedAt,
        messageId: 'msg-1',
        raw: { id: 'msg-1' },
      },
    });
  });

  it('ignores room chatter that does not mention the bot', () => {
    expect(parseWechatyMessage(roomText('今天放学早', { mentionsBot: false }), ctx)).toEqual({
      kind: 'ignored',
      reason: 'not_addressed',
    });
  });

  it('ignores the account own messages and replays from before login', () => {
    expect(parseWechatyMessage(roomText('@校安 hi', { self: true }), ctx)).toMatchObject({ reason: 'own_message' });
    const replay = new Date(loginAt.getTime() - LOGIN_REPLAY_MARGIN_MS - 1);
    expect(parseWechatyMessage(roomText('@校安 hi', { sentAt: replay }), ctx)).toMatchObject({
      reason: 'before_login',
    });
  });

  it('ignores types it cannot use (voice, links, recalls …)', () => {
    expect(parseWechatyMessage(roomText('', { type: 'other' }), ctx)).toMatchObject({ reason: 'unsupported_type' });
  });

  it('turns a direct message into a direct event keyed on the talker', () => {
    const result = parseWechatyMessage(roomText('怎么上报隐患', { roomId: undefined, mentionsBot: false }), ctx);
    expect(result).toMatchObject({
      kind: 'event',
      event: { kind: 'message', chat: { id: 'wxid_teacher', type: 'direct' }, text: '怎么上报隐患' },
    });
  });

  it('turns a receipt keyword from a parent, with or without a mention, into a receipt action', () => {
    for (const snapshot of [
      roomText('确认', { mentionsBot: false, talkerId: 'wxid_parent', talkerName: '李明妈妈' }),
      roomText('@校安 我已阅读并承诺。', { talkerId: 'wxid_parent', talkerName: '李明妈妈' }),
    ]) {
      const result = parseWechatyMessage(snapshot, ctx);
      expect(result).toMatchObject({
        kind: 'event',
        event: {
          kind: 'action',
          chat: { id: '20931@chatroom', type: 'group' },
          actor: { platformUserId: 'wxid_parent', name: '李明妈妈' },
          action: { value: { flow: 'receipt', op: 'confirm_keyword' } },
        },
      });
    }
  });

  it('keeps room images aside and makes a direct image an event with the message id as file key', () => {
    expect(parseWechatyMessage(roomText('', { type: 'image', mentionsBot: false }), ctx)).toEqual({
      kind: 'room_image',
      attachment: { kind: 'image', key: 'msg-1' },
    });
    expect(parseWechatyMessage(roomText('', { type: 'image', roomId: undefined }), ctx)).toMatchObject({
      kind: 'event',
      event: { kind: 'message', text: '', attachments: [{ kind: 'image', key: 'msg-1' }] },
    });
  });
});

describe('stripBotMention', () => {
  it('removes every mention of any of the bot names and nobody else', () => {
    expect(stripBotMention('@校安\u2005@张老师\u2005请看一下 @安全助手', ['校安', '安全助手'])).toBe(
      '@张老师\u2005请看一下',
    );
    expect(stripBotMention('@校安管理员 在吗', ['校安'])).toBe('@校安管理员 在吗');
    expect(stripBotMention('@a.b (x) 灯坏了', ['a.b (x)'])).toBe('灯坏了');
  });
});

describe('matchReceiptKeyword', () => {
  it('matches whole replies with trailing punctuation only', () => {
    expect(matchReceiptKeyword(' 确认！')).toBe('确认');
    expect(matchReceiptKeyword('已确认。')).toBe('已确认');
    expect(matchReceiptKeyword('收到~')).toBe('收到');
    expect(matchReceiptKeyword('收到，但是我有问题')).toBeUndefined();
    expect(matchReceiptKeyword('确认一下明天几点放学')).toBeUndefined();
  });
});
