import { describe, expect, it } from 'vitest';
import { checkCard } from '../../../test/fakes/feishu/card-check.js';
import type { Card } from '../../model/card.js';
import {
  cardBytes,
  FEISHU_CARD_MAX_BYTES,
  renderFeishuCallbackAnswer,
  renderFeishuCard,
  renderFeishuMessage,
  renderFeishuText,
  renderLegacyCallbackAnswer,
} from './render.js';

const confirmCard: Card = {
  title: '隐患登记确认',
  tone: 'warning',
  blocks: [
    { type: 'markdown', text: '**三楼东侧楼梯扶手松动**\n请确认以下信息' },
    {
      type: 'fields',
      fields: [
        { label: '位置', value: '教学楼三楼' },
        { label: '等级', value: '较大*隐患*' },
      ],
    },
  ],
  buttons: [
    { id: 'ok', label: '确认登记', style: 'primary', value: { flow: 'hazard', op: 'confirm', draft: 'd-42' } },
    { id: 'no', label: '取消', style: 'danger', value: { flow: 'hazard', op: 'cancel', draft: 'd-42' } },
    { id: 'doc', label: '查看全文', style: 'default', url: 'https://xiaoan.example/h5/doc/abc' },
  ],
  form: {
    id: 'rectify',
    inputs: [
      { type: 'text', name: 'note', label: '整改说明', required: true, multiline: true, placeholder: '做了什么' },
      {
        type: 'select',
        name: 'level',
        label: '等级',
        options: [
          { value: 'general', label: '一般' },
          { value: 'major', label: '较大' },
        ],
        initial: 'general',
      },
      { type: 'date', name: 'deadline', label: '整改期限', initial: '2026-05-20' },
    ],
    submit: { id: 'submit', label: '提交', value: { flow: 'hazard', op: 'rectify', hazard: 'H-7' } },
  },
  footer: '校安 · 隐患台账',
};

type Json = Record<string, unknown>;

describe('renderFeishuCard', () => {
  const card = renderFeishuCard(confirmCard);
  const elements = card.body.elements as Json[];

  it('renders a shared JSON 2.0 card with the tone as header colour', () => {
    expect(card.schema).toBe('2.0');
    expect(card.config).toEqual({ update_multi: true });
    expect(card.header).toEqual({ title: { tag: 'plain_text', content: '隐患登记确认' }, template: 'orange' });
    const tones = { info: 'blue', warning: 'orange', danger: 'red', success: 'green' } as const;
    for (const [tone, template] of Object.entries(tones)) {
      expect(renderFeishuCard({ ...confirmCard, tone: tone as Card['tone'] }).header.template).toBe(template);
    }
  });

  it('keeps markdown as markdown and shows fields as label/value columns', () => {
    expect(elements[0]).toEqual({ tag: 'markdown', content: '**三楼东侧楼梯扶手松动**\n请确认以下信息' });
    expect(elements[2]).toEqual({
      tag: 'column_set',
      columns: [
        { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '**等级**' }] },
        {
          tag: 'column',
          width: 'weighted',
          weight: 3,
          elements: [{ tag: 'div', text: { tag: 'plain_text', content: '较大*隐患*' } }],
        },
      ],
    });
  });

  it('renders callback buttons with the ActionValue and link buttons with open_url', () => {
    const row = elements[3] as { flex_mode: string; columns: { elements: Json[] }[] };
    expect(row.flex_mode).toBe('flow');
    const buttons = row.columns.map((column) => column.elements[0]);
    expect(buttons).toEqual([
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '确认登记' },
        type: 'primary',
        behaviors: [{ type: 'callback', value: { flow: 'hazard', op: 'confirm', draft: 'd-42' } }],
      },
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '取消' },
        type: 'danger',
        behaviors: [{ type: 'callback', value: { flow: 'hazard', op: 'cancel', draft: 'd-42' } }],
      },
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '查看全文' },
        type: 'default',
        behaviors: [{ type: 'open_url', default_url: 'https://xiaoan.example/h5/doc/abc' }],
      },
    ]);
  });

  it('renders the form with named inputs and a submit button carrying the submit value', () => {
    const form = elements[4] as { tag: string; name: string; elements: Json[] };
    expect(form.tag).toBe('form');
    expect(form.name).toBe('rectify');
    const controls = form.elements.filter((element) => element.tag !== 'markdown');
    expect(controls).toEqual([
      {
        tag: 'input',
        name: 'note',
        required: true,
        placeholder: { tag: 'plain_text', content: '做了什么' },
        input_type: 'multiline_text',
      },
      {
        tag: 'select_static',
        name: 'level',
        required: false,
        placeholder: { tag: 'plain_text', content: '请选择' },
        options: [
          { text: { tag: 'plain_text', content: '一般' }, value: 'general' },
          { text: { tag: 'plain_text', content: '较大' }, value: 'major' },
        ],
        initial_option: 'general',
      },
      {
        tag: 'date_picker',
        name: 'deadline',
        required: false,
        placeholder: { tag: 'plain_text', content: '请选择日期' },
        initial_date: '2026-05-20',
      },
      {
        tag: 'button',
        name: 'submit',
        text: { tag: 'plain_text', content: '提交' },
        type: 'primary',
        form_action_type: 'submit',
        behaviors: [{ type: 'callback', value: { flow: 'hazard', op: 'rectify', hazard: 'H-7' } }],
      },
    ]);
    expect(form.elements.filter((element) => element.tag === 'markdown').map((element) => element.content)).toEqual([
      '**整改说明** <font color="red">*</font>',
      '**等级**',
      '**整改期限**',
    ]);
  });

  it('ends with the footer as notation text under a divider', () => {
    expect(elements.slice(-2)).toEqual([
      { tag: 'hr' },
      { tag: 'markdown', content: '校安 · 隐患台账', text_size: 'notation' },
    ]);
  });

  it('uses only properties card JSON 2.0 accepts', () => {
    expect(checkCard(card)).toBeUndefined();
    expect(checkCard({ ...card, body: { elements: [{ tag: 'note', elements: [] }] } })).toMatch(/unsupported/);
  });

  it('disables a button that has neither a value nor a link rather than dropping it', () => {
    const rendered = renderFeishuCard({ ...confirmCard, buttons: [{ id: 'x', label: '已处理', style: 'default' }] });
    const row = rendered.body.elements.find((element) => element.tag === 'column_set' && 'flex_mode' in element) as {
      columns: { elements: Json[] }[];
    };
    expect(row.columns[0]?.elements[0]).toMatchObject({ tag: 'button', disabled: true });
  });
});

describe('renderFeishuCard size limit', () => {
  const longText = '隐患描述：楼梯扶手松动，存在坠落风险。'.repeat(2000);

  it('truncates long markdown so the request body stays under 30 KB, keeping everything else', () => {
    const card = renderFeishuCard({
      ...confirmCard,
      blocks: [{ type: 'markdown', text: longText }, ...confirmCard.blocks],
    });
    expect(cardBytes(card)).toBeLessThanOrEqual(FEISHU_CARD_MAX_BYTES);
    const markdown = card.body.elements[0] as { content: string };
    expect(markdown.content.endsWith('…（内容过长，已截断）')).toBe(true);
    expect(markdown.content.length).toBeGreaterThan(5000);
    expect(card.body.elements.some((element) => element.tag === 'form')).toBe(true);
    expect(checkCard(card)).toBeUndefined();
  });

  it('shortens the longest texts first, field values included', () => {
    const card = renderFeishuCard({
      ...confirmCard,
      blocks: [
        { type: 'markdown', text: longText },
        { type: 'fields', fields: [{ label: '描述', value: longText }] },
      ],
    });
    expect(cardBytes(card)).toBeLessThanOrEqual(FEISHU_CARD_MAX_BYTES);
  });

  it('leaves cards that fit untouched', () => {
    expect(JSON.stringify(renderFeishuCard(confirmCard))).not.toContain('已截断');
  });
});

describe('text and callback answers', () => {
  it('renders text with <at> mentions as msg_type text', () => {
    expect(renderFeishuText('请尽快整改', ['ou_a', 'ou_b'])).toBe(
      '<at user_id="ou_a"></at> <at user_id="ou_b"></at> 请尽快整改',
    );
    expect(renderFeishuMessage({ type: 'text', text: 'hi' })).toEqual({
      msgType: 'text',
      content: '{"text":"hi"}',
    });
    const card = renderFeishuMessage({ type: 'card', card: confirmCard });
    expect(card.msgType).toBe('interactive');
    expect(JSON.parse(card.content)).toEqual(renderFeishuCard(confirmCard));
  });

  it('answers card.action.trigger with {toast, card:{type:raw, data}}', () => {
    const answer = renderFeishuCallbackAnswer({
      toast: { type: 'success', text: '已登记 YH-0001' },
      card: confirmCard,
    });
    expect(answer).toEqual({
      toast: { type: 'success', content: '已登记 YH-0001' },
      card: { type: 'raw', data: renderFeishuCard(confirmCard) },
    });
    expect(renderFeishuCallbackAnswer(undefined)).toEqual({});
  });

  it('answers old card callbacks with the card itself', () => {
    expect(renderLegacyCallbackAnswer({ card: confirmCard })).toEqual(renderFeishuCard(confirmCard));
    expect(renderLegacyCallbackAnswer({ toast: { type: 'info', text: '好' } })).toEqual({
      toast: { type: 'info', content: '好' },
    });
  });
});
