import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findSchoolByCode } from '../../src/db/repos/org.js';
import { importRoster } from '../../src/db/repos/roster.js';
import { DEMO_PHONE_SALT, demoPhone } from '../../src/db/repos/seed-demo-roster.js';
import { campaigns, guardians, receipts, roleGrants, students } from '../../src/db/schema.js';
import { parseRoster } from '../../src/domain/roster/parse.js';
import { hashPhone } from '../../src/domain/roster/phone.js';
import type { Card } from '../../src/model/card.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { receiptDriver, sandboxParent } from './helpers.js';

const hashOf = (phone: string) => hashPhone(phone, DEMO_PHONE_SALT);
const campaignOf = (card: Card) => String(card.buttons.find((b) => b.value)?.value?.campaign);

describe('receipts through the sandbox: campaign, one tap, binding, lockout, progress', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-01T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now });
  afterAll(() => database.close());
  const sandbox = receiptDriver(runtime, database);
  const db = database.db;
  let cardId = '';
  let campaignId = '';

  const campaignCount = async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(campaigns))[0]!.n);

  it('refuses a class teacher starting a campaign for another class, or outside a staff group', async () => {
    await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月30日 三年级(2)班');
    expect(await sandbox.lastText('staff')).toContain('三年级(2)班 不是你的班级');
    await sandbox.say('parents-1', 'li', '@校安 回执 发起 防溺水 截止 6月30日');
    expect(await sandbox.lastText('parents-1')).toContain('教师群或校领导群');
    await sandbox.say('staff', 'wang', '@校安 回执 发起 防溺水 截止 6月30日');
    expect(await sandbox.lastText('staff')).toContain('只有班主任、安全主任或校长');
    expect(await campaignCount()).toBe(0);
  });

  it('li starts the anti-drowning campaign for her class: the card reaches parents-1 only', async () => {
    await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月30日');
    const reply = await sandbox.lastText('staff');
    expect(reply).toContain('共 1 个班、10 名学生');
    expect(reply).toContain('6月30日');
    const cards = (await sandbox.botMessages('parents-1')).filter((m) => m.card);
    expect(cards).toHaveLength(1);
    const card = cards[0]!.card!;
    expect(card.title).toBe('防溺水安全致家长的一封信');
    expect(card.buttons.map((b) => b.label)).toEqual(['查看全文', '我已阅读并承诺', '在网页中确认']);
    expect(card.buttons[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/h5\/receipt\/[\w-]+\.[\w-]+$/);
    expect((await sandbox.botMessages('parents-2')).filter((m) => m.card)).toHaveLength(0);
    cardId = cards[0]!.id;
    campaignId = campaignOf(card);
    expect(await campaignCount()).toBe(1);
  });

  it('a bound parent confirms with one tap; a second tap changes nothing', async () => {
    const first = await sandbox.click('parents-1', 'liu-mama', cardId, 'receipt-confirm', { clickId: 'liu-1' });
    expect(first.toast).toEqual({ type: 'success', text: '已确认：刘小雨。感谢您的配合！' });
    expect(first.card).toBeNull();
    const [row] = await db.select().from(receipts).where(eq(receipts.campaignId, campaignId));
    expect(row).toMatchObject({ channel: 'card', relation: '母亲' });
    expect(row!.personId).toBe(await sandbox.personId('liu-mama'));

    const again = await sandbox.click('parents-1', 'liu-mama', cardId, 'receipt-confirm', { clickId: 'liu-2' });
    expect(again.toast?.text).toBe('已确认，无需重复。');
    const redelivered = await sandbox.click('parents-1', 'liu-mama', cardId, 'receipt-confirm', { clickId: 'liu-1' });
    expect(redelivered.duplicate).toBe(true);
    expect(await sandbox.receiptCount(campaignId)).toBe(1);
  });

  it('an unknown parent gets the binding form, which reveals nothing of the roster', async () => {
    const answer = await sandbox.click('parents-1', 'sun-baba', cardId, 'receipt-confirm');
    expect(answer.toast?.type).toBe('info');
    expect(answer.card?.form?.inputs.map((input) => input.name)).toEqual(['studentName', 'phoneDigits']);
    const shown = JSON.stringify(answer.card);
    for (const secret of ['孙小杰', '1010', '刘小雨', '王一鸣']) expect(shown).not.toContain(secret);
    expect(await sandbox.receiptCount(campaignId)).toBe(1);
  });

  it('wrong answers are counted the same whatever was wrong, and lock the identity out', async () => {
    await sandboxParent(database, 'stranger', '陌生人');
    const bind = (studentName: string, phoneDigits: string) =>
      sandbox.click('parents-1', 'stranger', cardId, 'receipt-bind-submit', { form: { studentName, phoneDigits } });
    const invalid = await bind('孙小杰', '');
    expect(invalid.toast?.text).toContain('请填写学生姓名和家长手机号的后 4 位');
    const wrongName = await bind('不存在的孩子', '1010');
    const wrongDigits = await bind('孙小杰', '9999');
    expect(wrongName.toast?.text.replace(/\d 次/, '')).toBe(wrongDigits.toast?.text.replace(/\d 次/, ''));
    expect(wrongName.toast?.text).toContain('还可尝试 4 次');
    expect(wrongDigits.toast?.text).toContain('还可尝试 3 次');
    await bind('孙小杰', '0000');
    await bind('孙小杰', '1111');
    const fifth = await bind('孙小杰', '2222');
    expect(fifth.toast?.text).toContain('尝试次数过多');
    const locked = await bind('孙小杰', '1010');
    expect(locked.toast?.text).toMatch(/请 \d+ 分钟后再试/);
    expect(locked.card?.form).toBeDefined();
    expect(await sandbox.receiptCount(campaignId)).toBe(1);
    const [sun] = await db
      .select()
      .from(guardians)
      .where(eq(guardians.phoneHash, hashOf(demoPhone(1, 1, false))));
    expect(sun!.personId).toBeNull();
  });

  it('the right answer binds the parent, records the receipt and restores the letter card', async () => {
    const bound = await sandbox.click('parents-1', 'sun-baba', cardId, 'receipt-bind-submit', {
      form: { studentName: ' 孙 小杰 ', phoneDigits: '1010' },
    });
    expect(bound.toast).toEqual({ type: 'success', text: '身份核对通过。已确认：孙小杰。感谢您的配合！' });
    expect(bound.card?.buttons.some((b) => b.id === 'receipt-confirm')).toBe(true);
    const sunPerson = await sandbox.personId('sun-baba');
    const [sun] = await db
      .select()
      .from(guardians)
      .where(eq(guardians.phoneHash, hashOf(demoPhone(1, 1, false))));
    expect(sun!.personId).toBe(sunPerson);
    const grants = await db.select().from(roleGrants).where(eq(roleGrants.personId, sunPerson!));
    expect(grants.map((g) => g.role)).toContain('parent');
    expect(await sandbox.receiptCount(campaignId)).toBe(2);

    const tap = await sandbox.click('parents-1', 'sun-baba', cardId, 'receipt-confirm');
    expect(tap.toast?.text).toBe('已确认，无需重复。');
    expect(await sandbox.receiptCount(campaignId)).toBe(2);
  });

  it('refuses a parent whose children are in another class', async () => {
    await sandboxParent(database, 'xu-mama', '许妈妈', demoPhone(3, 0, true));
    const answer = await sandbox.click('parents-1', 'xu-mama', cardId, 'receipt-confirm');
    expect(answer.toast?.type).toBe('warning');
    expect(answer.toast?.text).toContain('不在这个班');
    expect(answer.card).toBeNull();
    expect(await sandbox.receiptCount(campaignId)).toBe(2);
  });

  it('progress: counts in the groups, the missing names only privately to the class teacher', async () => {
    await sandbox.say('staff', 'li', '@校安 回执 进度');
    const staff = await sandbox.lastText('staff');
    expect(staff).toContain('三年级(1)班 已确认 2/10');
    expect(staff).toContain('私信');
    expect(staff).not.toContain('王一鸣');
    expect(staff).not.toContain('合计');
    const direct = await sandbox.lastText('dm:li');
    expect(direct).toContain('还有 8 名学生的家长未确认');
    expect(direct).toContain('王一鸣');
    expect(direct).not.toContain('刘小雨');

    await sandbox.say('staff', 'chen', '@校安 回执 进度');
    const principal = await sandbox.lastText('staff');
    expect(principal).toContain('合计 已确认 2/10');
    expect(principal).not.toContain('私信');

    await sandbox.say('parents-1', 'liu-mama', '@校安 回执 进度');
    const group = await sandbox.lastText('parents-1');
    expect(group).toContain('已确认 2/10');
    expect(group).not.toMatch(/王一鸣|陈思远|赵雨涵/);
    expect(await sandbox.botMessages('dm:liu-mama')).toHaveLength(0);
  });

  it('a sibling in another class is confirmed there with one tap, no second binding', async () => {
    await sandbox.say('staff', 'zhang', '@校安 回执 发起 防溺水 截止 6月30日 三年级(2)班');
    expect(await sandbox.lastText('staff')).toContain('共 1 个班、10 名学生');
    const card = (await sandbox.botMessages('parents-2')).find((m) => m.card)!;
    const tap = await sandbox.click('parents-2', 'liu-mama', card.id, 'receipt-confirm');
    expect(tap.toast?.text).toBe('已确认：刘小雷。感谢您的配合！');
    expect(await sandbox.receiptCount(campaignOf(card.card!))).toBe(1);

    await sandbox.say('staff', 'zhang', '@校安 回执 发起 防溺水 截止 6月30日 三年级(2)班');
    expect(await sandbox.lastText('staff')).toContain('已有进行中的');
  });

  it('the keyword confirmation: known parents are confirmed, unknown ones get the page link once', async () => {
    await sandboxParent(database, 'ma-baba', '马爸爸', demoPhone(2, 1, false));
    const keyword = (user: string, id: string) =>
      runtime.pipeline.handle({
        id,
        platform: 'sandbox',
        tenant: '',
        kind: 'action',
        chat: { id: 'parents-2', type: 'group' },
        actor: { platformUserId: user, name: user },
        text: '确认',
        mentionsBot: false,
        attachments: [],
        action: { value: { flow: 'receipt', op: 'confirm_keyword' } },
        receivedAt: clock.now(),
        raw: {},
      });
    const known = await keyword('ma-baba', 'kw-1');
    expect(known.answer?.toast?.text).toBe('已确认：马晓彤。感谢您的配合！');
    const [row] = await db
      .select({ channel: receipts.channel })
      .from(receipts)
      .innerJoin(students, eq(students.id, receipts.studentId))
      .where(eq(students.name, '马晓彤'));
    expect(row?.channel).toBe('keyword');

    await keyword('stranger', 'kw-2');
    await keyword('stranger', 'kw-3');
    await runtime.dispatcher.drain();
    const texts = (await sandbox.botMessages('parents-2')).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('已收到'))).toHaveLength(1);
    const howTo = texts.filter((t) => t.includes('/h5/receipt/'));
    expect(howTo).toHaveLength(1);
    expect(howTo[0]).not.toContain('马晓彤');
  });

  it('refuses a campaign whose classes have no parents group, and creates nothing', async () => {
    const school = await findSchoolByCode(db, 'demo');
    const roster = parseRoster([
      ['班级', '学生姓名', '家长姓名', '关系', '手机号'],
      ['五年级(1)班', '钱多多', '钱爸爸', '父亲', '13700005001'],
    ]);
    await importRoster(db, { schoolId: school!.id, ...roster, secret: DEMO_PHONE_SALT });
    const before = await campaignCount();
    await sandbox.say('staff', 'zhang', '@校安 回执 发起 交通安全 截止 6月30日 五年级(1)班');
    expect(await sandbox.lastText('staff')).toContain('都没有绑定家长群');
    expect(await campaignCount()).toBe(before);
  });
});
