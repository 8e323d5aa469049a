import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { dailyChecks } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { cardText, photo, sandboxDriver } from './helpers.js';

const MINUTE = 60_000;

describe('hazard ledger: the full loop through the sandbox', async () => {
  const database = await createTestDb();
  // Wednesday 2026-06-10 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  it('report → confirm → assign → fix with photo → verify → closed, with the timeline and notices', async () => {
    const [wang, zhang, wu] = await Promise.all(['wang', 'zhang', 'wu'].map((user) => sandbox.personId(user)));

    await sandbox.say('staff', 'wang', '', [photo('before-1')]);
    clock.advance(MINUTE);
    await sandbox.say('staff', 'wang', '@校安 三楼东侧楼梯口的灭火器压力不足');
    const draft = await sandbox.lastBot('staff');
    expect(draft.card?.title).toBe('请确认隐患登记');
    expect(cardText(draft.card)).toContain('部位：三楼东侧楼梯口');
    expect(cardText(draft.card)).toContain('类别：消防安全');
    expect(cardText(draft.card)).toContain('照片：1 张');

    clock.advance(MINUTE);
    const confirmed = await sandbox.click('staff', 'wang', draft.id, 'draft-confirm');
    expect(confirmed.toast?.text).toBe('已登记 YH-2026-0001');
    expect(confirmed.card?.title).toBe('已登记 YH-2026-0001');
    expect((await sandbox.lastBot('staff')).text).toContain('已登记隐患 YH-2026-0001');
    const [daily] = await database.db.select().from(dailyChecks).where(eq(dailyChecks.personId, wang!));
    expect(daily).toMatchObject({ day: '2026-06-10', result: 'reported', detail: { code: 'YH-2026-0001' } });

    clock.advance(10 * MINUTE);
    await sandbox.say('staff', 'zhang', '@校安 指派 YH-2026-0001 @wu 截止 下周五 措施 更换灭火器');
    expect((await sandbox.lastBot('staff')).text).toBe('YH-2026-0001 已指派给 吴老师，整改时限 6月19日（周五）23:59。');
    const toOwner = await sandbox.lastBot('dm:wu');
    expect(toOwner.text).toContain('你被指派整改 YH-2026-0001');
    expect(toOwner.text).toContain('整改措施：更换灭火器');

    clock.advance(60 * MINUTE);
    await sandbox.say('staff', 'wu', '@校安 整改 YH-2026-0001 已更换新灭火器', [photo('after-1')]);
    expect((await sandbox.lastBot('staff')).text).toContain('YH-2026-0001 已提交整改');
    for (const verifier of ['dm:wang', 'dm:zhang']) {
      expect((await sandbox.lastBot(verifier)).text).toContain('YH-2026-0001 已由 吴老师 提交整改');
    }

    clock.advance(30 * MINUTE);
    await sandbox.say('staff', 'wang', '@校安 复查 YH-2026-0001 通过');
    expect((await sandbox.lastBot('staff')).text).toBe('YH-2026-0001 复查通过，已销号。');
    expect((await sandbox.lastBot('dm:wu')).text).toContain('YH-2026-0001 已由 王老师 复查通过并销号');

    const hazard = await sandbox.hazard('YH-2026-0001');
    expect(hazard).toMatchObject({
      status: 'closed',
      category: 'fire',
      location: '三楼东侧楼梯口',
      reporterId: wang,
      ownerId: wu,
      fixedBy: wu,
      verifiedBy: wang,
      verifyResult: 'passed',
      measures: '更换灭火器',
    });
    expect(hazard?.deadline?.toISOString()).toBe('2026-06-19T15:59:59.000Z');
    expect(hazard?.closedAt?.toISOString()).toBe('2026-06-10T03:42:00.000Z');

    const timeline = await sandbox.timeline('YH-2026-0001');
    expect(
      timeline.map((entry) => [entry.action, entry.actorId, entry.fromStatus, entry.toStatus, entry.at.toISOString()]),
    ).toEqual([
      ['report', wang, null, 'reported', '2026-06-10T02:02:00.000Z'],
      ['assign', zhang, 'reported', 'rectifying', '2026-06-10T02:12:00.000Z'],
      ['submit_fix', wu, 'rectifying', 'verifying', '2026-06-10T03:12:00.000Z'],
      ['accept', wang, 'verifying', 'closed', '2026-06-10T03:42:00.000Z'],
    ]);
    expect(timeline[0]!.attachments.map((attachment) => attachment.key)).toEqual(['before-1']);
    expect(timeline[2]!.attachments.map((attachment) => attachment.key)).toEqual(['after-1']);
  });

  it('shows the record with its whole timeline on 查', async () => {
    await sandbox.say('staff', 'li', '@校安 查 YH-2026-0001');
    const record = await sandbox.lastBot('staff');
    const text = cardText(record.card);
    expect(record.card?.title).toBe('YH-2026-0001 · 已销号');
    expect(text).toContain('责任人：吴老师');
    expect(text).toContain('王老师 登记（→ 登记）');
    expect(text).toContain('张主任 指派（登记 → 整改中）');
    expect(text).toContain('吴老师 提交整改（整改中 → 待复查）：已更换新灭火器（照片 1 张）');
    expect(text).toContain('王老师 复查通过（待复查 → 已销号）');
  });
});
