import { asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { hazardEvents, hazards } from '../../src/db/schema.js';
import { checkCard } from '../fakes/feishu/card-check.js';
import { buttonLabelled, viewCard } from '../fakes/feishu/card-view.js';
import type { FakeMessage } from '../fakes/feishu/server.js';
import { startFeishuE2E } from './harness.js';

const STAFF = 'oc_e2e_staff';
const TEACHER = 'ou_e2e_teacher_qian';
const OFFICER = 'ou_e2e_officer_kong';
const OWNER = 'ou_e2e_owner_he';
const PRINCIPAL = 'ou_e2e_principal_yan';
const PHOTO_KEY = 'img_v3_e2e_stairs_photo';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe('Feishu end to end: hazard report, confirmation card, photos and escalation', async () => {
  // Wednesday 2026-06-10 10:00 in Shanghai.
  const e2e = await startFeishuE2E({ start: '2026-06-10T02:00:00Z' });
  afterAll(() => e2e.close());
  await e2e.bindChat(STAFF, 'staff');
  await e2e.addPerson(TEACHER, '钱老师', [{ role: 'teacher' }]);
  await e2e.addPerson(OFFICER, '孔主任', [{ role: 'teacher' }, { role: 'safety_officer' }]);
  await e2e.addPerson(OWNER, '何老师', [{ role: 'teacher' }]);
  await e2e.addPerson(PRINCIPAL, '严校长', [{ role: 'teacher' }, { role: 'principal' }]);

  const repliesTo = (messageId: string) => e2e.fake.sent.filter((message) => message.parent_id === messageId);
  const hazardByCode = async (code: string) =>
    (await e2e.database.db.select().from(hazards).where(eq(hazards.code, code)))[0];

  /** A report to the bot in the staff group → the one card the bot replied with. */
  async function report(text: string): Promise<FakeMessage> {
    const pushed = await e2e.push.message({ chatId: STAFF, senderOpenId: TEACHER, atBot: true, text });
    expect(pushed.status).toBe(200);
    await e2e.deliverOutbox();
    const replies = repliesTo(pushed.messageId);
    expect(replies.map((reply) => reply.msg_type)).toEqual(['interactive']);
    return replies[0]!;
  }

  it('report → Feishu card JSON 2.0 → confirm tap → toast and redrawn card, hazard stored, reply names YH-…', async () => {
    const draft = await report('三楼东侧楼梯口的灭火器压力不足');
    expect(draft.chat_id).toBe(STAFF);
    const json = JSON.parse(draft.content) as Record<string, unknown>;
    expect(checkCard(json)).toBeUndefined();
    expect(json).toMatchObject({
      schema: '2.0',
      config: { update_multi: true },
      header: { title: { tag: 'plain_text', content: '请确认隐患登记' }, template: 'orange' },
      body: { elements: expect.arrayContaining([expect.objectContaining({ tag: 'column_set' })]) },
    });
    const card = viewCard(json);
    expect(card.texts).toEqual(expect.arrayContaining(['三楼东侧楼梯口', '消防安全']));
    const confirm = buttonLabelled(card, '确认登记');
    expect(confirm.value).toMatchObject({ flow: 'hazard-draft', op: 'confirm' });
    expect(card.buttons.map((button) => button.label)).toEqual(['确认登记', '修改', '取消']);

    const tap = await e2e.push.tap({ operatorOpenId: TEACHER, messageId: draft.message_id, button: confirm });
    expect(tap.clientError).toBeUndefined();
    expect(tap.toast).toEqual({ type: 'success', content: '已登记 YH-2026-0001' });
    expect(tap.card?.title).toBe('已登记 YH-2026-0001');
    expect(tap.card?.buttons.map((button) => button.label)).not.toContain('确认登记');
    expect(viewCard(e2e.fake.message(draft.message_id)!.content).title).toBe('已登记 YH-2026-0001');

    expect(await hazardByCode('YH-2026-0001')).toMatchObject({
      status: 'reported',
      category: 'fire',
      location: '三楼东侧楼梯口',
      sourceChat: STAFF,
    });
    await e2e.deliverOutbox();
    const [named] = repliesTo(draft.message_id);
    expect(named?.msg_type).toBe('text');
    expect(JSON.parse(named!.content).text).toContain('已登记隐患 YH-2026-0001');
  });

  it('a second tap on the confirmation card (a double click) changes nothing and says so', async () => {
    const draft = e2e.fake.sent.find((message) => message.msg_type === 'interactive')!;
    const again = await e2e.push.tap({
      operatorOpenId: TEACHER,
      messageId: draft.message_id,
      button: buttonLabelled(viewCard(draft.content), '确认登记'),
    });
    expect(again.toast).toEqual({ type: 'info', content: '已登记为 YH-2026-0001，无需重复确认。' });
    expect((await e2e.database.db.select().from(hazards)).map((hazard) => hazard.code)).toEqual(['YH-2026-0001']);
  });

  it('an image message before the report is recorded on the hazard by its image_key, and downloads', async () => {
    e2e.clock.advance(10 * 60_000);
    const photo = await e2e.push.message({
      chatId: STAFF,
      senderOpenId: TEACHER,
      messageType: 'image',
      content: { image_key: PHOTO_KEY },
    });
    expect(photo.status).toBe(200);
    e2e.fake.addResource(photo.messageId, PHOTO_KEY, PNG, 'image/png');
    e2e.clock.advance(60_000);

    const draft = await report('二楼男厕所的窗户玻璃碎了');
    expect(viewCard(draft.content).texts).toContain('1 张');
    const tap = await e2e.push.tap({
      operatorOpenId: TEACHER,
      messageId: draft.message_id,
      button: buttonLabelled(viewCard(draft.content), '确认登记'),
    });
    expect(tap.toast?.content).toBe('已登记 YH-2026-0002');

    const hazard = await hazardByCode('YH-2026-0002');
    const [registered] = await e2e.database.db
      .select()
      .from(hazardEvents)
      .where(eq(hazardEvents.hazardId, hazard!.id))
      .orderBy(asc(hazardEvents.at));
    expect(registered?.attachments).toEqual([{ kind: 'image', key: PHOTO_KEY }]);

    const download = await e2e.feishu.client.downloadResource(photo.messageId, PHOTO_KEY, 'image');
    expect(download).toEqual({ ok: true, data: { bytes: PNG, contentType: 'image/png' } });
  });

  it('an overdue hazard reaches the principal on Feishu as a card plus urgent_app, the safety officer without', async () => {
    const assign = await e2e.push.message({
      chatId: STAFF,
      senderOpenId: OFFICER,
      atBot: true,
      text: '指派 YH-2026-0001 @_user_1 截止 明天',
      mentions: [{ openId: OWNER, name: '何老师' }],
    });
    expect(assign.status).toBe(200);
    await e2e.deliverOutbox();
    const [answer] = repliesTo(assign.messageId);
    expect(JSON.parse(answer!.content).text).toBe('YH-2026-0001 已指派给 何老师，整改时限 6月11日（周四）23:59。');
    expect(await hazardByCode('YH-2026-0001')).toMatchObject({ status: 'rectifying' });

    // Sunday 2026-06-14 09:00 in Shanghai: the third calendar day after the deadline.
    e2e.clock.set('2026-06-14T01:00:00Z');
    const sentBefore = e2e.fake.sent.length;
    await e2e.runtime.tick(e2e.clock.now());
    await e2e.deliverOutbox();
    const direct = (openId: string) =>
      e2e.fake.sent
        .slice(sentBefore)
        .filter((message) => message.receive_id_type === 'open_id' && message.receive_id === openId);

    const toPrincipal = direct(PRINCIPAL);
    expect(toPrincipal).toHaveLength(1);
    const card = viewCard(toPrincipal[0]!.content);
    expect(card.title).toBe('逾期督办 · YH-2026-0001');
    expect(card.template).toBe('red');
    expect(card.texts[0]).toMatch(/^【逾期升级】.*YH-2026-0001.*已逾期 3 天仍未整改，责任人：何老师。请校长督办。$/);
    expect(e2e.fake.urgents).toEqual([{ messageId: toPrincipal[0]!.message_id, kind: 'app', userIds: [PRINCIPAL] }]);

    const toOfficer = direct(OFFICER);
    expect(toOfficer.map((message) => viewCard(message.content).texts.join('\n'))).toEqual([
      expect.stringContaining('【逾期督办】隐患 YH-2026-0001'),
    ]);
    expect(direct(OWNER).map((message) => viewCard(message.content).title)).toEqual(['整改已逾期']);

    const rows = await e2e.feishuOutbox();
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
  });
});
