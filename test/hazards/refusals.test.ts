import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { addGrant, ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { findClass, findSchoolByCode } from '../../src/db/repos/org.js';
import { hazardDrafts } from '../../src/db/schema.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { photo, reportAndConfirm, sandboxDriver } from './helpers.js';

describe('hazard ledger refusals: a clear reason, nothing changed', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-10T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  const sandbox = sandboxDriver(runtime, database);
  afterAll(() => database.close());

  const school = (await findSchoolByCode(database.db, 'demo'))!;
  const parentClass = (await findClass(database.db, school.id, '三年级(1)班'))!;
  const parent = await ensurePersonForAccount(database.db, {
    platform: 'sandbox',
    tenant: '',
    userId: 'parent-liu',
    name: '刘同学家长',
  });
  await addGrant(database.db, {
    personId: parent.personId,
    role: 'parent',
    schoolId: school.id,
    classId: parentClass.id,
  });
  await ensurePersonForAccount(database.db, { platform: 'sandbox', tenant: '', userId: 'stranger', name: '路人' });

  /** Sends a command and returns the bot's answer, checking the hazard and its timeline did not move. */
  async function refused(chat: string, user: string, text: string, code: string) {
    const before = await sandbox.hazard(code);
    const timeline = (await sandbox.timeline(code)).length;
    await sandbox.say(chat, user, text);
    const answer = (await sandbox.lastBot(chat)).text ?? '';
    expect(await sandbox.hazard(code)).toEqual(before);
    expect(await sandbox.timeline(code)).toHaveLength(timeline);
    return answer;
  }

  const fixed = async (text: string, evidence = [photo('after')]) => {
    const code = await reportAndConfirm(sandbox, 'wang', text);
    await sandbox.say('staff', 'zhang', `@校安 指派 ${code} @wu 截止 3天内`);
    await sandbox.say('staff', 'wu', `@校安 整改 ${code} 已处理`, evidence);
    expect((await sandbox.hazard(code))?.status).toBe('verifying');
    return code;
  };

  it('never lets the fixer verify their own fix', async () => {
    const code = await fixed('二楼走廊灭火器过期了');
    expect(await refused('staff', 'wu', `@校安 复查 ${code} 通过`, code)).toContain('不能复查自己提交的整改');
  });

  it('refuses a parent in the parents group and in a direct chat', async () => {
    const code = await fixed('一楼楼梯口的应急照明灯不亮');
    expect(await refused('parents-1', 'parent-liu', `@校安 复查 ${code} 通过`, code)).toContain('家长群里不能处理隐患');
    expect(await refused('dm:parent-liu', 'parent-liu', `复查 ${code} 通过`, code)).toContain('家长账号不能处理隐患');
  });

  it('refuses strangers, bound or not, and tells them how to get bound', async () => {
    const code = await fixed('操场东侧的篮球架底座松动');
    expect(await refused('dm:stranger', 'stranger', `复查 ${code} 通过`, code)).toContain('还没有绑定学校教职工身份');
    await runtime.pipeline.handle({
      id: 'ghost-1',
      platform: 'sandbox',
      tenant: '',
      kind: 'message',
      chat: { id: 'dm:ghost', type: 'direct' },
      actor: { platformUserId: 'ghost' },
      text: `销号 ${code}`,
      mentionsBot: false,
      attachments: [],
      receivedAt: clock.now(),
      raw: {},
    });
    await runtime.dispatcher.drain();
    expect((await sandbox.lastBot('dm:ghost')).text).toContain('还没有绑定学校教职工身份');
    expect((await sandbox.hazard(code))?.status).toBe('verifying');
  });

  it('records nothing from a group that is not bound to a school, and says how to bind it', async () => {
    const before = (await database.db.select().from(hazardDrafts)).length;
    await runtime.pipeline.handle({
      id: 'unbound-1',
      platform: 'sandbox',
      tenant: '',
      kind: 'message',
      chat: { id: 'room-unbound', type: 'group' },
      actor: { platformUserId: 'wang', name: '王老师' },
      text: '三楼东侧楼梯口的灭火器压力不足',
      mentionsBot: true,
      attachments: [],
      receivedAt: clock.now(),
      raw: {},
    });
    await runtime.dispatcher.drain();
    expect((await sandbox.lastBot('room-unbound')).text).toContain('本群还没有绑定学校');
    expect((await database.db.select().from(hazardDrafts)).length).toBe(before);
  });

  it('keeps a major hazard in 登记 until all 五落实 are given, naming what is missing', async () => {
    const code = await reportAndConfirm(sandbox, 'wang', '实验楼三楼化学实验室的浓硫酸少了一瓶');
    const hazard = await sandbox.hazard(code);
    expect(hazard).toMatchObject({ level: 'major', supervised: true, status: 'reported' });
    const answer = await refused('staff', 'zhang', `@校安 指派 ${code} @wu 截止 下周五`, code);
    expect(answer).toContain('重大隐患须落实责任人、措施、资金、时限、预案（五落实）');
    expect(answer).toContain('还缺：措施、资金、预案');
    await sandbox.say(
      'staff',
      'zhang',
      `@校安 指派 ${code} @wu 截止 下周五 措施 清点并加锁 资金 500元 预案 暂停使用化学实验室`,
    );
    expect((await sandbox.hazard(code))?.status).toBe('rectifying');
  });

  it('closes only with an after-photo or a written reason from the safety officer', async () => {
    const code = await fixed('三楼男厕所的窗户玻璃碎了', []);
    expect(await refused('staff', 'wang', `@校安 复查 ${code} 通过`, code)).toContain('销号需要至少一张整改后的照片');
    expect(await refused('staff', 'wang', `@校安 复查 ${code} 通过 说明 我看过了`, code)).toContain(
      '书面说明须由安全员或校长认可',
    );
    await sandbox.say('staff', 'zhang', `@校安 复查 ${code} 通过 说明 现场确认玻璃已更换`);
    expect((await sandbox.hazard(code))?.status).toBe('closed');
  });

  it('lets only the safety officer or principal assign, dismiss and change the level', async () => {
    const code = await reportAndConfirm(sandbox, 'wang', '食堂后门的灭火器被杂物挡住了');
    expect(await refused('staff', 'li', `@校安 指派 ${code} @wu 截止 下周五`, code)).toBe(
      '只有安全员或校长可以指派整改。',
    );
    expect(await refused('staff', 'li', `@校安 驳回 ${code} 不属实`, code)).toBe('只有安全员或校长可以驳回隐患。');
    expect(await refused('staff', 'wang', `@校安 改级 ${code} 重大`, code)).toBe('只有安全员或校长可以调整隐患等级。');
  });

  it('records nothing for a report from a parent or a stranger', async () => {
    const drafts = async () =>
      (await database.db.select().from(hazardDrafts).where(eq(hazardDrafts.schoolId, school.id))).length;
    const before = await drafts();
    await sandbox.say('dm:stranger', 'stranger', '三楼东侧楼梯口的灭火器压力不足');
    expect((await sandbox.lastBot('dm:stranger')).text).toContain('还没有绑定学校教职工身份');
    await sandbox.say('dm:parent-liu', 'parent-liu', '三楼东侧楼梯口的灭火器压力不足');
    expect((await sandbox.lastBot('dm:parent-liu')).text).toContain('家长账号');
    expect(await drafts()).toBe(before);
  });
});
