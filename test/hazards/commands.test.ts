import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { cardText, photo, reportAndConfirm, sandboxDriver } from './helpers.js';

const DAY = 86_400_000;

describe('hazard commands: lists, dismiss, reopen', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  const first = await reportAndConfirm(sandbox, 'wang', '一楼东侧楼梯口的灭火器过期了');
  const second = await reportAndConfirm(sandbox, 'li', '二楼西侧走廊的应急灯不亮');
  const third = await reportAndConfirm(sandbox, 'wang', '操场西侧的单杠有一根松了');
  await sandbox.say('staff', 'zhang', `@校安 指派 ${first} @wu 截止 明天`);
  await sandbox.say('staff', 'zhang', `@校安 指派 ${second} @wu 截止 下周五`);

  const list = async (user: string, text: string, chat = 'staff') => {
    await sandbox.say(chat, user, `@校安 ${text}`);
    return (await sandbox.lastBot(chat)).card;
  };

  it('lists the school ledger newest first with the count', async () => {
    const card = await list('li', '台账');
    expect(card?.title).toBe('本校在办隐患（共 3 条）');
    const text = cardText(card);
    expect(text.indexOf(third)).toBeLessThan(text.indexOf(second));
    expect(text.indexOf(second)).toBeLessThan(text.indexOf(first));
  });

  it('lists my open items as owner or reporter, also in a direct chat', async () => {
    const mine = await list('wu', '我的', 'dm:wu');
    expect(mine?.title).toBe('我的待办隐患（共 2 条）');
    expect(cardText(mine)).toContain(first);
    const reporter = await list('li', '我的');
    expect(cardText(reporter)).toContain(second);
    expect(cardText(reporter)).not.toContain(first);
  });

  it('lists what is overdue once the deadline has passed', async () => {
    expect((await list('zhang', '逾期'))?.title).toBe('逾期未整改隐患（共 0 条）');
    clock.advance(2 * DAY);
    const overdue = await list('zhang', '逾期');
    expect(overdue?.title).toBe('逾期未整改隐患（共 1 条）');
    expect(cardText(overdue)).toContain(`${first}`);
    expect(cardText(overdue)).toContain('（已逾期）');
  });

  it('dismisses with a reason and reopens with a new cycle', async () => {
    await sandbox.say('staff', 'zhang', `@校安 不属实 ${third} 单杠完好`);
    expect((await sandbox.lastBot('staff')).text).toBe(`${third} 已驳回：不属实：单杠完好`);
    expect((await sandbox.lastBot('dm:wang')).text).toContain(`${third} 已被 张主任 驳回：不属实：单杠完好`);
    expect(await sandbox.hazard(third)).toMatchObject({ status: 'dismissed', cycle: 0 });
    await sandbox.say('staff', 'wang', `@校安 重开 ${third} 今天又发现松动`);
    expect((await sandbox.lastBot('staff')).text).toBe(`${third} 已重开（第 1 次）：今天又发现松动`);
    expect(await sandbox.hazard(third)).toMatchObject({ status: 'reported', cycle: 1, dismissReason: null });
  });

  it('takes a fix on the spot for a general hazard still in 登记, but not for a major one', async () => {
    const general = await reportAndConfirm(sandbox, 'wang', '三楼走廊的插线板烧焦了');
    await sandbox.say('staff', 'wang', `@校安 整改 ${general} 已现场更换插线板`, [photo('new-strip')]);
    expect(await sandbox.hazard(general)).toMatchObject({ status: 'verifying', ownerId: null });
    expect((await sandbox.timeline(general)).at(-1)?.action).toBe('fix_on_spot');
    await sandbox.say('staff', 'zhang', `@校安 销号 ${general}`);
    expect((await sandbox.hazard(general))?.status).toBe('closed');

    const major = await reportAndConfirm(sandbox, 'wang', '教学楼外墙出现大裂缝，有倾斜');
    await sandbox.say('staff', 'wang', `@校安 整改 ${major} 已拉警戒线`, [photo('tape')]);
    expect((await sandbox.lastBot('staff')).text).toContain('重大隐患不能直接登记现场整改');
    expect((await sandbox.hazard(major))?.status).toBe('reported');
  });

  it('holds a private notice produced in quiet hours until the morning', async () => {
    const code = await reportAndConfirm(sandbox, 'wang', '东门岗亭的监控坏了');
    const notices = (await sandbox.botMessages('dm:wu')).length;
    clock.set('2026-06-15T14:30:00Z'); // 22:30 in Shanghai
    await sandbox.say('staff', 'zhang', `@校安 指派 ${code} @wu 截止 3天内`);
    expect((await sandbox.lastBot('staff')).text).toContain(`${code} 已指派给 吴老师`);
    expect(await sandbox.botMessages('dm:wu')).toHaveLength(notices);
    clock.set('2026-06-15T23:01:00Z'); // 07:01
    await runtime.dispatcher.drain();
    expect((await sandbox.lastBot('dm:wu')).text).toContain(`你被指派整改 ${code}`);
  });

  it('limits the list to the configured length and says how many there are', async () => {
    for (let index = 0; index < 15; index++) {
      await reportAndConfirm(sandbox, 'wang', `${index + 1}号楼一楼的灭火器过期了`);
    }
    const card = await list('li', '台账');
    expect(card?.title).toBe('本校在办隐患（共 20 条）');
    expect(card?.footer).toBe('仅显示最新 15 条，共 20 条。发送「查 编号」查看详情。');
    expect(cardText(card).match(/YH-2026-\d{4}/g)).toHaveLength(15);
  });
});
