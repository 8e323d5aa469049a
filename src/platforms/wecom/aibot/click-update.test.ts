import { describe, expect, it } from 'vitest';
import { createSignedLinks } from '../../../http/signed-links.js';
import type { Card } from '../../../model/card.js';
import type { InboundEvent } from '../../../model/inbound.js';
import { clickUpdate } from './click-update.js';

const links = createSignedLinks('click-update-secret-0123456789abcdef', 'https://xiaoan.example');
const ctx = { links, tenant: 'aibot:aibAAAA', now: new Date('2026-06-10T02:00:00Z') };

const click = (chat: InboundEvent['chat']) => ({
  taskId: 'xa_task_1',
  event: {
    id: 'evt-1',
    platform: 'wecom',
    tenant: ctx.tenant,
    kind: 'action',
    chat,
    actor: { platformUserId: 'sunbaba' },
    text: '',
    mentionsBot: true,
    attachments: [],
    receivedAt: ctx.now,
    raw: {},
  } satisfies InboundEvent,
});
const group = click({ id: 'wrParents', type: 'group' });

const registered: Card = {
  title: '已登记 YH-2026-0001',
  tone: 'success',
  blocks: [{ type: 'markdown', text: '三楼东侧楼梯口 · 消防安全' }],
  buttons: [{ id: 'show', label: '查看记录', style: 'default', value: { flow: 'hazard', op: 'show', hazard: 'h1' } }],
};

const bindingForm: Card = {
  title: '核对家长身份',
  tone: 'info',
  blocks: [{ type: 'markdown', text: '请填写孩子姓名和登记手机号后 4 位。' }],
  buttons: [],
  form: {
    id: 'bind',
    inputs: [{ type: 'text', name: 'studentName', label: '孩子姓名' }],
    submit: { id: 'submit', label: '核对并确认', value: { flow: 'receipt', op: 'bind', campaign: 'c1', class: 'k1' } },
  },
};

const actionClaims = (url: string) => {
  const verified = links.verify(url.split('/h5/act/')[1] ?? '', ctx.now);
  if (!verified.ok) throw new Error(verified.reason);
  return links.actionClaims(verified.claims);
};

describe('AI bot card-click updates', () => {
  it('replaces a shared card for everyone when the answer is its new state', () => {
    const update = clickUpdate({ toast: { type: 'success', text: '已登记' }, card: registered }, group, ctx);
    expect(update).toMatchObject({
      card: { card_type: 'button_interaction', task_id: 'xa_task_1', main_title: { title: '已登记 YH-2026-0001' } },
    });
    expect(update).not.toHaveProperty('userids');
  });

  it('shows a form only to the clicker, its link signed for them', () => {
    const update = clickUpdate({ card: bindingForm }, group, ctx);
    expect(update?.userids).toEqual(['sunbaba']);
    const link = update?.card.jump_list?.find((jump) => jump.title === '填写：核对并确认');
    expect(actionClaims(link!.url)).toMatchObject({ userId: 'sunbaba', chatId: 'wrParents' });
  });

  it("turns a toast alone into a notice for the clicker's eyes only", () => {
    const update = clickUpdate({ toast: { type: 'warning', text: '这张回执卡片不是发给本群班级的。' } }, group, ctx);
    expect(update).toMatchObject({
      userids: ['sunbaba'],
      card: {
        card_type: 'text_notice',
        task_id: 'xa_task_1',
        main_title: { title: '请注意' },
        sub_title_text: '这张回执卡片不是发给本群班级的。',
        card_action: { type: 0 },
      },
    });
  });

  it('needs no audience in a 1:1 chat, and nothing to say means no update', () => {
    const direct = click({ id: 'sunbaba', type: 'direct' });
    expect(clickUpdate({ toast: { type: 'success', text: '已确认' } }, direct, ctx)).not.toHaveProperty('userids');
    expect(clickUpdate({}, group, ctx)).toBeNull();
  });
});
