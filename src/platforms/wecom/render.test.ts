import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { createSignedLinks } from '../../http/signed-links.js';
import type { ActionValue, Card } from '../../model/card.js';
import { decodeActionKey } from './action-key.js';
import {
  type RenderContext,
  cardToMarkdown,
  cardToTemplateCard,
  markdownToPlain,
  textToMentionMarkdown,
  truncateBytes,
} from './render.js';

const links = createSignedLinks('test-secret', 'https://xiaoan.example');
const now = new Date('2026-05-06T08:00:00Z');
const groupCtx: RenderContext = { links, tenant: 'aibot:aibAAAA', chatId: 'wrkGroup', now };
const directCtx: RenderContext = { ...groupCtx, chatId: '', actorUserId: 'lisi' };

const confirm: ActionValue = { flow: 'receipt', op: 'confirm', receiptId: 'r-42' };
const question: ActionValue = { flow: 'receipt', op: 'question', receiptId: 'r-42' };

const receiptCard: Card = {
  title: '防溺水安全告知书回执',
  tone: 'danger',
  blocks: [
    { type: 'markdown', text: '请家长**认真阅读**后确认。[全文](https://xiaoan.example/letter)' },
    {
      type: 'fields',
      fields: [
        { label: '班级', value: '三年级二班' },
        { label: '截止', value: '5月8日' },
      ],
    },
  ],
  buttons: [
    { id: 'ok', label: '我已阅读并确认', style: 'primary', value: confirm },
    { id: 'q', label: '有疑问', style: 'default', value: question },
    { id: 'full', label: '查看全文', style: 'default', url: 'https://xiaoan.example/letter' },
  ],
  footer: '校安 · 回执统计每小时更新',
};

function claimsOf(url: string) {
  const token = url.split('/').pop() as string;
  const verified = links.verify(token, now);
  if (!verified.ok) throw new Error(verified.reason);
  return links.actionClaims(verified.claims);
}

describe('card → button_interaction template_card', () => {
  const card = cardToTemplateCard(receiptCard, groupCtx, { allowCallbacks: true, taskId: 'xa_task_1' });

  it('carries each callback button as a key that decodes back to its ActionValue', () => {
    expect(card?.card_type).toBe('button_interaction');
    expect(card?.task_id).toBe('xa_task_1');
    expect(card?.button_list?.map((b) => [b.text, b.style, decodeActionKey(b.key)])).toEqual([
      ['我已阅读并确认', 1, confirm],
      ['有疑问', 2, question],
    ]);
  });

  it('shows title, tone, text, fields, footer and link buttons', () => {
    expect(card).toMatchObject({
      source: { desc: '校安 · 紧急', desc_color: 2 },
      main_title: { title: '防溺水安全告知书回执' },
      sub_title_text: '请家长认真阅读后确认。全文',
      horizontal_content_list: [
        { keyname: '班级', value: '三年级二班' },
        { keyname: '截止', value: '5月8日' },
      ],
      jump_list: [{ type: 1, title: '查看全文', url: 'https://xiaoan.example/letter' }],
      quote_area: { type: 0, quote_text: '校安 · 回执统计每小时更新' },
    });
  });

  it('gives two buttons with the same value two different keys', () => {
    const twin: Card = {
      ...receiptCard,
      buttons: [receiptCard.buttons[0]!, { ...receiptCard.buttons[0]!, id: 'again' }],
    };
    const keys = cardToTemplateCard(twin, groupCtx, { allowCallbacks: true, taskId: 't' })?.button_list?.map(
      (b) => b.key,
    );
    expect(new Set(keys).size).toBe(2);
  });

  it('degrades a button whose value exceeds the 1024-byte key limit to a link signed for the intended actor', () => {
    const huge: ActionValue = { flow: 'receipt', op: 'confirm', note: 'x'.repeat(1100) };
    const big: Card = { ...receiptCard, buttons: [{ id: 'big', label: '确认', style: 'primary', value: huge }] };
    const rendered = cardToTemplateCard(big, directCtx, { allowCallbacks: true, taskId: 't' });
    expect(rendered?.card_type).toBe('text_notice');
    const link = rendered?.jump_list?.[0];
    expect(link?.title).toBe('确认');
    expect(claimsOf(link?.url as string)).toEqual({
      platform: 'wecom',
      tenant: 'aibot:aibAAAA',
      chatId: '',
      userId: 'lisi',
      messageId: null,
      value: huge,
      label: '确认',
    });
    expect(rendered?.card_action).toEqual({ type: 1, url: link?.url });
  });

  it('degrades buttons beyond the sixth, and forms, to a hint when the card is for a whole group', () => {
    const many: Card = {
      ...receiptCard,
      buttons: Array.from({ length: 7 }, (_, i) => ({
        id: `b${i}`,
        label: `选项${i}`,
        style: 'default' as const,
        value: { flow: 'f', op: `o${i}` },
      })),
      form: {
        id: 'f',
        inputs: [{ type: 'text', name: 'why', label: '原因' }],
        submit: { id: 's', label: '提交', value: { flow: 'f', op: 'submit' } },
      },
    };
    const rendered = cardToTemplateCard(many, groupCtx, { allowCallbacks: true, taskId: 't' });
    expect(rendered?.button_list).toHaveLength(6);
    expect(rendered?.sub_title_text).toContain('「选项6」「填写：提交」请私聊校安机器人办理');
  });

  it('turns a form into a signed link for the intended actor', () => {
    const withForm: Card = {
      ...receiptCard,
      form: { id: 'f', inputs: [], submit: { id: 's', label: '提交整改说明', value: { flow: 'hazard', op: 'fix' } } },
    };
    const rendered = cardToTemplateCard(withForm, directCtx, { allowCallbacks: true, taskId: 't' });
    const formLink = rendered?.jump_list?.find((j) => j.title === '填写：提交整改说明');
    expect(claimsOf(formLink?.url as string)).toMatchObject({
      userId: 'lisi',
      value: { flow: 'hazard', op: 'fix' },
      label: '填写：提交整改说明',
    });
  });
});

describe('card → text_notice for the group robot (no callbacks)', () => {
  it('renders callback buttons as links signed for the intended actor', () => {
    const rendered = cardToTemplateCard(
      receiptCard,
      { ...groupCtx, actorUserId: 'zhangsan' },
      { allowCallbacks: false },
    );
    expect(rendered?.card_type).toBe('text_notice');
    expect(rendered?.button_list).toBeUndefined();
    expect(rendered?.jump_list?.map((j) => j.title)).toEqual(['我已阅读并确认', '有疑问', '查看全文']);
    expect(claimsOf(rendered?.jump_list?.[0]?.url as string)).toMatchObject({
      userId: 'zhangsan',
      value: confirm,
    });
    expect(rendered?.card_action).toEqual({ type: 1, url: 'https://xiaoan.example/letter' });
  });

  it('has no template card to offer when there is no link at all', () => {
    const noLinks: Card = { ...receiptCard, buttons: receiptCard.buttons.filter((b) => !b.url) };
    expect(cardToTemplateCard(noLinks, groupCtx, { allowCallbacks: false })).toBeNull();
    expect(cardToMarkdown(noLinks, groupCtx, 4096)).toContain('「我已阅读并确认」「有疑问」请私聊校安机器人办理');
  });

  it('renders a link-less notice with card_action type 0 when a template card is required', () => {
    const done: Card = { title: '已确认', tone: 'success', blocks: [], buttons: [] };
    expect(cardToTemplateCard(done, groupCtx, { allowCallbacks: true, taskId: 'xa_t', linklessNotice: true })).toEqual({
      card_type: 'text_notice',
      source: { desc: '校安 · 已完成', desc_color: 3 },
      main_title: { title: '已确认' },
      card_action: { type: 0 },
      task_id: 'xa_t',
    });
  });
});

describe('markdown and text', () => {
  it('renders a card as markdown with tone, fields, links and footer', () => {
    const markdown = cardToMarkdown(receiptCard, directCtx, 4096);
    expect(markdown).toContain('**【紧急】防溺水安全告知书回执**');
    expect(markdown).toContain('**班级**：三年级二班');
    expect(markdown).toContain('[查看全文](https://xiaoan.example/letter)');
    expect(markdown).toContain('[我已阅读并确认](https://xiaoan.example/h5/act/');
    expect(markdown).toContain('> 校安 · 回执统计每小时更新');
  });

  it('puts <@userid> mentions in front of the text', () => {
    expect(textToMentionMarkdown('请尽快整改', ['zhangsan', 'lisi'], 4096)).toBe('<@zhangsan> <@lisi> 请尽快整改');
    expect(textToMentionMarkdown('请尽快整改', undefined, 4096)).toBe('请尽快整改');
  });

  it('truncates on a character boundary within the byte limit and says so', () => {
    const long = '隐'.repeat(3000);
    const cut = truncateBytes(long, 2048);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…（内容过长，已截断）')).toBe(true);
    expect(cut.startsWith('隐隐')).toBe(true);
    expect(truncateBytes('短', 2048)).toBe('短');
  });

  it('strips markdown for template-card text fields', () => {
    expect(markdownToPlain('## 标题\n**粗体** 和 [链接](https://a.example) ![图](https://b.example/x.png)')).toBe(
      '标题\n粗体 和 链接',
    );
  });
});
