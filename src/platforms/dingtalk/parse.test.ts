import { describe, expect, it } from 'vitest';
import { dingtalkFixture } from '../../../test/fixtures/dingtalk/index.js';
import { ParseError, parseCardCallback, parseRobotMessage, senderOfReplyHandle } from './parse.js';

const context = { tenant: 'dingappkey', now: new Date('2023-09-21T08:07:16Z') };

describe('parseRobotMessage', () => {
  it('turns a group @-message into a message event keyed by msgId, without the leading space', () => {
    const [event] = parseRobotMessage(dingtalkFixture('text-group'), context);
    expect(event).toMatchObject({
      id: 'msgA1b2C3d4E5f6G7h8==',
      platform: 'dingtalk',
      tenant: 'dingappkey',
      kind: 'message',
      chat: { id: 'cidSTAFFgroup0001==', type: 'group' },
      actor: { platformUserId: 'staff-wang', name: '王老师' },
      text: '二楼走廊的灭火器箱是空的，灭火器不知道被谁拿走了',
      mentionsBot: true,
      attachments: [],
      // The reply handle: replies in the group know whom their buttons are for.
      messageId: 'msgA1b2C3d4E5f6G7h8==|staff-wang',
      replyChannel: {
        url: 'https://oapi.dingtalk.com/robot/sendBySession?session=0f0eddb0af3eafe9651942c4286c3ef2',
        expiresAt: new Date(1695289035996),
      },
    });
  });

  it('addresses a 1:1 chat by its user and counts every 1:1 message as addressed to the robot', () => {
    const [event] = parseRobotMessage(dingtalkFixture('text-direct'), context);
    expect(event?.chat).toEqual({ id: 'dm:staff-wang', type: 'direct' });
    expect(event?.mentionsBot).toBe(true);
    expect(event?.text).toBe('我负责的区域今天有什么要检查的？');
  });

  it('falls back to the encrypted senderId for a sender outside the organisation', () => {
    const [event] = parseRobotMessage(dingtalkFixture('text-external-sender'), context);
    expect(event?.actor).toEqual({ platformUserId: '$:LWCP_v1:$Pa7rEnT0mOm1xYz', name: '小明妈妈' });
    expect(event?.chat).toEqual({ id: 'cidPARENTS3class2==', type: 'group' });
  });

  it('reads the sender back from a reply handle, and nothing from other message ids', () => {
    const [event] = parseRobotMessage(dingtalkFixture('text-external-sender'), context);
    expect(senderOfReplyHandle(event?.messageId)).toBe('$:LWCP_v1:$Pa7rEnT0mOm1xYz');
    expect(senderOfReplyHandle('card|key|staff-li')).toBe('staff-li');
    expect(senderOfReplyHandle('receipt:letter-42:cidPARENTS3class2==')).toBeNull();
    expect(senderOfReplyHandle(undefined)).toBeNull();
  });

  it('gives a picture as an image attachment keyed by its downloadCode', () => {
    const [event] = parseRobotMessage(dingtalkFixture('picture'), context);
    expect(event?.text).toBe('');
    expect(event?.attachments).toEqual([{ kind: 'image', key: 'mIofN681YE3f0dcode' }]);
  });

  it('joins richText texts and collects its pictures', () => {
    const [event] = parseRobotMessage(dingtalkFixture('richtext'), context);
    expect(event?.text).toBe('食堂后门的燃气管道有异味，照片如下：\n请尽快安排人员检查');
    expect(event?.attachments).toEqual([
      { kind: 'image', key: 'mIofgas1' },
      { kind: 'image', key: 'mIofgas2' },
    ]);
    expect(event?.actor.platformUserId).toBe('staff-li');
  });

  it('ignores message types the robot cannot use', () => {
    expect(parseRobotMessage(dingtalkFixture('unknown-type'), context)).toEqual([]);
  });

  it('is not mentioned in a group message that does not @ it', () => {
    const raw = { ...dingtalkFixture('text-group'), isInAtList: false, atUsers: [] };
    expect(parseRobotMessage(raw, context)[0]?.mentionsBot).toBe(false);
  });

  it('uses the Stream messageId when msgId is missing, and refuses when both are', () => {
    const { msgId: _, ...raw } = dingtalkFixture('text-group');
    expect(parseRobotMessage(raw, { ...context, fallbackId: 'frame-1' })[0]?.id).toBe('frame-1');
    expect(() => parseRobotMessage(raw, context)).toThrow(ParseError);
  });

  it('refuses malformed bodies', () => {
    expect(() => parseRobotMessage('hello', context)).toThrow(ParseError);
    expect(() => parseRobotMessage({ ...dingtalkFixture('text-group'), conversationType: '3' }, context)).toThrow(
      /conversationType/,
    );
    expect(() => parseRobotMessage({ ...dingtalkFixture('text-group'), conversationId: 7 }, context)).toThrow(
      ParseError,
    );
  });
});

describe('parseCardCallback', () => {
  it('turns a click into an action event carrying the button value', () => {
    const event = parseCardCallback(dingtalkFixture('card-callback'), { ...context, eventId: 'frame-9' });
    expect(event).toMatchObject({
      id: 'frame-9',
      kind: 'action',
      chat: { id: 'cidPARENTS3class2==', type: 'group' },
      actor: { platformUserId: 'staff-zhang' },
      action: {
        value: { flow: 'receipt', op: 'confirm', letterId: '42' },
        messageId: 'receipt:letter-42:cidPARENTS3class2==',
      },
      // Replies to the click (a group announcement, say) mint their links for the clicker.
      messageId: 'receipt:letter-42:cidPARENTS3class2==|staff-zhang',
    });
    expect(event.action?.form).toBeUndefined();
  });

  it('accepts a template that hard-codes flow and op as params, and passes other params as the form', () => {
    const value = JSON.stringify({ flow: 'hazard', op: 'reject' });
    const raw = {
      ...dingtalkFixture('card-callback'),
      spaceType: 'IM_ROBOT',
      spaceId: 'staff-zhang',
      content: JSON.stringify({ cardPrivateData: { params: { value, reason: '重复上报' } } }),
    };
    const event = parseCardCallback(raw, { ...context, eventId: 'e' });
    expect(event.chat).toEqual({ id: 'dm:staff-zhang', type: 'direct' });
    expect(event.action).toMatchObject({ value: { flow: 'hazard', op: 'reject' }, form: { reason: '重复上报' } });
    const flat = {
      ...raw,
      content: JSON.stringify({ cardPrivateData: { params: { flow: 'daily', op: 'ok', area: 3 } } }),
    };
    expect(parseCardCallback(flat, { ...context, eventId: 'e' }).action?.value).toEqual({
      flow: 'daily',
      op: 'ok',
      area: 3,
    });
  });

  it('refuses callbacks without a usable action value or with broken content', () => {
    const base = dingtalkFixture('card-callback');
    const noValue = { ...base, content: JSON.stringify({ cardPrivateData: { params: { action: 'accept' } } }) };
    expect(() => parseCardCallback(noValue, { ...context, eventId: 'e' })).toThrow(/action value/);
    expect(() => parseCardCallback({ ...base, content: '{' }, { ...context, eventId: 'e' })).toThrow(ParseError);
    expect(() => parseCardCallback({ ...base, outTrackId: '' }, { ...context, eventId: 'e' })).toThrow(ParseError);
  });
});
