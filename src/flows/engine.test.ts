import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { silentLog } from '../../test/helpers/runtime.js';
import { rowsOf } from '../db/rows.js';
import { seedDemo } from '../db/repos/seed-demo.js';
import { createSignedLinks } from '../http/signed-links.js';
import type { InboundEvent } from '../model/inbound.js';
import { createFlowEngine } from './engine.js';
import { type FlowHandler, FlowRefusal } from './types.js';

const services = {
  links: createSignedLinks('s'.repeat(32), 'http://127.0.0.1'),
  log: silentLog,
  timezone: 'Asia/Shanghai',
  publicUrl: 'http://127.0.0.1',
  secret: 's'.repeat(32),
};

const message = (id: string, text: string, extra: Partial<InboundEvent> = {}): InboundEvent => ({
  id,
  platform: 'sandbox',
  tenant: '',
  kind: 'message',
  chat: { id: 'staff', type: 'group' },
  actor: { platformUserId: 'newcomer', name: '新老师' },
  text,
  mentionsBot: true,
  attachments: [],
  receivedAt: new Date('2026-11-23T08:00:00Z'),
  raw: {},
  ...extra,
});

describe('flow engine', async () => {
  const database = await createTestDb();
  const { db } = database;
  await seedDemo(db);
  afterAll(() => database.close());

  const handled: string[] = [];
  const recorder: FlowHandler = {
    name: 'recorder',
    priority: 1,
    async onMessage(ctx) {
      if (ctx.text === 'boom') throw new Error('bug');
      if (ctx.text === 'refuse') {
        await ctx.reply('this write must roll back', { key: 'partial' });
        throw new FlowRefusal('不可以这样做');
      }
      handled.push(`${ctx.event.id}:${ctx.actor.name}:${[...(ctx.chat ? [ctx.chat.kind] : [])]}`);
      await ctx.reply(`收到 ${ctx.text}`);
      return true;
    },
  };
  const engine = createFlowEngine({ db, handlers: [recorder], services, now: () => new Date('2026-11-23T08:00:00Z') });
  const outboxTexts = async () =>
    rowsOf<{ text: string }>(await db.execute(sql`select body->>'text' as text from outbox order by id`)).map(
      (row) => row.text,
    );

  it('handles an event once even when the platform delivers it twice', async () => {
    const first = await engine.handle(message('evt-1', '你好'));
    const again = await engine.handle(message('evt-1', '你好'));
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(handled).toEqual(['evt-1:新老师:staff']);
    expect(await outboxTexts()).toEqual(['收到 你好']);
  });

  it('treats a second key of the same delivery (Feishu message_id) as a duplicate', async () => {
    await engine.handle(message('evt-2', 'a', { extraDedupeKeys: ['msg:m-2'] }));
    const redelivered = await engine.handle(message('evt-2b', 'a', { extraDedupeKeys: ['msg:m-2'] }));
    expect(redelivered.duplicate).toBe(true);
    expect(handled).toHaveLength(2);
  });

  it('deduplicates concurrent deliveries of one event', async () => {
    const results = await Promise.all([engine.handle(message('evt-3', 'x')), engine.handle(message('evt-3', 'x'))]);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
  });

  it('registers a staff-group member as a person on first contact', async () => {
    const rows = rowsOf<{ name: string }>(
      await db.execute(
        sql`select p.name from people p join platform_accounts a on a.person_id = p.id where a.user_id = 'newcomer'`,
      ),
    );
    expect(rows).toEqual([{ name: '新老师' }]);
  });

  it('rolls back a refused handler and answers with its reason', async () => {
    const before = (await outboxTexts()).length;
    await engine.handle(message('evt-4', 'refuse'));
    const texts = await outboxTexts();
    expect(texts).toHaveLength(before + 1);
    expect(texts.at(-1)).toBe('不可以这样做');
  });

  it('answers a failing handler with an apology and does not loop on redelivery', async () => {
    await engine.handle(message('evt-5', 'boom'));
    const again = await engine.handle(message('evt-5', 'boom'));
    expect(again.duplicate).toBe(true);
    expect((await outboxTexts()).at(-1)).toContain('出错');
  });

  it('commits a burst together while a refusal or a bug inside it undoes only its own event', async () => {
    const texts = ['b1', 'b2', 'refuse', 'b3', 'boom', 'b4', 'b5', 'b6'];
    const before = (await outboxTexts()).length;
    const results = await Promise.all(texts.map((text, index) => engine.handle(message(`burst-${index}`, text))));
    expect(results.every((result) => !result.duplicate)).toBe(true);
    const written = (await outboxTexts()).slice(before);
    expect(written.filter((text) => text.startsWith('收到 b')).sort()).toEqual(
      ['收到 b1', '收到 b2', '收到 b3', '收到 b4', '收到 b5', '收到 b6'].sort(),
    );
    expect(written).toContain('不可以这样做');
    expect(written).not.toContain('this write must roll back');
    expect(written.filter((text) => text.includes('出错'))).toHaveLength(1);
    const again = await Promise.all(texts.map((text, index) => engine.handle(message(`burst-${index}`, text))));
    expect(again.every((result) => result.duplicate)).toBe(true);
  });

  it('answers a click on a button nobody handles with an error toast', async () => {
    const result = await engine.handle(
      message('evt-6', '', { kind: 'action', action: { value: { flow: 'gone', op: 'x' } } }),
    );
    expect(result.answer?.toast?.type).toBe('error');
  });
});
