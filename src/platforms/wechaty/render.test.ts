import { describe, expect, it } from 'vitest';
import { createSignedLinks } from '../../http/signed-links.js';
import type { Card } from '../../model/card.js';
import { MAX_TEXT_CHARS, markdownToPlainText, renderWechatyMessage } from './render.js';

const links = createSignedLinks('k'.repeat(32), 'https://xiaoan.example.edu.cn');
const expiresAt = new Date('2026-03-09T08:00:00Z');
const ctx = { links, tenant: 'bot-wxid', chatId: '20931@chatroom', intendedUserId: '', linkExpiresAt: expiresAt };

const receiptCard: Card = {
  title: '防溺水安全告家长书',
  tone: 'warning',
  blocks: [
    { type: 'markdown', text: '**暑期将至**，请家长务必做到「六不」：\n- 不私自下水游泳\n- 不擅自与他人结伴游泳' },
    {
      type: 'fields',
      fields: [
        { label: '截止', value: '3月9日' },
        { label: '班级', value: '三年级2班' },
      ],
    },
  ],
  buttons: [
    { id: 'read', label: '查看全文', style: 'default', url: 'https://xiaoan.example.edu.cn/h5/letter/abc' },
    {
      id: 'confirm',
      label: '我已阅读并承诺',
      style: 'primary',
      value: { flow: 'receipt', op: 'confirm', campaign: 'c1' },
    },
  ],
  footer: '如有疑问请联系班主任',
};

function claimsOf(url: string) {
  const token = url.split('/h5/act/')[1]!;
  const verified = links.verify(token, new Date('2026-03-02T08:00:00Z'));
  if (!verified.ok) throw new Error(verified.reason);
  return links.actionClaims(verified.claims)!;
}

describe('renderWechatyMessage', () => {
  it('passes text through with its mentions', () => {
    expect(renderWechatyMessage({ type: 'text', text: '已登记', mentionUserIds: ['wxid_a'] }, ctx)).toEqual({
      text: '已登记',
      mentionUserIds: ['wxid_a'],
    });
  });

  it('flattens a card to title, plain text, label-value lines, link lines and the keyword hint', () => {
    const { text, mentionUserIds } = renderWechatyMessage({ type: 'card', card: receiptCard }, ctx);
    const lines = text.split('\n');
    expect(mentionUserIds).toEqual([]);
    expect(lines.slice(0, 7)).toEqual([
      '⚠️【防溺水安全告家长书】',
      '暑期将至，请家长务必做到「六不」：',
      '• 不私自下水游泳',
      '• 不擅自与他人结伴游泳',
      '截止：3月9日',
      '班级：三年级2班',
      '查看全文：https://xiaoan.example.edu.cn/h5/letter/abc',
    ]);
    expect(lines[7]).toMatch(/^我已阅读并承诺：https:\/\/xiaoan\.example\.edu\.cn\/h5\/act\/[\w-]+\.[\w-]+$/);
    expect(lines.slice(8)).toEqual(['也可直接回复「确认」完成回执', '如有疑问请联系班主任']);
  });

  it('signs each callback button for the intended actor, chat and tenant', () => {
    const { text } = renderWechatyMessage(
      { type: 'card', card: receiptCard },
      { ...ctx, chatId: '', intendedUserId: 'wxid_parent' },
    );
    const url = text
      .split('\n')
      .find((line) => line.startsWith('我已阅读并承诺：'))!
      .slice('我已阅读并承诺：'.length);
    expect(claimsOf(url)).toMatchObject({
      platform: 'wechaty',
      tenant: 'bot-wxid',
      chatId: '',
      userId: 'wxid_parent',
      value: { flow: 'receipt', op: 'confirm', campaign: 'c1' },
    });
  });

  it('degrades a form to one signed link naming what is asked, without a receipt hint elsewhere', () => {
    const card: Card = {
      title: '隐患整改',
      tone: 'danger',
      blocks: [],
      buttons: [],
      form: {
        id: 'fix',
        inputs: [
          { type: 'text', name: 'note', label: '整改说明' },
          { type: 'date', name: 'due', label: '完成日期' },
        ],
        submit: { id: 'submit', label: '提交整改', value: { flow: 'hazard', op: 'fix', hazard: 'h1' } },
      },
    };
    const { text } = renderWechatyMessage({ type: 'card', card }, ctx);
    expect(text).toMatch(/^🚨【隐患整改】\n提交整改（需填写整改说明、完成日期）：https:\/\/\S+$/);
    expect(text).not.toContain('回复「确认」');
  });

  it('truncates a long body but keeps every link whole', () => {
    const card: Card = { ...receiptCard, blocks: [{ type: 'markdown', text: '很长的内容'.repeat(1000) }] };
    const { text } = renderWechatyMessage({ type: 'card', card }, ctx);
    expect([...text].length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(text).toContain('…（内容过长，已截断）');
    const url = text
      .split('\n')
      .find((line) => line.startsWith('我已阅读并承诺：'))!
      .slice('我已阅读并承诺：'.length);
    expect(claimsOf(url).userId).toBe('');
  });
});

describe('markdownToPlainText', () => {
  it('drops markup but keeps words, links and URLs intact', () => {
    const markdown = [
      '## 本周隐患',
      '> 共 **3** 项，`2` 项逾期',
      '详见 [台账](https://x.example/ledger?a=1) 或 <https://x.example/h5/abc__def__ghi>',
      '<font color="red">紧急</font>：*请尽快*处理 ~~旧~~',
      '---',
      '1. 一楼 \\*灭火器\\*',
    ].join('\n');
    expect(markdownToPlainText(markdown)).toBe(
      [
        '本周隐患',
        '共 3 项，2 项逾期',
        '详见 台账 https://x.example/ledger?a=1 或 https://x.example/h5/abc__def__ghi',
        '紧急：请尽快处理 旧',
        '——————',
        '1. 一楼 *灭火器*',
      ].join('\n'),
    );
  });
});
