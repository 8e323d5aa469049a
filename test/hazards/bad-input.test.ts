import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { hazardDrafts } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { reportAndConfirm, sandboxDriver } from './helpers.js';

describe('hazard ledger: bad input gets a clear Chinese reply and changes nothing', async () => {
  const database = await createTestDb();
  // Wednesday 2026-06-10 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  const code = await reportAndConfirm(sandbox, 'wang', '三楼东侧楼梯口的灭火器压力不足');
  const drafts = async () => (await database.db.select().from(hazardDrafts)).length;

  async function answer(text: string, user = 'zhang') {
    const before = await sandbox.hazard(code);
    await sandbox.say('staff', user, text);
    expect(await sandbox.hazard(code)).toEqual(before);
    return (await sandbox.lastBot('staff')).text ?? '';
  }

  it('refuses a huge message politely and drafts nothing', async () => {
    const before = await drafts();
    const text = await answer(`@校安 ${'三楼东侧楼梯口的灭火器压力不足，'.repeat(150)}`);
    expect(text).toMatch(/^消息太长了（\d+ 字），我最多读 2000 字/);
    expect(await drafts()).toBe(before);
  });

  it('asks for a description when the bot is mentioned with nothing else', async () => {
    expect(await answer('@校安')).toContain('请描述发现的隐患');
  });

  it('answers an unknown code by name', async () => {
    expect(await answer('@校安 查 YH-2026-0099')).toBe(
      '找不到隐患 YH-2026-0099，请核对编号（发送「台账」查看本校在办隐患）。',
    );
    expect(await answer('@校安 指派 YH-2026-0099 @wu 截止 下周五')).toContain('找不到隐患 YH-2026-0099');
  });

  it('shows the usage when arguments are missing', async () => {
    const text = await answer('@校安 指派');
    expect(text).toContain('请写明隐患编号');
    expect(text).toContain('用法：指派 YH-2026-0001 @张三 截止 下周五');
    expect(await answer(`@校安 指派 ${code}`)).toContain('请指定整改责任人');
    expect(await answer(`@校安 复查 ${code}`)).toContain('请写明复查结果');
    expect(await answer(`@校安 驳回 ${code}`)).toContain('请写明驳回原因');
  });

  it('refuses past and unreadable deadlines, and an unknown owner', async () => {
    expect(await answer(`@校安 指派 ${code} @wu 截止 6月1日`)).toContain('截止日期已过');
    expect(await answer(`@校安 指派 ${code} @wu 截止 猴年马月`)).toContain('看不懂日期「猴年马月」');
    expect(await answer(`@校安 指派 ${code} 孙悟空 截止 下周五`)).toContain('找不到「孙悟空」');
  });

  it('reads 3天内 and 下周五 in the school time zone', async () => {
    await sandbox.say('staff', 'zhang', `@校安 指派 ${code} 吴老师 截止 3天内`);
    expect((await sandbox.lastBot('staff')).text).toBe(`${code} 已指派给 吴老师，整改时限 6月13日（周六）23:59。`);
    await sandbox.say('staff', 'zhang', `@校安 指派 ${code} @wu 截止 下周五`);
    expect((await sandbox.lastBot('staff')).text).toBe(`${code} 已指派给 吴老师，整改时限 6月19日（周五）23:59。`);
    expect((await sandbox.hazard(code))?.deadline?.toISOString()).toBe('2026-06-19T15:59:59.000Z');
  });

  it('leaves ordinary chatter alone and does not read it as a report', async () => {
    const before = await drafts();
    const bots = (await sandbox.botMessages('staff')).length;
    await sandbox.say('staff', 'wang', '下午三点开会，请准时参加');
    expect((await sandbox.botMessages('staff')).length).toBe(bots);
    expect(await drafts()).toBe(before);
  });

  it('treats a #隐患 tag as a report even without a mention', async () => {
    const before = await database.db.select().from(hazardDrafts).where(eq(hazardDrafts.status, 'pending'));
    await sandbox.say('staff', 'li', '#隐患 三年级一班教室后门合页坏了');
    const card = (await sandbox.lastBot('staff')).card;
    expect(card?.title).toBe('请确认隐患登记');
    const after = await database.db.select().from(hazardDrafts).where(eq(hazardDrafts.status, 'pending'));
    expect(after.length).toBe(before.length + 1);
    const tagged = after.find((draft) => draft.description.includes('合页'));
    expect(tagged?.description).toBe('三年级一班教室后门合页坏了');
  });
});
