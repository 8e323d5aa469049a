import { afterEach, describe, expect, it } from 'vitest';
import {
  createRecordingLog,
  createRecordingPipeline,
  createWechatyMockAccount,
  eventually,
  type LogEntry,
} from '../../../test/fakes/wechaty/mock-account.js';
import {
  base64FileBoxJson,
  roomImagePayload,
  roomTextPayload,
  TINY_PNG_BASE64,
} from '../../../test/fixtures/wechaty/messages.js';
import { createSignedLinks } from '../../http/signed-links.js';
import type { LongConnection } from '../types.js';
import { createWechatyBotRegistry } from './registry.js';
import { createWechatyTransport } from './transport-wechaty.js';

const config = { puppet: 'wechaty-puppet-mock', name: '校安' };
const links = createSignedLinks('s'.repeat(32), 'https://xiaoan.example.edu.cn');
const running: LongConnection[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((transport) => transport.stop()));
});

async function startAccount() {
  const account = createWechatyMockAccount('校安');
  const registry = createWechatyBotRegistry();
  const log = createRecordingLog();
  const pipeline = createRecordingPipeline();
  const transport = createWechatyTransport(config, { links, log, registry, puppet: account.puppet });
  running.push(transport);
  await transport.start(pipeline);
  account.login();
  await eventually('the login', () => registry.get(account.me.id));
  return { account, registry, log, pipeline };
}

const ignoredWith = (entries: LogEntry[], messageId: string) =>
  entries.find(
    (entry) => entry.msg === 'wechaty message ignored' && (entry.obj as { messageId?: string }).messageId === messageId,
  )?.obj as { reason: string } | undefined;

describe('createWechatyTransport', () => {
  it("turns a teacher's room message mentioning the bot into one event with the mention stripped", async () => {
    const { account, pipeline } = await startAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');
    const room = account.room('实验小学安全群', [teacher], '18803829@chatroom');

    const id = account.sayInRoom(teacher, room, '@校安\u2005三楼东侧走廊灯坏了', [account.me]);

    const event = await eventually('the event', () => pipeline.events[0]);
    expect(pipeline.events).toHaveLength(1);
    expect(event).toMatchObject({
      id,
      messageId: id,
      platform: 'wechaty',
      tenant: account.me.id,
      kind: 'message',
      chat: { id: '18803829@chatroom', type: 'group' },
      actor: { platformUserId: 'wxid_teacher', name: '王老师' },
      text: '三楼东侧走廊灯坏了',
      mentionsBot: true,
      attachments: [],
    });
  });

  it('ignores room messages that do not mention the bot, even ones naming it in text only', async () => {
    const { account, pipeline, log } = await startAccount();
    const teacher = account.contact('王老师');
    const room = account.room('实验小学安全群', [teacher]);

    const plain = account.sayInRoom(teacher, room, '明天大扫除');
    const textOnly = account.sayInRoom(teacher, room, '@校安 这条没有真正@到');

    expect(await eventually('the first skip', () => ignoredWith(log.entries, plain))).toEqual({
      messageId: plain,
      chatId: room.id,
      reason: 'not_addressed',
    });
    expect(await eventually('the second skip', () => ignoredWith(log.entries, textOnly))).toMatchObject({
      reason: 'not_addressed',
    });
    expect(pipeline.events).toEqual([]);
  });

  it("ignores the account's own messages", async () => {
    const { account, pipeline, log } = await startAccount();
    const teacher = account.contact('王老师');
    const room = account.room('实验小学安全群', [teacher]);

    const own = account.sayInRoom(account.me, room, '@校安 自己发的', [account.me]);

    expect(await eventually('the skip', () => ignoredWith(log.entries, own))).toMatchObject({ reason: 'own_message' });
    expect(pipeline.events).toEqual([]);
  });

  it('ignores messages replayed from before the login', async () => {
    const { account, pipeline, log } = await startAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');
    const room = account.room('实验小学安全群', [teacher], '18803829@chatroom');

    account.inject(
      roomTextPayload({
        id: 'replayed-1',
        roomId: room.id,
        talkerId: teacher.id,
        text: '@校安\u2005昨天的消息',
        mentionIdList: [account.me.id],
        timestamp: Date.now() - 60 * 60_000,
      }),
    );

    expect(await eventually('the skip', () => ignoredWith(log.entries, 'replayed-1'))).toMatchObject({
      reason: 'before_login',
    });
    expect(pipeline.events).toEqual([]);
  });

  it('turns a direct message into a direct event', async () => {
    const { account, pipeline } = await startAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');

    const id = account.sayToBot(teacher, '怎么上报隐患？');

    const event = await eventually('the event', () => pipeline.events[0]);
    expect(event).toMatchObject({
      id,
      kind: 'message',
      chat: { id: 'wxid_teacher', type: 'direct' },
      actor: { platformUserId: 'wxid_teacher', name: '王老师' },
      text: '怎么上报隐患？',
      mentionsBot: false,
    });
  });

  it('turns a parent\'s "确认" in a class room into a receipt action event', async () => {
    const { account, pipeline } = await startAccount();
    const parent = account.contact('李明妈妈', 'wxid_parent');
    const room = account.room('三年级2班家长群', [parent], '5550001@chatroom');

    const id = account.sayInRoom(parent, room, '确认');

    const event = await eventually('the action', () => pipeline.events[0]);
    expect(event).toMatchObject({
      id,
      kind: 'action',
      chat: { id: '5550001@chatroom', type: 'group' },
      actor: { platformUserId: 'wxid_parent', name: '李明妈妈' },
      text: '确认',
      action: { value: { flow: 'receipt', op: 'confirm_keyword' } },
    });
  });

  it("attaches a teacher's preceding room photo to the mention and downloads it through the registry", async () => {
    const { account, pipeline, registry } = await startAccount();
    const teacher = account.contact('王老师', 'wxid_teacher');
    const room = account.room('实验小学安全群', [teacher], '18803829@chatroom');

    account.inject(
      roomImagePayload({ id: 'photo-1', roomId: room.id, talkerId: teacher.id, timestamp: Date.now() }),
      base64FileBoxJson('hazard.png'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    account.sayInRoom(teacher, room, '@校安\u2005操场围栏松动，见上图', [account.me]);

    const event = await eventually('the event', () => pipeline.events[0]);
    expect(event.attachments).toEqual([{ kind: 'image', key: 'photo-1' }]);
    const file = await registry.get(event.tenant)!.download('photo-1');
    expect(file?.name).toBe('hazard.png');
    expect(Buffer.from(file!.data).toString('base64')).toBe(TINY_PNG_BASE64);
  });

  it('withdraws the account from the registry when stopped', async () => {
    const { account, registry } = await startAccount();
    await running.pop()!.stop();
    expect(registry.get(account.me.id)).toBeUndefined();
  });
});
