import { afterEach, describe, expect, it } from 'vitest';
import {
  createRecordingLog,
  createRecordingPipeline,
  createWechatyMockAccount,
  eventually,
} from '../../../test/fakes/wechaty/mock-account.js';
import type { OutboundDelivery } from '../../delivery/sender.js';
import { createSignedLinks } from '../../http/signed-links.js';
import type { Card } from '../../model/card.js';
import type { LongConnection } from '../types.js';
import { createWechatyPlatform } from './index.js';
import { createWechatyBotRegistry } from './registry.js';
import { WECHATY_ACCOUNT_RATE, WECHATY_CONVERSATION_RATE } from './sender.js';
import { createWechatyTransport } from './transport-wechaty.js';

const config = { puppet: 'wechaty-puppet-mock', name: '校安' };
const links = createSignedLinks('s'.repeat(32), 'https://xiaoan.example.edu.cn');
const now = () => new Date('2026-03-02T08:00:00Z');
const running: LongConnection[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((transport) => transport.stop()));
});

const receiptCard: Card = {
  title: '防溺水安全告家长书',
  tone: 'info',
  blocks: [{ type: 'markdown', text: '请家长阅读后确认。' }],
  buttons: [{ id: 'confirm', label: '我已阅读并承诺', style: 'primary', value: { flow: 'receipt', op: 'confirm' } }],
};

let outboxId = 0;
function delivery(target: OutboundDelivery['target'], body: OutboundDelivery['body'], attempt = 1): OutboundDelivery {
  outboxId += 1;
  return { outboxId: String(outboxId), target, body, urgency: 'normal', idempotencyKey: `k${outboxId}`, attempt };
}

async function loggedInAccount() {
  const account = createWechatyMockAccount('校安');
  const registry = createWechatyBotRegistry();
  const log = createRecordingLog();
  const transport = createWechatyTransport(config, { links, log, registry, puppet: account.puppet });
  running.push(transport);
  await transport.start(createRecordingPipeline());
  account.login();
  await eventually('the login', () => registry.get(account.me.id));
  const { sender } = createWechatyPlatform(config, { links, log, registry, now });
  return { account, registry, sender, tenant: account.me.id, transport };
}

function signedClaims(text: string, label: string) {
  const line = text.split('\n').find((l) => l.startsWith(`${label}：`));
  const token = line?.split('/h5/act/')[1];
  if (!token) throw new Error(`no signed link for ${label} in ${text}`);
  const verified = links.verify(token, now());
  if (!verified.ok) throw new Error(verified.reason);
  return links.actionClaims(verified.claims)!;
}

describe('the Wechaty sender', () => {
  it('says text in the room, @-mentioning the given members', async () => {
    const { account, sender, tenant } = await loggedInAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');
    const room = account.room('实验小学安全群', [teacher], '18803829@chatroom');
    const said = account.botSaysIn(room);

    const result = await sender.send(
      delivery(
        { platform: 'wechaty', tenant, chatId: room.id },
        { type: 'text', text: '已登记隐患 #12，请尽快整改', mentionUserIds: ['wxid_teacher'] },
      ),
    );

    expect(result).toEqual({ ok: true });
    await eventually('the room message', () => said[0]);
    expect(said).toEqual(['@王老师 已登记隐患 #12，请尽快整改']);
  });

  it('degrades a card in a room to text with a signed H5 link anyone there can open', async () => {
    const { account, sender, tenant } = await loggedInAccount();
    const parent = account.contact('李明妈妈', 'wxid_parent');
    const room = account.room('三年级2班家长群', [parent], '5550001@chatroom');
    const said = account.botSaysIn(room);

    const result = await sender.send(
      delivery({ platform: 'wechaty', tenant, chatId: room.id }, { type: 'card', card: receiptCard }),
    );

    expect(result).toEqual({ ok: true });
    const text = await eventually('the room message', () => said[0]);
    expect(text.split('\n')[0]).toBe('【防溺水安全告家长书】');
    expect(text).toContain('也可直接回复「确认」完成回执');
    expect(signedClaims(text, '我已阅读并承诺')).toMatchObject({
      platform: 'wechaty',
      tenant,
      chatId: '5550001@chatroom',
      userId: '',
      value: { flow: 'receipt', op: 'confirm' },
    });
  });

  it("signs a card answering someone's room message for its author, and @-mentions them", async () => {
    const { account, sender, tenant } = await loggedInAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');
    const room = account.room('实验小学安全群', [teacher], '18803829@chatroom');
    const said = account.botSaysIn(room);
    const report = account.sayInRoom(teacher, room, '@校安\u2005三楼东侧走廊灯坏了', [account.me]);
    const draft: Card = {
      title: '请确认隐患登记',
      tone: 'warning',
      blocks: [],
      buttons: [{ id: 'ok', label: '确认登记', style: 'primary', value: { flow: 'hazard-draft', op: 'confirm' } }],
    };

    const reply = delivery({ platform: 'wechaty', tenant, chatId: room.id }, { type: 'card', card: draft });
    expect(await sender.send({ ...reply, replyTo: report })).toEqual({ ok: true });

    const text = await eventually('the reply', () => said.find((line) => line.includes('请确认隐患登记')));
    expect(text.startsWith('@王老师')).toBe(true);
    expect(signedClaims(text, '确认登记')).toMatchObject({
      chatId: '18803829@chatroom',
      userId: 'wxid_teacher',
      label: '确认登记',
    });
  });

  it('writes to a user directly, with card links signed for that user', async () => {
    const { account, sender, tenant } = await loggedInAccount();
    const parent = account.contact('李明妈妈', 'wxid_parent');
    const said = account.botSaysTo(parent);

    const result = await sender.send(
      delivery({ platform: 'wechaty', tenant, userId: 'wxid_parent' }, { type: 'card', card: receiptCard }),
    );

    expect(result).toEqual({ ok: true });
    const text = await eventually('the direct message', () => said[0]);
    expect(signedClaims(text, '我已阅读并承诺')).toMatchObject({ chatId: '', userId: 'wxid_parent' });
  });

  it('answers a direct chat addressed by its chat id (the contact id) as a direct message', async () => {
    const { account, sender, tenant } = await loggedInAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');
    const said = account.botSaysTo(teacher);

    const result = await sender.send(
      delivery({ platform: 'wechaty', tenant, chatId: 'wxid_teacher' }, { type: 'text', text: '收到，已登记' }),
    );

    expect(result).toEqual({ ok: true });
    expect(await eventually('the direct message', () => said[0])).toBe('收到，已登记');
  });

  it('reports transient when no account is logged in on this instance', async () => {
    const log = createRecordingLog();
    const { sender } = createWechatyPlatform(config, { links, log, registry: createWechatyBotRegistry(), now });
    const result = await sender.send(
      delivery({ platform: 'wechaty', tenant: 'wxid_bot', chatId: '5550001@chatroom' }, { type: 'text', text: '提醒' }),
    );
    expect(result).toMatchObject({ ok: false, kind: 'transient' });
  });

  it('reports transient once the account has stopped', async () => {
    const { sender, tenant, transport } = await loggedInAccount();
    await transport.stop();
    const result = await sender.send(
      delivery({ platform: 'wechaty', tenant, chatId: '5550001@chatroom' }, { type: 'text', text: '提醒' }),
    );
    expect(result).toMatchObject({ ok: false, kind: 'transient' });
  });

  it('retries an unknown conversation a few times, then gives up', async () => {
    const { sender, tenant } = await loggedInAccount();
    const target = { platform: 'wechaty' as const, tenant, chatId: 'left-long-ago@chatroom' };
    const body = { type: 'text' as const, text: '提醒' };
    expect(await sender.send(delivery(target, body, 1))).toMatchObject({ ok: false, kind: 'transient' });
    expect(await sender.send(delivery(target, body, 3))).toMatchObject({ ok: false, kind: 'permanent' });
  });

  it('paces each conversation and the whole account', () => {
    const { sender } = createWechatyPlatform(config, { links, log: createRecordingLog(), now });
    expect(sender.bucketsFor({ platform: 'wechaty', tenant: 'wxid_bot', chatId: '5550001@chatroom' })).toEqual([
      { key: 'wechaty:wxid_bot:chat:5550001@chatroom', ...WECHATY_CONVERSATION_RATE },
      { key: 'wechaty:wxid_bot', ...WECHATY_ACCOUNT_RATE },
    ]);
    expect(sender.bucketsFor({ platform: 'wechaty', tenant: 'wxid_bot', userId: 'wxid_parent' })[0]?.key).toBe(
      'wechaty:wxid_bot:user:wxid_parent',
    );
  });
});
