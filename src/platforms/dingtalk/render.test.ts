import { describe, expect, it } from 'vitest';
import { testLinks } from '../../../test/dingtalk/helpers.js';
import type { Card } from '../../model/card.js';
import {
  CARD_PARAM_MAX_BYTES,
  type LinkContext,
  MSG_PARAM_MAX_BYTES,
  renderBody,
  renderCard,
  cardAnswerLinkContext,
  renderCardCallbackResponse,
  renderCardTemplateParams,
  toRobotApiMessage,
  toSessionWebhookBody,
  utf8Length,
  withMentions,
} from './render.js';

const links = testLinks();
const now = new Date('2026-05-20T08:00:00Z');
const ctx: LinkContext = {
  links,
  tenant: 'dingappkey',
  chatId: 'cidPARENTS3class2==',
  actorId: '',
  expiresAt: new Date(now.getTime() + 86_400_000),
};

const letterCard: Card = {
  title: '防溺水安全告家长书',
  tone: 'warning',
  blocks: [
    { type: 'markdown', text: '暑期将至，请家长督促孩子做到“六不”。' },
    { type: 'fields', fields: [{ label: '截止', value: '6月30日' }] },
  ],
  buttons: [
    {
      id: 'confirm',
      label: '我已阅读并承诺',
      style: 'primary',
      value: { flow: 'receipt', op: 'confirm', letterId: '42' },
    },
    { id: 'full', label: '查看全文', style: 'default', url: 'https://school.example/letters/42' },
  ],
  footer: '回执将计入班级统计',
};

/** The https URL inside a dingtalk://dingtalkclient/page/link?url=… wrapper. */
function unwrap(link: string): string {
  const url = new URL(link);
  expect(url.protocol).toBe('dingtalk:');
  expect(url.searchParams.get('pc_slide')).toBe('false');
  return url.searchParams.get('url')!;
}

function claimsOf(link: string) {
  const inner = unwrap(link);
  expect(inner.startsWith('http://127.0.0.1:8787/h5/act/')).toBe(true);
  const verified = links.verify(inner.split('/').pop()!, now);
  if (!verified.ok) throw new Error(`link does not verify: ${verified.reason}`);
  return links.actionClaims(verified.claims)!;
}

describe('renderCard', () => {
  it('makes callback buttons signed action links and url buttons plain links', () => {
    const message = renderCard(letterCard, ctx);
    expect(message.kind).toBe('actionCard');
    if (message.kind !== 'actionCard') return;
    expect(message.title).toBe('防溺水安全告家长书');
    expect(message.text).toContain('### 🟠 防溺水安全告家长书');
    expect(message.text).toContain('**截止**：6月30日');
    expect(message.text).toContain('> 回执将计入班级统计');
    expect(message.buttons.map((b) => b.title)).toEqual(['我已阅读并承诺', '查看全文']);
    expect(claimsOf(message.buttons[0]!.url)).toMatchObject({
      platform: 'dingtalk',
      tenant: 'dingappkey',
      chatId: 'cidPARENTS3class2==',
      userId: '',
      value: { flow: 'receipt', op: 'confirm', letterId: '42' },
    });
    expect(unwrap(message.buttons[1]!.url)).toBe('https://school.example/letters/42');
  });

  it('mints links for the intended actor', () => {
    const message = renderCard(letterCard, { ...ctx, chatId: 'dm:staff-zhang', actorId: 'staff-zhang' });
    if (message.kind !== 'actionCard') throw new Error('expected an actionCard');
    expect(claimsOf(message.buttons[0]!.url)).toMatchObject({ chatId: 'dm:staff-zhang', userId: 'staff-zhang' });
  });

  it('degrades a form to a link to the action page, never to nothing', () => {
    const card: Card = {
      title: '隐患整改提交',
      tone: 'info',
      blocks: [{ type: 'markdown', text: 'YH-2026-0007 二楼灭火器缺失' }],
      buttons: [],
      form: {
        id: 'fix',
        inputs: [
          { type: 'text', name: 'note', label: '整改说明' },
          { type: 'date', name: 'doneOn', label: '完成日期' },
        ],
        submit: { id: 'submit', label: '提交整改', value: { flow: 'hazard', op: 'submit_fix', hazardId: 'h7' } },
      },
    };
    const message = renderCard(card, ctx);
    if (message.kind !== 'actionCard') throw new Error('expected an actionCard');
    expect(message.buttons).toHaveLength(1);
    expect(message.buttons[0]!.title).toBe('提交整改');
    expect(claimsOf(message.buttons[0]!.url).value).toEqual({ flow: 'hazard', op: 'submit_fix', hazardId: 'h7' });
    expect(message.text).toContain('整改说明、完成日期');
  });

  it('is markdown when there is nothing to click, and puts buttons beyond five into the text', () => {
    expect(renderCard({ ...letterCard, buttons: [] }, ctx).kind).toBe('markdown');
    const many = Array.from({ length: 7 }, (_, i) => ({
      id: `b${i}`,
      label: `选项${i}`,
      style: 'default' as const,
      value: { flow: 'daily', op: 'pick', index: i },
    }));
    const message = renderCard({ ...letterCard, buttons: many }, ctx);
    if (message.kind !== 'actionCard') throw new Error('expected an actionCard');
    expect(message.buttons.map((b) => b.title)).toEqual(['选项0', '选项1', '选项2', '选项3', '选项4']);
    expect(message.text).toMatch(/\[选项5\]\(dingtalk:\/\/dingtalkclient\/page\/link\?url=/);
    expect(message.text).toContain('[选项6](');
  });
});

describe('toRobotApiMessage', () => {
  it('picks the msgKey by shape and passes msgParam as a JSON string', () => {
    expect(toRobotApiMessage(renderBody({ type: 'text', text: '收到' }, ctx))).toEqual({
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: '收到' }),
    });
    const two = toRobotApiMessage(renderCard(letterCard, ctx));
    expect(two.msgKey).toBe('sampleActionCard2');
    expect(Object.keys(JSON.parse(two.msgParam))).toEqual([
      'title',
      'text',
      'actionTitle1',
      'actionURL1',
      'actionTitle2',
      'actionURL2',
    ]);
    const single = toRobotApiMessage(renderCard({ ...letterCard, buttons: [letterCard.buttons[1]!] }, ctx));
    expect(single.msgKey).toBe('sampleActionCard');
    expect(JSON.parse(single.msgParam)).toMatchObject({ singleTitle: '查看全文' });
    const short = {
      ...letterCard,
      buttons: [
        { id: 'a', label: '已讲', style: 'primary' as const, value: { flow: 'lesson', op: 'done' } },
        { id: 'b', label: '稍后', style: 'default' as const, value: { flow: 'lesson', op: 'later' } },
      ],
    };
    expect(toRobotApiMessage(renderCard(short, ctx)).msgKey).toBe('sampleActionCard6');
    expect(toRobotApiMessage(renderCard({ ...letterCard, buttons: [] }, ctx)).msgKey).toBe('sampleMarkdown');
  });

  it('truncates long text to fit the 15,000-byte msgParam, keeping the buttons', () => {
    const long = { ...letterCard, blocks: [{ type: 'markdown' as const, text: '隐患'.repeat(6000) }] };
    const encoded = toRobotApiMessage(renderCard(long, ctx));
    expect(utf8Length(encoded.msgParam)).toBeLessThanOrEqual(MSG_PARAM_MAX_BYTES);
    const param = JSON.parse(encoded.msgParam);
    expect(param.text).toContain('（内容过长，已截断）');
    expect(param.actionTitle1).toBe('我已阅读并承诺');
  });
});

describe('toSessionWebhookBody', () => {
  it('encodes an actionCard with btns and an orientation', () => {
    const body = toSessionWebhookBody(renderCard(letterCard, ctx)) as {
      msgtype: string;
      actionCard: Record<string, unknown>;
    };
    expect(body.msgtype).toBe('actionCard');
    expect(body.actionCard.btnOrientation).toBe('0');
    expect(body.actionCard.btns).toHaveLength(2);
  });

  it('@-mentions users in the text and in at.atUserIds', () => {
    const body = toSessionWebhookBody(
      withMentions(renderBody({ type: 'text', text: '请尽快处理' }, ctx), ['staff-li']),
    );
    expect(body).toEqual({
      msgtype: 'text',
      text: { content: '请尽快处理 @staff-li' },
      at: { atUserIds: ['staff-li'], isAtAll: false },
    });
  });
});

describe('renderCardTemplateParams', () => {
  it('fills string slots: callback buttons carry their value, links carry signed or plain URLs', () => {
    const params = renderCardTemplateParams(letterCard, ctx);
    expect(Object.values(params).every((value) => typeof value === 'string')).toBe(true);
    expect(params).toMatchObject({
      title: '防溺水安全告家长书',
      tone: 'warning',
      btn1_text: '我已阅读并承诺',
      btn1_value: JSON.stringify({ flow: 'receipt', op: 'confirm', letterId: '42' }),
      btn1_visible: 'true',
      btn2_visible: 'false',
      link1_text: '查看全文',
      link1_visible: 'true',
      link2_visible: 'false',
    });
    expect(unwrap(params.link1_url!)).toBe('https://school.example/letters/42');
    expect(params.markdown).toContain('暑期将至');
  });

  it('keeps every value within 1 KB and the form as a link', () => {
    const card: Card = {
      ...letterCard,
      blocks: [{ type: 'markdown', text: '长'.repeat(2000) }],
      form: {
        id: 'bind',
        inputs: [{ type: 'text', name: 'student', label: '学生姓名' }],
        submit: { id: 's', label: '绑定学生', value: { flow: 'receipt', op: 'bind' } },
      },
    };
    const params = renderCardTemplateParams(card, ctx);
    for (const value of Object.values(params)) expect(utf8Length(value)).toBeLessThanOrEqual(CARD_PARAM_MAX_BYTES);
    expect(params.link1_text).toBe('绑定学生');
    expect(params.link2_text).toBe('查看全文');
  });
});

describe('renderCardCallbackResponse', () => {
  it('puts the redrawn card in cardData and the toast in the clicker’s private notice', () => {
    const response = renderCardCallbackResponse(
      {
        toast: { type: 'success', text: '已确认，感谢配合' },
        card: { ...letterCard, buttons: [], footer: '已确认 17/40' },
      },
      ctx,
    );
    expect(response.cardData?.cardParamMap).toMatchObject({ footer: '已确认 17/40', btn1_visible: 'false' });
    expect(response.userPrivateData).toEqual({
      cardParamMap: {
        notice: '已确认，感谢配合',
        notice_link_text: '',
        notice_link_url: '',
        notice_link_visible: 'false',
      },
    });
    expect(response.cardUpdateOptions).toEqual({ updateCardDataByKey: true, updatePrivateDataByKey: true });
    expect(renderCardCallbackResponse(undefined, ctx)).toEqual({});
  });

  it('keeps a form answer private: the shared card stays, the clicker gets a notice linking to the form', () => {
    const form: Card = {
      ...letterCard,
      title: '核对家长身份',
      form: {
        id: 'bind',
        inputs: [{ type: 'text', name: 'studentName', label: '孩子姓名' }],
        submit: { id: 'bind-submit', label: '核对并确认', value: { flow: 'receipt', op: 'bind', letterId: '42' } },
      },
    };
    const response = renderCardCallbackResponse({ toast: { type: 'info', text: '请先核对身份' }, card: form }, ctx);
    expect(response.cardData).toBeUndefined();
    const personal = response.userPrivateData!.cardParamMap;
    expect(personal).toMatchObject({
      notice: '请先核对身份',
      notice_link_text: '核对并确认',
      notice_link_visible: 'true',
    });
    const url = new URL(personal.notice_link_url!).searchParams.get('url')!;
    const token = url.split('/h5/act/')[1]!;
    const verified = links.verify(token, now);
    expect(verified.ok && links.actionClaims(verified.claims)?.value).toEqual({
      flow: 'receipt',
      op: 'bind',
      letterId: '42',
    });
  });
});

describe('cardAnswerLinkContext', () => {
  it('lets links on a shared group card act as whoever opens them, and on a 1:1 card as the clicker', () => {
    const actor = { platformUserId: 'staff-zhang' };
    const group = cardAnswerLinkContext(
      { tenant: 'dingappkey', chat: { id: 'cidPARENTS3class2==', type: 'group' }, actor },
      links,
      now,
    );
    expect(group).toMatchObject({ chatId: 'cidPARENTS3class2==', actorId: '' });
    const direct = cardAnswerLinkContext(
      { tenant: 'dingappkey', chat: { id: 'dm:staff-zhang', type: 'direct' }, actor },
      links,
      now,
    );
    expect(direct).toMatchObject({ chatId: '', actorId: 'staff-zhang', tenant: 'dingappkey' });
    expect(direct.expiresAt.getTime()).toBeGreaterThan(now.getTime());
  });
});
