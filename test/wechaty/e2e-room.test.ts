import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { addGrant, ensurePersonForAccount } from '../../src/db/repos/identity.js';
import { bindChat } from '../../src/db/repos/org.js';
import { addAccountToPerson } from '../../src/db/repos/receipts-guardians.js';
import { rowsOf } from '../../src/db/rows.js';
import { hazards, receipts, students } from '../../src/db/schema.js';
import { wechatyConfigFrom } from '../../src/platforms/wechaty/config.js';
import { createWechatyPlatform } from '../../src/platforms/wechaty/index.js';
import { createWechatyBotRegistry } from '../../src/platforms/wechaty/registry.js';
import { createWechatyTransport } from '../../src/platforms/wechaty/transport-wechaty.js';
import { createWechatyMockAccount } from '../fakes/wechaty/mock-account.js';
import { createTestDb } from '../helpers/db.js';
import { silentLog, testClock } from '../helpers/runtime.js';
import { demoPerson, demoSchool, eventually, observed } from '../wecom/e2e-helpers.js';
import { serveRuntime } from '../wecom/serve.js';

const MINUTE = 60_000;

/** The URL on the line that starts with `label：` (how cards and replies read in WeChat). */
function linkAfter(text: string, label: string): string {
  const line = text.split('\n').find((candidate) => candidate.includes(`${label}：`));
  const url = line?.match(/https?:\/\/\S+/)?.[0];
  if (!url) throw new Error(`no link after ${label} in:\n${text}`);
  return url;
}

const pageText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('Wechaty end to end: a mock WeChat account in rooms, the real app over HTTP', async () => {
  const database = await createTestDb();
  const { db } = database;
  // Wednesday 2026-06-10 10:00 in Shanghai. The mock stamps messages with the real time, which is later.
  const clock = testClock('2026-06-10T02:00:00Z');
  const config = wechatyConfigFrom({ WECHATY_PUPPET: 'wechaty-puppet-mock' })!;
  const account = createWechatyMockAccount(config.name);
  const registry = createWechatyBotRegistry();
  const served = await serveRuntime({
    database,
    now: clock.now,
    platforms: (deps) => [createWechatyPlatform(config, { ...deps, registry })],
  });
  const { runtime, baseUrl } = served;
  const inbound = observed(runtime.pipeline);
  const transport = createWechatyTransport(config, {
    links: runtime.links,
    log: silentLog,
    now: clock.now,
    registry,
    puppet: account.puppet,
  });
  await transport.start(inbound.pipeline);
  account.login();
  const tenant = account.me.id;
  await eventually('the login', () => registry.get(tenant));
  afterAll(async () => {
    await transport.stop();
    await served.close();
    await database.close();
  });

  const teacher = account.contact('王老师', 'wxid_wanglaoshi');
  const officer = account.contact('张主任', 'wxid_zhangzhuren');
  const liuMama = account.contact('刘妈妈', 'wxid_liumama');
  const sunBaba = account.contact('孙爸爸', 'wxid_sunbaba');
  const staffRoom = account.room('示范小学教师群', [teacher, officer], '20260610001@chatroom');
  const parentsRoom = account.room('三年级(1)班家长群', [liuMama, sunBaba], '20260610002@chatroom');
  const inStaffRoom = account.botSaysIn(staffRoom);
  const inParentsRoom = account.botSaysIn(parentsRoom);

  const { schoolId, classId } = await demoSchool(db);
  await bindChat(db, { platform: 'wechaty', tenant, chatId: staffRoom.id, schoolId, classId: null, kind: 'staff' });
  const class31 = await classId('三年级(1)班');
  await bindChat(db, {
    platform: 'wechaty',
    tenant,
    chatId: parentsRoom.id,
    schoolId,
    classId: class31,
    kind: 'class_parents',
  });
  const zhang = await ensurePersonForAccount(db, { platform: 'wechaty', tenant, userId: officer.id, name: '张主任' });
  await addGrant(db, { personId: zhang.personId, role: 'teacher', schoolId });
  await addGrant(db, { personId: zhang.personId, role: 'safety_officer', schoolId });
  // 刘妈妈 bound her guardian record before (in the sandbox); this is her WeChat identity.
  const liuMamaPerson = await demoPerson(db, 'liu-mama');
  await addAccountToPerson(db, {
    personId: liuMamaPerson,
    platform: 'wechaty',
    tenant,
    userId: liuMama.id,
    name: '刘妈妈',
  });

  /** Sends what the outbox holds through the account, moving the injected clock past the send pacing. */
  async function deliverAll(): Promise<void> {
    for (let round = 0; round < 200; round++) {
      await runtime.dispatcher.runOnce();
      const [next] = rowsOf<{ at: string | Date | null }>(
        await db.execute(
          sql`select min(next_attempt_at) as at from outbox where platform = 'wechaty' and status = 'pending'`,
        ),
      );
      if (!next?.at) return;
      const due = new Date(next.at).getTime();
      if (due > clock.now().getTime()) clock.set(new Date(due));
    }
    throw new Error('the Wechaty rows never drained');
  }

  const said = (lines: string[], what: string, match: (line: string) => boolean) =>
    eventually(what, () => lines.find(match));

  it('registers a hazard a teacher @-mentions the bot with, confirmed through the signed link in the reply', async () => {
    const report = account.sayInRoom(teacher, staffRoom, '@校安\u2005三楼东侧楼梯口的灭火器压力不足', [account.me]);
    await inbound.resultOf(report);
    await deliverAll();

    const draft = await said(inStaffRoom, 'the draft', (line) => line.includes('请确认隐患登记'));
    expect(draft.startsWith('@王老师')).toBe(true);
    expect(draft).toContain('部位：三楼东侧楼梯口');
    const confirmUrl = linkAfter(draft, '确认登记');
    expect(confirmUrl.startsWith(`${baseUrl}/h5/act/`)).toBe(true);

    const page = await fetch(confirmUrl);
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain('确认登记');

    clock.advance(MINUTE);
    const done = await fetch(confirmUrl, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(pageText(await done.text())).toContain('已登记 YH-2026-0001');
    await deliverAll();
    const announced = await said(inStaffRoom, 'the code in the room', (line) => line.includes('YH-2026-0001'));
    expect(announced).toContain('已登记隐患 YH-2026-0001');

    const [hazard] = await db.select().from(hazards).where(eq(hazards.code, 'YH-2026-0001'));
    const wang = await ensurePersonForAccount(db, { platform: 'wechaty', tenant, userId: teacher.id, name: '' });
    expect(hazard).toMatchObject({
      schoolId,
      status: 'reported',
      location: '三楼东侧楼梯口',
      reporterId: wang.personId,
    });

    // One link, one action: opening it again changes nothing.
    const again = await fetch(confirmUrl, { method: 'POST' });
    expect(pageText(await again.text())).toContain('这个操作已经完成过了');
    expect(await db.select().from(hazards)).toHaveLength(1);
  });

  it('collects receipts in the parents room: through the H5 page (bind + confirm) and by replying 确认 once bound', async () => {
    clock.advance(MINUTE);
    const start = account.sayInRoom(officer, staffRoom, '@校安\u2005回执 发起 防溺水 截止 6月30日 三年级(1)班', [
      account.me,
    ]);
    await inbound.resultOf(start);
    await deliverAll();
    await said(inStaffRoom, 'the start summary', (line) => line.includes('已发起《防溺水安全致家长的一封信》回执'));
    const letter = await said(inParentsRoom, 'the letter', (line) => line.includes('【防溺水安全致家长的一封信】'));
    expect(letter).toContain('也可直接回复「确认」完成回执');
    expect(linkAfter(letter, '查看全文').startsWith(`${baseUrl}/h5/receipt/`)).toBe(true);
    // The card's button was posted to the whole room: its link leads to the page that identifies the parent.
    const toPage = await fetch(linkAfter(letter, '我已阅读并承诺'), { redirect: 'manual' });
    expect(toPage.status).toBe(302);
    expect(toPage.headers.get('location')?.startsWith(`${baseUrl}/h5/receipt/`)).toBe(true);

    // 孙爸爸 is not bound yet: his 确认 is answered with the page where he proves who he is.
    clock.advance(MINUTE);
    const keyword = account.sayInRoom(sunBaba, parentsRoom, '确认');
    await inbound.resultOf(keyword);
    await deliverAll();
    const howTo = await said(inParentsRoom, 'the binding hint', (line) => line.includes('第一次确认需要核对身份'));
    expect(howTo.startsWith('@孙爸爸')).toBe(true);
    const receiptPage = howTo.match(/https?:\/\/\S+/)![0];
    expect(receiptPage.startsWith(`${baseUrl}/h5/receipt/`)).toBe(true);

    const form = await fetch(receiptPage);
    expect(form.status).toBe(200);
    expect(pageText(await form.text())).toContain('防溺水安全致家长的一封信');
    const answer = (studentName: string, phoneDigits: string) =>
      fetch(receiptPage, { method: 'POST', body: new URLSearchParams({ studentName, phoneDigits }) });
    const wrong = await answer('孙小杰', '9999');
    expect(wrong.status).toBe(422);
    expect(await db.select().from(receipts)).toHaveLength(0);
    const right = await answer('孙小杰', '1010');
    expect(right.status).toBe(200);
    expect(pageText(await right.text())).toContain('已确认：孙小杰');

    // 刘妈妈 is bound: a plain 确认 in the room is her receipt.
    clock.advance(MINUTE);
    const bound = account.sayInRoom(liuMama, parentsRoom, '确认！');
    await inbound.resultOf(bound);
    await deliverAll();
    const thanks = await said(inParentsRoom, 'the thanks', (line) => line.startsWith('@刘妈妈'));
    expect(thanks).toContain('已收到，《防溺水安全致家长的一封信》回执已确认');

    const confirmed = await db
      .select({ student: students.name, channel: receipts.channel, personId: receipts.personId })
      .from(receipts)
      .innerJoin(students, eq(students.id, receipts.studentId));
    expect(confirmed).toEqual(
      expect.arrayContaining([
        { student: '孙小杰', channel: 'h5', personId: null },
        { student: '刘小雨', channel: 'keyword', personId: liuMamaPerson },
      ]),
    );
    expect(confirmed).toHaveLength(2);
  });
});
