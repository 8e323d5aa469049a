import { like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { cardText, reportAndConfirm, sandboxDriver } from './helpers.js';

describe('major hazards: supervised, and the principal told at once', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  it('suggests major on the card and alerts the principal urgently on confirm', async () => {
    await sandbox.say('staff', 'wang', '@校安 校车超载了，坐了六十多个学生');
    const draft = await sandbox.lastBot('staff');
    expect(draft.card?.tone).toBe('danger');
    expect(cardText(draft.card)).toContain('建议定为重大隐患，需安全干部或校长确认');
    await sandbox.click('staff', 'wang', draft.id, 'draft-confirm');
    const hazard = await sandbox.hazard('YH-2026-0001');
    expect(hazard).toMatchObject({ level: 'major', supervised: true });
    expect((await sandbox.lastBot('staff')).text).toContain('已挂牌督办并通知校长');

    const alert = await sandbox.lastBot('dm:chen');
    expect(alert.urgent).toBe('chen');
    expect(alert.card?.title).toBe('【重大隐患】YH-2026-0001 · 示范小学');
    expect(cardText(alert.card)).toContain('示范小学 新登记重大隐患 YH-2026-0001，已挂牌督办');
    expect((await sandbox.lastBot('leaders')).card?.title).toBe('【重大隐患】YH-2026-0001 · 示范小学');
    const chen = await sandbox.personId('chen');
    const rows = await database.db
      .select()
      .from(outbox)
      .where(like(outbox.idempotencyKey, `hazard:${hazard!.id}:major%`));
    expect(rows.map((row) => row.idempotencyKey).sort()).toEqual([
      expect.stringMatching(new RegExp(`^hazard:${hazard!.id}:major:leaders:`)),
      `hazard:${hazard!.id}:major:principal:${chen}:sandbox::chen`,
    ]);
  });

  it('alerts the principal when 改级 raises a hazard, and asks for the missing 五落实', async () => {
    const code = await reportAndConfirm(sandbox, 'wang', '二楼西侧走廊的灭火器压力不足');
    await sandbox.say('staff', 'zhang', `@校安 指派 ${code} @wu 截止 下周五`);
    const alerts = (await sandbox.botMessages('dm:chen')).length;
    await sandbox.say('staff', 'zhang', `@校安 改级 ${code} 重大`);
    const reply = (await sandbox.lastBot('staff')).text ?? '';
    expect(reply).toContain(`${code} 已调整为重大隐患（挂牌督办）`);
    expect(reply).toContain('请尽快补齐五落实，还缺：措施、资金、预案');
    expect(await sandbox.hazard(code)).toMatchObject({ level: 'major', supervised: true, status: 'rectifying' });
    const messages = await sandbox.botMessages('dm:chen');
    expect(messages).toHaveLength(alerts + 1);
    expect(messages.at(-1)?.urgent).toBe('chen');
    expect(cardText(messages.at(-1)?.card)).toContain(`张主任 将 ${code} 调整为重大隐患`);
  });

  it('does not alert the principal about a step the principal took', async () => {
    const code = await reportAndConfirm(sandbox, 'wang', '三楼西侧走廊的灭火器过期了');
    const alerts = (await sandbox.botMessages('dm:chen')).length;
    await sandbox.say('staff', 'chen', `@校安 改级 ${code} 重大`);
    expect((await sandbox.lastBot('staff')).text).toContain('已调整为重大隐患');
    expect(await sandbox.botMessages('dm:chen')).toHaveLength(alerts);
  });
});
