import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findPersonByAccount } from '../../src/db/repos/identity.js';
import { guardians, receipts, studentGuardians, students } from '../../src/db/schema.js';
import { checkCard } from '../fakes/feishu/card-check.js';
import { buttonLabelled, viewCard } from '../fakes/feishu/card-view.js';
import type { FakeMessage } from '../fakes/feishu/server.js';
import { startFeishuE2E } from './harness.js';

const STAFF = 'oc_e2e_staff';
const PARENTS = 'oc_e2e_parents_3_1';
const CLASS = '三年级(1)班';
const CLASS_TEACHER = 'ou_e2e_class_teacher_hao';
const NEW_PARENT = 'ou_e2e_parent_sun';
const BOUND_PARENT = 'ou_e2e_parent_wang';
const LETTER = '防溺水安全致家长的一封信';

describe('Feishu end to end: a receipt campaign from the staff group to parents tapping the letter card', async () => {
  // Wednesday 2026-06-10 16:00 in Shanghai.
  const e2e = await startFeishuE2E({ start: '2026-06-10T08:00:00Z' });
  afterAll(() => e2e.close());
  await e2e.bindChat(STAFF, 'staff');
  await e2e.bindChat(PARENTS, 'class_parents', CLASS);
  await e2e.addPerson(CLASS_TEACHER, '郝老师', [{ role: 'teacher' }, { role: 'class_teacher', className: CLASS }]);
  // 王一鸣's father bound his Feishu account before (the guardian's person link is on the roster).
  const boundParent = await e2e.addPerson(BOUND_PARENT, '王爸爸', [{ role: 'parent', className: CLASS }]);
  const [fatherOfWang] = await e2e.database.db
    .select({ guardianId: guardians.id })
    .from(students)
    .innerJoin(studentGuardians, eq(studentGuardians.studentId, students.id))
    .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
    .where(and(eq(students.name, '王一鸣'), eq(studentGuardians.relation, '父亲')));
  await e2e.database.db
    .update(guardians)
    .set({ personId: boundParent })
    .where(eq(guardians.id, fatherOfWang!.guardianId));

  const receiptsOf = () =>
    e2e.database.db
      .select({ student: students.name, personId: receipts.personId, channel: receipts.channel })
      .from(receipts)
      .innerJoin(students, eq(students.id, receipts.studentId))
      .orderBy(students.name);
  let letter: FakeMessage;

  it('「回执 发起」 from the class teacher puts the letter card (JSON 2.0) in the class parents group', async () => {
    const start = await e2e.push.message({
      chatId: STAFF,
      senderOpenId: CLASS_TEACHER,
      atBot: true,
      text: '回执 发起 防溺水 截止 6月30日',
    });
    expect(start.status).toBe(200);
    await e2e.deliverOutbox();

    const [started] = e2e.fake.sent.filter((message) => message.parent_id === start.messageId);
    expect(JSON.parse(started!.content).text).toContain(`已发起《${LETTER}》回执，截止 6月30日`);
    const cards = e2e.fake.messagesIn(PARENTS);
    expect(cards).toHaveLength(1);
    letter = cards[0]!;
    expect(letter).toMatchObject({ receive_id_type: 'chat_id', receive_id: PARENTS, msg_type: 'interactive' });
    expect(checkCard(JSON.parse(letter.content))).toBeUndefined();
    const card = viewCard(letter.content);
    expect(card.title).toBe(LETTER);
    expect(card.texts).toEqual(expect.arrayContaining([CLASS]));
    expect(card.buttons.map(({ label, url, value }) => [label, url ? 'link' : (value as { op: string }).op])).toEqual([
      ['查看全文', 'link'],
      ['我已阅读并承诺', 'confirm'],
      ['在网页中确认', 'link'],
    ]);
  });

  it('a parent nobody knows yet taps: the group card stays, the binding form comes privately, the receipt is recorded', async () => {
    const groupCardBefore = e2e.fake.message(letter.message_id)!.content;
    const confirm = buttonLabelled(viewCard(letter.content), '我已阅读并承诺');
    const tap = await e2e.push.tap({ operatorOpenId: NEW_PARENT, messageId: letter.message_id, button: confirm });
    expect(tap.clientError).toBeUndefined();
    expect(tap.toast?.type).toBe('info');
    expect(tap.toast?.content).toContain('核对表单已私信发给您');
    // A card in the answer would turn the shared letter card into this parent's form for the whole group.
    expect(tap.card).toBeUndefined();
    expect(e2e.fake.message(letter.message_id)!.content).toBe(groupCardBefore);
    expect(await receiptsOf()).toEqual([]);

    await e2e.deliverOutbox();
    // Tapping the group card again does not stack up a second private form.
    await e2e.push.tap({ operatorOpenId: NEW_PARENT, messageId: letter.message_id, button: confirm });
    await e2e.deliverOutbox();
    const privateForms = e2e.fake.sent.filter(
      (message) => message.receive_id_type === 'open_id' && message.receive_id === NEW_PARENT,
    );
    expect(privateForms).toHaveLength(1);
    const form = privateForms[0]!;
    expect(form.msg_type).toBe('interactive');
    expect(checkCard(JSON.parse(form.content))).toBeUndefined();
    expect(viewCard(form.content).forms).toEqual([{ name: 'receipt-bind', fields: ['studentName', 'phoneDigits'] }]);

    const submit = buttonLabelled(viewCard(form.content), '核对并确认');
    expect(submit).toMatchObject({ form: 'receipt-bind', name: 'receipt-bind-submit' });
    const wrong = await e2e.push.tap({
      operatorOpenId: NEW_PARENT,
      messageId: form.message_id,
      button: submit,
      formValue: { studentName: '孙小杰', phoneDigits: '9999' },
    });
    expect(wrong.toast?.type).toBe('warning');
    expect(wrong.card?.forms).toEqual([{ name: 'receipt-bind', fields: ['studentName', 'phoneDigits'] }]);

    const bound = await e2e.push.tap({
      operatorOpenId: NEW_PARENT,
      messageId: form.message_id,
      button: submit,
      formValue: { studentName: '孙小杰', phoneDigits: '1010' },
    });
    expect(bound.toast).toEqual({ type: 'success', content: '身份核对通过。已确认：孙小杰。感谢您的配合！' });
    expect(bound.card?.title).toBe(LETTER);
    expect(e2e.fake.message(letter.message_id)!.content).toBe(groupCardBefore);
    const person = await findPersonByAccount(e2e.database.db, 'feishu', e2e.tenant, NEW_PARENT);
    expect(await receiptsOf()).toEqual([{ student: '孙小杰', personId: person!.personId, channel: 'card' }]);
  });

  it('a bound parent confirms with one tap; tapping again records nothing more', async () => {
    const confirm = buttonLabelled(viewCard(e2e.fake.message(letter.message_id)!.content), '我已阅读并承诺');
    const tap = await e2e.push.tap({ operatorOpenId: BOUND_PARENT, messageId: letter.message_id, button: confirm });
    expect(tap.toast).toEqual({ type: 'success', content: '已确认：王一鸣。感谢您的配合！' });
    expect(tap.card).toBeUndefined();

    const again = await e2e.push.tap({ operatorOpenId: BOUND_PARENT, messageId: letter.message_id, button: confirm });
    expect(again.toast).toEqual({ type: 'success', content: '已确认，无需重复。' });
    expect(await receiptsOf()).toEqual([
      { student: '孙小杰', personId: expect.any(String), channel: 'card' },
      { student: '王一鸣', personId: boundParent, channel: 'card' },
    ]);
  });
});
