import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, incidents } from '../../src/db/schema.js';
import { actionEvent } from '../../src/platforms/sandbox/events.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { cardText, photo, sandboxDriver } from './helpers.js';

const MINUTE = 60_000;

describe('incidents: something already happened', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  it('records SG-<year>-<seq>, alerts the principal at once and shows the first-report countdown', async () => {
    await sandbox.say('staff', 'wang', '', [photo('scene')]);
    await sandbox.say('staff', 'wang', '@校安 刚才操场上一个学生摔伤了头，已送医院');
    const card = await sandbox.lastBot('staff');
    expect(card.card?.title).toBe('事故 SG-2026-0001 · 待首报');
    expect(cardText(card.card)).toContain('首报倒计时：剩余 60 分钟');
    expect(cardText(card.card)).toContain('照片：1 张');
    const [incident] = await database.db.select().from(incidents).where(eq(incidents.code, 'SG-2026-0001'));
    expect(incident).toMatchObject({ status: 'open', firstReportAt: null, location: '操场上' });
    expect(incident?.firstReportDue.toISOString()).toBe('2026-06-10T03:00:00.000Z');

    const alert = await sandbox.lastBot('dm:chen');
    expect(alert.urgent).toBe('chen');
    expect(alert.text).toContain('示范小学 发生事故 SG-2026-0001');
    expect(alert.text).toContain('请在 6月10日（周三）11:00 前完成首报');
    expect((await sandbox.lastBot('leaders')).text).toContain('SG-2026-0001');
  });

  it('records the first report once, only from the reporter or a manager', async () => {
    const card = (await sandbox.botMessages('staff')).find((message) => message.card?.title.startsWith('事故'))!;
    clock.advance(25 * MINUTE);
    const teacher = await sandbox.click('staff', 'li', card.id, 'incident-first-report');
    expect(teacher.toast?.text).toBe('只有上报人、安全员或校长可以记录首报。');
    const done = await sandbox.click('staff', 'zhang', card.id, 'incident-first-report');
    expect(done.toast?.text).toBe('SG-2026-0001 已记录首报（张主任，用时 25 分钟）。');
    expect(done.card?.title).toBe('事故 SG-2026-0001 · 已首报');
    expect(done.card?.buttons).toEqual([]);
    const [incident] = await database.db.select().from(incidents).where(eq(incidents.code, 'SG-2026-0001'));
    expect(incident).toMatchObject({ status: 'reported' });
    expect(incident?.firstReportAt?.toISOString()).toBe('2026-06-10T02:25:00.000Z');
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, 'incident.first_report'));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorPersonId).toBe(await sandbox.personId('zhang'));

    const button = card.card!.buttons.find((candidate) => candidate.id === 'incident-first-report')!;
    const late = await runtime.pipeline.handle(
      actionEvent({
        clickId: 'late-first-report',
        chat: 'staff',
        user: 'chen',
        userName: undefined,
        messageId: card.id,
        value: button.value!,
        form: {},
        receivedAt: clock.now(),
      }),
    );
    expect(late.answer?.toast?.text).toBe('SG-2026-0001 已于 6月10日（周三）10:25 完成首报。');
    expect(await database.db.select().from(auditLog).where(eq(auditLog.action, 'incident.first_report'))).toHaveLength(
      1,
    );
  });
});
