import { afterAll, describe, expect, it } from 'vitest';
import { demoPhone } from '../../src/db/repos/seed-demo-roster.js';
import { createTestDb } from '../helpers/db.js';
import { call, createTestRuntime, testClock } from '../helpers/runtime.js';
import { receiptDriver, sandboxParent } from './helpers.js';

/** A Shanghai wall-clock time. */
const sh = (local: string) => new Date(`${local}:00+08:00`);

describe('receipt reminders through the scheduler tick', async () => {
  const database = await createTestDb();
  const clock = testClock(sh('2026-06-01T10:00'));
  const runtime = await createTestRuntime({ database, now: clock.now });
  afterAll(() => database.close());
  const sandbox = receiptDriver(runtime, database);

  const tick = async (local: string) => {
    clock.set(sh(local));
    const response = await call(runtime, 'POST', '/sandbox/api/tick', { now: sh(local).toISOString() });
    expect(response.status).toBe(200);
  };
  const receiptTexts = async (chat: string) =>
    (await sandbox.botMessages(chat))
      .map((m) => m.text ?? JSON.stringify(m.card))
      .filter((text) => text.includes('回执') || text.includes('防溺水'));

  await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月5日');
  const card = (await sandbox.botMessages('parents-1')).find((m) => m.card)!;
  await sandbox.click('parents-1', 'sun-baba', card.id, 'receipt-confirm');
  await sandbox.click('parents-1', 'sun-baba', card.id, 'receipt-bind-submit', {
    form: { studentName: '孙小杰', phoneDigits: '1010' },
  });

  it('waits the plan’s start delay, then reminds each bound guardian privately once a day', async () => {
    await tick('2026-06-01T19:00');
    expect(await receiptTexts('dm:liu-mama')).toHaveLength(0);
    await tick('2026-06-02T18:59');
    expect(await receiptTexts('dm:liu-mama')).toHaveLength(0);

    await tick('2026-06-02T19:00');
    const reminders = (await sandbox.botMessages('dm:liu-mama')).filter((m) => m.card);
    expect(reminders).toHaveLength(1);
    const reminder = reminders[0]!.card!;
    expect(reminder.title).toBe('家长回执提醒');
    expect(JSON.stringify(reminder.blocks)).toContain('刘小雨');
    expect(await receiptTexts('dm:sun-baba')).toHaveLength(0);

    await tick('2026-06-02T19:05');
    await tick('2026-06-02T20:00');
    expect((await sandbox.botMessages('dm:liu-mama')).filter((m) => m.card)).toHaveLength(1);

    const tap = await sandbox.click('dm:liu-mama', 'liu-mama', reminders[0]!.id, reminder.buttons[0]!.id);
    expect(tap.toast?.text).toBe('已确认：刘小雨。感谢您的配合！');
    await tick('2026-06-03T19:00');
    expect((await sandbox.botMessages('dm:liu-mama')).filter((m) => m.card)).toHaveLength(1);
  });

  it('posts only the count in the class group, once a day', async () => {
    await tick('2026-06-03T19:30');
    await tick('2026-06-03T20:30');
    const group = (await sandbox.botMessages('parents-1')).filter((m) => m.text?.includes('回执：已确认'));
    expect(group).toHaveLength(2);
    expect(group[0]!.text).toContain('已确认 1/10');
    expect(group[1]!.text).toContain('已确认 2/10');
    for (const message of group) expect(message.text).not.toMatch(/王一鸣|陈思远|刘小雨|孙小杰/);
  });

  it('holds nothing back into quiet hours and never reminds after the deadline', async () => {
    await sandboxParent(database, 'chen-mama', '陈妈妈', demoPhone(1, 3, true));
    await tick('2026-06-04T17:00');
    await tick('2026-06-04T22:00');
    expect(await receiptTexts('dm:chen-mama')).toHaveLength(0);
    await tick('2026-06-05T07:30');
    expect(await receiptTexts('dm:chen-mama')).toHaveLength(0);
    await tick('2026-06-05T19:00');
    expect(await receiptTexts('dm:chen-mama')).toHaveLength(1);

    const groupBefore = (await sandbox.botMessages('parents-1')).length;
    await tick('2026-06-06T19:00');
    await tick('2026-06-06T19:30');
    expect(await receiptTexts('dm:chen-mama')).toHaveLength(1);
    expect((await sandbox.botMessages('parents-1')).length).toBe(groupBefore);
  });

  it('gives the class teacher the missing names privately the day before the deadline', async () => {
    const missing = (await sandbox.botMessages('dm:li')).filter((m) => m.text?.includes('未确认'));
    expect(missing).toHaveLength(1);
    expect(missing[0]!.text).toContain('还有 8 名学生的家长未确认');
    expect(missing[0]!.text).toContain('王一鸣');
    expect(missing[0]!.text).not.toContain('刘小雨');
  });
});
