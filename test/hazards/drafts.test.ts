import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { hazardDrafts, hazards } from '../../src/db/schema.js';
import type { ActionValue } from '../../src/model/card.js';
import { actionEvent } from '../../src/platforms/sandbox/events.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { cardText, photo, reportAndConfirm, sandboxDriver } from './helpers.js';

const MINUTE = 60_000;

describe('hazard drafts: photos, duplicates, edits, cancels and double clicks', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  const draftCard = async (chat = 'staff') => {
    const message = await sandbox.lastBot(chat);
    expect(message.card?.title).toContain('请确认隐患登记');
    return message;
  };
  const hazardCount = async () => (await database.db.select().from(hazards)).length;

  it('attaches photos posted within 5 minutes before the report, not older ones', async () => {
    await sandbox.say('staff', 'li', '', [photo('old')]);
    clock.advance(6 * MINUTE);
    await sandbox.say('staff', 'li', '', [photo('fresh-1')]);
    await sandbox.say('staff', 'zhou', '', [photo('someone-else')]);
    clock.advance(4 * MINUTE);
    await sandbox.say('staff', 'li', '@校安 四楼走廊尽头的消防栓箱门坏了', [photo('with-text')]);
    const draft = await draftCard();
    expect(cardText(draft.card)).toContain('照片：2 张');
    const [row] = await database.db
      .select()
      .from(hazardDrafts)
      .where(eq(hazardDrafts.text, '四楼走廊尽头的消防栓箱门坏了'));
    expect(row?.attachments.map((attachment) => attachment.key)).toEqual(['fresh-1', 'with-text']);
  });

  it('adds a photo sent within 5 minutes after the report to the pending draft, and keeps later ones aside', async () => {
    clock.advance(3 * MINUTE);
    await sandbox.say('staff', 'li', '', [photo('after-report')]);
    expect((await sandbox.lastBot('staff')).text).toBe(
      '已把 1 张照片附到待确认的隐患报告（共 3 张），确认时一并登记。',
    );
    clock.advance(3 * MINUTE);
    const bots = (await sandbox.botMessages('staff')).length;
    await sandbox.say('staff', 'li', '', [photo('too-late')]);
    expect((await sandbox.botMessages('staff')).length).toBe(bots);
    const [row] = await database.db
      .select()
      .from(hazardDrafts)
      .where(eq(hazardDrafts.text, '四楼走廊尽头的消防栓箱门坏了'));
    expect(row?.attachments.map((attachment) => attachment.key)).toEqual(['fresh-1', 'with-text', 'after-report']);
  });

  it('lets only the reporter or a manager act on the draft, and edits it through the form', async () => {
    await sandbox.say('staff', 'wang', '@校安 二楼饮水机漏电，摸上去麻手');
    const draft = await draftCard();
    const stranger = await sandbox.click('staff', 'zhou', draft.id, 'draft-confirm');
    expect(stranger.toast?.text).toBe('只有上报人、安全员或校长可以确认、修改或取消这条报告。');
    const opened = await sandbox.click('staff', 'wang', draft.id, 'draft-edit');
    expect(opened.card?.form?.inputs.map((input) => input.name)).toEqual([
      'category',
      'level',
      'location',
      'description',
    ]);
    const invalid = await sandbox.click('staff', 'wang', draft.id, 'draft-save', {
      form: { category: 'nonsense', level: 'general', location: '二楼', description: 'x' },
    });
    expect(invalid.toast?.text).toBe('请选择隐患类别。');
    const saved = await sandbox.click('staff', 'wang', draft.id, 'draft-save', {
      form: { category: 'fire', level: 'major', location: '二楼教师办公室', description: '饮水机漏电，摸上去麻手' },
    });
    expect(saved.card?.form).toBeUndefined();
    expect(cardText(saved.card)).toContain('部位：二楼教师办公室');
    expect(cardText(saved.card)).toContain('建议定为重大隐患，需安全干部或校长确认');
    const confirmed = await sandbox.click('staff', 'zhang', draft.id, 'draft-confirm');
    expect(confirmed.toast?.text).toMatch(/^已登记 YH-2026-\d{4}$/);
  });

  /** A click on a button the sandbox has already redrawn away, as a late platform callback would arrive. */
  async function staleClick(user: string, messageId: string, value: ActionValue) {
    const result = await runtime.pipeline.handle(
      actionEvent({
        clickId: crypto.randomUUID(),
        chat: 'staff',
        user,
        userName: undefined,
        messageId,
        value,
        form: {},
        receivedAt: clock.now(),
      }),
    );
    await runtime.dispatcher.drain();
    return result.answer;
  }

  it('answers a double click with the code it already registered', async () => {
    await sandbox.say('staff', 'wang', '@校安 一楼大厅的安全出口指示灯不亮');
    const draft = await draftCard();
    const count = await hazardCount();
    const clicks = await Promise.all([
      sandbox.click('staff', 'wang', draft.id, 'draft-confirm'),
      sandbox.click('staff', 'wang', draft.id, 'draft-confirm'),
    ]);
    expect(await hazardCount()).toBe(count + 1);
    const code = /YH-\d{4}-\d{4}/.exec(clicks.map((click) => click.toast?.text).join(' '))?.[0];
    expect(clicks.map((click) => click.toast?.text).sort()).toEqual([
      `已登记 ${code}`,
      `已登记为 ${code}，无需重复确认。`,
    ]);
    const value = draft.card!.buttons.find((button) => button.id === 'draft-confirm')!.value!;
    const late = await staleClick('wang', draft.id, value);
    expect(late?.toast?.text).toBe(`已登记为 ${code}，无需重复确认。`);
    expect(late?.card?.title).toBe(`已登记 ${code}`);
    expect(await hazardCount()).toBe(count + 1);
  });

  it('cancels a draft, and a later confirm on it registers nothing', async () => {
    await sandbox.say('staff', 'wang', '@校安 操场西侧的单杠有一根松了');
    const draft = await draftCard();
    const cancelled = await sandbox.click('staff', 'wang', draft.id, 'draft-cancel');
    expect(cancelled.card?.title).toBe('隐患报告已取消');
    const count = await hazardCount();
    const value = draft.card!.buttons.find((button) => button.id === 'draft-confirm')!.value!;
    const late = await staleClick('wang', draft.id, value);
    expect(late?.toast?.text).toBe('这条报告已取消，如需登记请重新上报。');
    expect(await hazardCount()).toBe(count);
  });

  it('offers an open hazard at the same place and category, and adds to it', async () => {
    const original = await reportAndConfirm(sandbox, 'wang', '三楼东侧楼梯口的灭火器压力不足');
    await sandbox.say('staff', 'zhang', `@校安 指派 ${original} @wu 截止 下周五`);
    await sandbox.say('staff', 'zhou', '@校安 三楼东侧楼梯口灭火器的压力表指针在红区', [photo('dup-photo')]);
    const draft = await sandbox.lastBot('staff');
    expect(cardText(draft.card)).toContain(`疑似与 **${original}** 重复`);
    expect(draft.card?.buttons.map((button) => button.label)).toEqual([
      `补充到 ${original}`,
      '仍然新建',
      '修改',
      '取消',
    ]);
    const count = await hazardCount();
    const merged = await sandbox.click('staff', 'zhou', draft.id, 'draft-merge');
    expect(merged.toast?.text).toBe(`已补充到 ${original}，不再另建记录。`);
    expect(await hazardCount()).toBe(count);
    const note = (await sandbox.timeline(original)).at(-1)!;
    expect(note).toMatchObject({ action: 'supplement', fromStatus: 'rectifying', toStatus: 'rectifying' });
    expect(note.attachments.map((attachment) => attachment.key)).toEqual(['dup-photo']);
    expect((await sandbox.lastBot('dm:wu')).text).toContain(`${original} 有新的补充信息（周老师）`);
  });

  it('still creates a new record when asked to', async () => {
    await sandbox.say('staff', 'zhou', '@校安 三楼东侧楼梯口又一个灭火器过期了');
    const draft = await sandbox.lastBot('staff');
    expect(draft.card?.buttons[1]?.id).toBe('draft-new');
    const count = await hazardCount();
    const created = await sandbox.click('staff', 'zhou', draft.id, 'draft-new');
    expect(created.toast?.text).toMatch(/^已登记 YH-2026-\d{4}$/);
    expect(await hazardCount()).toBe(count + 1);
  });

  it('takes reports in a direct chat for the one school the person works at', async () => {
    await sandbox.say('dm:li', 'li', '食堂留样柜的温度计坏了');
    const draft = await draftCard('dm:li');
    const confirmed = await sandbox.click('dm:li', 'li', draft.id, 'draft-confirm');
    expect(confirmed.toast?.text).toMatch(/^已登记 YH-2026-\d{4}$/);
    expect((await sandbox.lastBot('dm:li')).text).toContain('已登记隐患');
  });
});
