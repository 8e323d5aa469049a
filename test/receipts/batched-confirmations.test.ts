import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPhone } from '../../src/db/repos/seed-demo-roster.js';
import { bindingAttempts, campaigns, inboundEvents } from '../../src/db/schema.js';
import { confirmFromPages, type PageSubmission } from '../../src/flows/receipts/page-confirm.js';
import type { ActionValue } from '../../src/model/card.js';
import type { InboundEvent } from '../../src/model/inbound.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { receiptDriver, sandboxParent } from './helpers.js';

/**
 * The set-based paths for bursts (card taps and receipt-page answers handled many per statement) must
 * answer exactly as the one-at-a-time flow would: redeliveries are duplicates, everything but a known
 * guardian's plain tap goes to the flow, and attempt counters shared within one batch count every answer.
 */
describe('batched receipt confirmations', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-01T02:00:00Z');
  // A failing batch falls back to the one-at-a-time flow, which answers the same: only the log tells.
  const errors: unknown[] = [];
  const log = { debug() {}, info() {}, warn() {}, error: (entry: unknown) => errors.push(entry) };
  const runtime = await createTestRuntime({ database, now: clock.now, log });
  afterAll(() => database.close());
  const sandbox = receiptDriver(runtime, database);

  await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月30日');
  const card = (await sandbox.botMessages('parents-1')).find((m) => m.card)!.card!;
  const confirm = card.buttons.find((b) => b.id === 'receipt-confirm')!.value!;
  const campaignId = String(confirm.campaign);
  const classId = String(confirm.class);
  await sandboxParent(database, 'dad-2', '爸爸2', demoPhone(1, 2, false));
  await sandboxParent(database, 'mum-2', '妈妈2', demoPhone(1, 2, true));
  await sandboxParent(database, 'dad-3', '爸爸3', demoPhone(1, 3, false));
  await sandboxParent(database, 'stranger', '陌生人');
  await sandboxParent(database, 'other-class-dad', '二班家长', demoPhone(2, 2, false));

  const tapEvent = (id: string, user: string, value: ActionValue = confirm, chatId = 'parents-1'): InboundEvent => ({
    id,
    platform: 'sandbox',
    tenant: '',
    kind: 'action',
    chat: { id: chatId, type: 'group' },
    actor: { platformUserId: user, name: user },
    text: '',
    mentionsBot: false,
    attachments: [],
    action: { value },
    receivedAt: clock.now(),
    raw: {},
  });
  const handle = (event: InboundEvent) => runtime.pipeline.handle(event);

  it('handles one copy of an event delivered twice at once, and calls a later redelivery a duplicate', async () => {
    const [first, second] = await Promise.all([handle(tapEvent('twice', 'dad-2')), handle(tapEvent('twice', 'dad-2'))]);
    const results = [first!, second!];
    expect(results.filter((result) => result.duplicate)).toHaveLength(1);
    expect(results.find((result) => !result.duplicate)?.answer?.toast).toEqual({
      type: 'success',
      text: '已确认：王一鸣。感谢您的配合！',
    });
    expect(await handle(tapEvent('twice', 'dad-2'))).toEqual({ duplicate: true });
    expect(await sandbox.receiptCount(campaignId)).toBe(1);
    const keys = await database.db.select().from(inboundEvents).where(eq(inboundEvents.eventId, 'twice'));
    expect(keys).toHaveLength(1);
  });

  it('gives a student to the first of two guardians tapping together, and tells the other it is done', async () => {
    const answers = await Promise.all([
      handle(tapEvent('dad-3-tap', 'dad-3')),
      handle(tapEvent('mum-2-tap', 'mum-2')),
      handle(tapEvent('dad-3-again', 'dad-3')),
    ]);
    expect(answers.map((answer) => answer.answer?.toast?.text)).toEqual([
      '已确认：陈思远。感谢您的配合！',
      '已确认，无需重复。',
      '已确认，无需重复。',
    ]);
    expect(await sandbox.receiptCount(campaignId)).toBe(2);
  });

  it('leaves unknown parents, other classes and closed campaigns to the flow, which answers them in full', async () => {
    const stranger = await handle(tapEvent('stranger-tap', 'stranger'));
    expect(stranger.answer?.toast?.text).toContain('第一次确认，请先核对身份');
    expect(stranger.answer?.card).toBeTruthy();

    const otherClass = await handle(tapEvent('other-class', 'other-class-dad'));
    expect(otherClass.answer?.toast?.type).toBe('warning');
    expect(otherClass.answer?.toast?.text).toContain('您登记的孩子不在这个班');

    const wrongGroup = await handle(tapEvent('wrong-group', 'dad-2', confirm, 'parents-2'));
    expect(wrongGroup.answer?.toast).toEqual({
      type: 'warning',
      text: '这张回执卡片不是发给本群班级的，请使用本班群里的卡片。',
    });

    await database.db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, campaignId));
    const closed = await handle(tapEvent('after-close', 'dad-3'));
    await database.db.update(campaigns).set({ status: 'open' }).where(eq(campaigns.id, campaignId));
    expect(closed.answer?.toast?.text).toMatch(/回执已于 .+ 截止/);
    expect(await sandbox.receiptCount(campaignId)).toBe(2);
  });

  it('counts every wrong page answer of one device within one batch, so a burst cannot outrun the lockout', async () => {
    const submission = (phoneDigits: string, studentName = '赵雨涵'): PageSubmission => ({
      campaignId,
      classId,
      answer: { studentName, phoneDigits },
      deviceId: 'dev:burst',
      address: '10.9.9.9',
    });
    const correct = demoPhone(1, 4, false).slice(-4);
    const wrong = ['0001', '0002', '0003', '0004', '0005'].filter((digits) => digits !== correct);
    const outcomes = await database.db.transaction((tx) =>
      confirmFromPages(
        tx,
        [...wrong.slice(0, 5).map((digits) => submission(digits)), submission(correct)],
        clock.now(),
      ),
    );
    const reasons = outcomes.map((outcome) => (outcome.kind === 'refused' ? outcome.reason : outcome.kind));
    expect(reasons.slice(0, 4).every((reason) => reason.includes('还可尝试'))).toBe(true);
    expect(reasons[4]).toContain('尝试次数过多');
    expect(reasons[5]).toContain('尝试次数过多');
    const [state] = await database.db.select().from(bindingAttempts).where(eq(bindingAttempts.userId, 'dev:burst'));
    expect(state?.lockedUntil).not.toBeNull();
    expect(await sandbox.receiptCount(campaignId)).toBe(2);
  });

  it('confirms a student once when two parents answer the page in the same batch', async () => {
    const parent = (deviceId: string, mother: boolean): PageSubmission => ({
      campaignId,
      classId,
      answer: { studentName: '周子轩', phoneDigits: demoPhone(1, 5, mother).slice(-4) },
      deviceId,
      address: '10.9.9.10',
    });
    const outcomes = await database.db.transaction((tx) =>
      confirmFromPages(tx, [parent('dev:dad', false), parent('dev:mum', true)], clock.now()),
    );
    expect(outcomes.map((outcome) => (outcome.kind === 'confirmed' ? outcome.text : outcome.kind))).toEqual([
      '已确认：周子轩。感谢您的配合！',
      '已确认，无需重复。',
    ]);
    expect(await sandbox.receiptCount(campaignId)).toBe(3);
  });

  it('answered every tap above on the batched path, without falling back after an error', () => {
    expect(errors).toEqual([]);
  });
});
