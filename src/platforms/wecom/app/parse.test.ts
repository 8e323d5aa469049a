import { describe, expect, it } from 'vitest';
import { wecomFixtureText } from '../../../../test/fakes/wecom/fixtures.js';
import { parseAppMessage } from './parse.js';
import { parseWecomXml } from './xml.js';

const ctx = { tenant: 'app:ww_corpid:1000002', now: new Date('2026-05-06T08:00:00Z') };

function rootOf(xml: string): Record<string, unknown> {
  const parsed = parseWecomXml(xml);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.root;
}

describe('self-built app message parsing', () => {
  it('turns a text message into a direct-chat message event keyed by MsgId (kept as a string)', () => {
    const parsed = parseAppMessage(rootOf(wecomFixtureText('app-text.xml')), ctx);
    expect(parsed).toMatchObject({
      kind: 'event',
      event: {
        id: '7300000000000000001',
        platform: 'wecom',
        tenant: 'app:ww_corpid:1000002',
        kind: 'message',
        chat: { id: 'zhangsan', type: 'direct' },
        actor: { platformUserId: 'zhangsan' },
        text: '三楼东侧楼梯扶手松动',
        mentionsBot: true,
        attachments: [],
        receivedAt: new Date(1700000000 * 1000),
      },
    });
  });

  it('turns a template_card_event into an action with the decoded value and keeps the response code', () => {
    const parsed = parseAppMessage(rootOf(wecomFixtureText('app-template-card-event.xml')), ctx);
    expect(parsed).toMatchObject({
      kind: 'event',
      event: {
        id: 'lisi:1700000100:xa_task_0001',
        kind: 'action',
        chat: { id: 'lisi', type: 'direct' },
        actor: { platformUserId: 'lisi' },
        action: { value: { flow: 'receipt', op: 'confirm', receiptId: 'r-42' }, messageId: 'xa_task_0001' },
      },
      click: { userId: 'lisi', taskId: 'xa_task_0001', responseCode: 'rc-0001' },
    });
  });

  it('ignores a click on a card key that is not ours (the documented sample)', () => {
    const parsed = parseAppMessage(rootOf(wecomFixtureText('app-template-card-event-doc-sample.xml')), ctx);
    expect(parsed).toEqual({ kind: 'ignored', reason: 'card key is not an action of ours' });
  });

  it('reads an image message as an attachment', () => {
    const xml =
      '<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>' +
      '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType>' +
      '<PicUrl><![CDATA[https://example.invalid/p.jpg]]></PicUrl><MediaId><![CDATA[media-1]]></MediaId>' +
      '<MsgId>7300000000000000002</MsgId><AgentID>1000002</AgentID></xml>';
    expect(parseAppMessage(rootOf(xml), ctx)).toMatchObject({
      kind: 'event',
      event: {
        kind: 'message',
        attachments: [{ kind: 'image', key: 'media-1', url: 'https://example.invalid/p.jpg' }],
      },
    });
  });

  it('ignores events it does not handle and flags messages that lack their ids', () => {
    const enter =
      '<xml><FromUserName>a</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event></xml>';
    expect(parseAppMessage(rootOf(enter), ctx)).toMatchObject({ kind: 'ignored' });
    const noId =
      '<xml><FromUserName>a</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>';
    expect(parseAppMessage(rootOf(noId), ctx)).toMatchObject({ kind: 'malformed' });
  });
});

describe('XML parsing', () => {
  it('refuses DOCTYPE and ENTITY declarations outright', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>';
    expect(parseWecomXml(xxe)).toEqual({ ok: false, reason: 'XML with a DOCTYPE or ENTITY declaration' });
    expect(parseWecomXml('<xml><!ENTITY a "b"></xml>')).toMatchObject({ ok: false });
    expect(parseWecomXml('<!doctype xml><xml/>')).toMatchObject({ ok: false });
  });

  it('refuses malformed XML and documents without an <xml> root', () => {
    expect(parseWecomXml('<xml><a></xml>')).toEqual({ ok: false, reason: 'malformed XML' });
    expect(parseWecomXml('<root><a>1</a></root>')).toEqual({ ok: false, reason: 'no <xml> root element' });
  });

  it('keeps 64-bit ids as exact strings', () => {
    expect(parseWecomXml('<xml><MsgId>7300000000000000001</MsgId></xml>')).toEqual({
      ok: true,
      root: { MsgId: '7300000000000000001' },
    });
  });
});
