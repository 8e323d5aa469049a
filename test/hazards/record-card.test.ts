import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { cardText, photo, reportAndConfirm, sandboxDriver } from './helpers.js';

describe('the record card: 指派 / 整改 / 复查 from buttons and forms', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  const code = await reportAndConfirm(sandbox, 'wang', '四楼走廊尽头的消防栓箱门坏了');
  await sandbox.say('staff', 'zhang', `@校安 查 ${code}`);
  const record = await sandbox.lastBot('staff');

  it('shows the record with the buttons its status allows', () => {
    expect(record.card?.title).toBe(`${code} · 登记`);
    expect(record.card?.buttons.map((button) => button.label)).toEqual(['指派', '现场整改', '刷新']);
  });

  it('opens the assign form only for someone who may assign, and assigns from it', async () => {
    const teacher = await sandbox.click('staff', 'li', record.id, 'hazard-open-assign');
    expect(teacher.toast?.text).toBe('只有安全员或校长可以指派整改。');
    const opened = await sandbox.click('staff', 'zhang', record.id, 'hazard-open-assign');
    expect(opened.card?.form?.inputs.map((input) => input.name)).toEqual([
      'owner',
      'deadline',
      'measures',
      'funds',
      'interimPlan',
    ]);
    const bad = await sandbox.click('staff', 'zhang', record.id, 'hazard-assign-submit', {
      form: { owner: '吴老师', deadline: '下辈子' },
    });
    expect(bad.toast?.text).toContain('看不懂日期「下辈子」');
    expect((await sandbox.hazard(code))?.status).toBe('reported');
    const assigned = await sandbox.click('staff', 'zhang', record.id, 'hazard-assign-submit', {
      form: { owner: '吴老师', deadline: '3天内', measures: '更换箱门合页', funds: '50元', interimPlan: '' },
    });
    expect(assigned.toast?.text).toBe(`${code} 已指派给 吴老师，整改时限 6月13日（周六）23:59。`);
    expect(assigned.card?.title).toBe(`${code} · 整改中`);
    expect(cardText(assigned.card)).toContain('整改措施：更换箱门合页');
    expect((await sandbox.lastBot('dm:wu')).text).toContain(`你被指派整改 ${code}`);
  });

  it('takes the fix with the photo the owner posted just before', async () => {
    await sandbox.say('staff', 'wu', '', [photo('hinge-fixed')]);
    await sandbox.click('staff', 'wu', record.id, 'hazard-open-fix');
    const fixed = await sandbox.click('staff', 'wu', record.id, 'hazard-fix-submit', { form: { note: '已更换合页' } });
    expect(fixed.toast?.text).toContain(`${code} 已提交整改`);
    expect(fixed.card?.buttons.map((button) => button.label)).toEqual(['复查', '刷新']);
    const timeline = await sandbox.timeline(code);
    expect(timeline.at(-1)?.attachments.map((attachment) => attachment.key)).toEqual(['hinge-fixed']);
  });

  it('sends the fix back with a reason, then closes it after the second fix', async () => {
    await sandbox.click('staff', 'wang', record.id, 'hazard-open-verify');
    const noReason = await sandbox.click('staff', 'wang', record.id, 'hazard-verify-submit', {
      form: { verdict: 'reject', note: '' },
    });
    expect(noReason.toast?.text).toBe('退回整改须写明原因。');
    const rejected = await sandbox.click('staff', 'wang', record.id, 'hazard-verify-submit', {
      form: { verdict: 'reject', note: '箱门还是关不严' },
    });
    expect(rejected.toast?.text).toBe(`${code} 复查未通过，已退回：箱门还是关不严`);
    expect((await sandbox.lastBot('dm:wu')).text).toContain(`${code} 被 王老师 退回：箱门还是关不严`);
    await sandbox.say('staff', 'wu', `@校安 整改 ${code} 重新调整了门框`, [photo('frame-fixed')]);
    const refreshed = await sandbox.click('staff', 'wang', record.id, 'hazard-refresh');
    expect(refreshed.card?.title).toBe(`${code} · 待复查`);
    await sandbox.click('staff', 'wang', record.id, 'hazard-open-verify');
    const closed = await sandbox.click('staff', 'wang', record.id, 'hazard-verify-submit', {
      form: { verdict: 'pass', note: '' },
    });
    expect(closed.toast?.text).toBe(`${code} 复查通过，已销号。`);
    expect(closed.card?.title).toBe(`${code} · 已销号`);
    expect((await sandbox.timeline(code)).map((entry) => entry.action)).toEqual([
      'report',
      'assign',
      'submit_fix',
      'reject',
      'submit_fix',
      'accept',
    ]);
  });
});
