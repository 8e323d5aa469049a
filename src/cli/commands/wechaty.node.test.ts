import { describe, expect, it } from 'vitest';
import {
  createRecordingLog,
  createRecordingPipeline,
  createWechatyMockAccount,
  eventually,
} from '../../../test/fakes/wechaty/mock-account.js';
import type { PlatformSender } from '../../delivery/sender.js';
import { createSignedLinks } from '../../http/signed-links.js';
import { createWechatyBotRegistry } from '../../platforms/wechaty/registry.js';
import { runWechaty } from './wechaty.node.js';

const links = createSignedLinks('s'.repeat(32), 'https://xiaoan.example.edu.cn');

describe('runWechaty', () => {
  it('runs the account and hands its sender to the dispatcher, so a reply reaches the room', async () => {
    const account = createWechatyMockAccount('校安');
    const registry = createWechatyBotRegistry();
    const pipeline = createRecordingPipeline();
    const dispatcher = { senders: [] as PlatformSender[], stopped: false };

    const running = await runWechaty(
      { WECHATY_PUPPET: 'wechaty-puppet-mock' },
      {
        pipeline,
        links,
        log: createRecordingLog(),
        registry,
        puppet: account.puppet,
        startDispatcher: (senders) => {
          dispatcher.senders.push(...senders);
          return {
            stop: async () => {
              dispatcher.stopped = true;
            },
          };
        },
      },
    );
    try {
      account.login();
      const teacher = account.contact('王老师', 'wxid_teacher');
      const room = account.room('实验小学安全群', [teacher], '18803829@chatroom');
      const said = account.botSaysIn(room);
      account.sayInRoom(teacher, room, '@校安\u2005实验室门锁坏了', [account.me]);
      const event = await eventually('the event', () => pipeline.events[0]);
      expect(event.text).toBe('实验室门锁坏了');

      const sender = dispatcher.senders.find((s) => s.platform === 'wechaty')!;
      const result = await sender.send({
        outboxId: '1',
        target: { platform: 'wechaty', tenant: event.tenant, chatId: event.chat.id },
        body: { type: 'text', text: '已登记，编号 #7' },
        urgency: 'normal',
        idempotencyKey: 'reply:1',
        attempt: 1,
      });
      expect(result).toEqual({ ok: true });
      expect(await eventually('the reply', () => said[0])).toBe('已登记，编号 #7');
    } finally {
      await running.stop();
    }
    expect(dispatcher.stopped).toBe(true);
    expect(registry.tenants()).toEqual([]);
  });

  it('refuses to start without WECHATY_PUPPET, naming it', async () => {
    await expect(
      runWechaty(
        {},
        {
          pipeline: createRecordingPipeline(),
          links,
          log: createRecordingLog(),
          startDispatcher: () => ({ stop: async () => {} }),
        },
      ),
    ).rejects.toThrow(/WECHATY_PUPPET/);
  });
});
