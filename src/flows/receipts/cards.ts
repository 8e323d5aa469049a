import type { LetterTemplate } from '../../../bot-flows/letters/index.js';
import type { ActionValue, Card, CardButton } from '../../model/card.js';

/** The letter card posted to a class parents' group, and the one-time binding form for an unknown parent. */

export interface LetterCardInput {
  letter: Pick<LetterTemplate, 'title' | 'summary' | 'confirmLabel' | 'confirmation'>;
  campaignId: string;
  classId: string;
  className: string;
  deadlineLabel: string;
  /** The signed H5 page of this campaign and class. */
  pageUrl: string;
}

export const CONFIRM_BUTTON_ID = 'receipt-confirm';
export const BIND_SUBMIT_ID = 'receipt-bind-submit';

export function receiptValue(op: 'confirm' | 'bind', campaignId: string, classId: string): ActionValue {
  return { flow: 'receipt', op, campaign: campaignId, class: classId };
}

function linkButtons(pageUrl: string): CardButton[] {
  return [
    { id: 'receipt-read', label: '查看全文', style: 'default', url: pageUrl },
    { id: 'receipt-web', label: '在网页中确认', style: 'default', url: `${pageUrl}#confirm` },
  ];
}

export function letterCard(input: LetterCardInput): Card {
  const [read, web] = linkButtons(input.pageUrl);
  return {
    title: input.letter.title,
    tone: 'info',
    blocks: [
      { type: 'markdown', text: input.letter.summary },
      {
        type: 'fields',
        fields: [
          { label: '班级', value: input.className },
          { label: '截止', value: input.deadlineLabel },
        ],
      },
    ],
    buttons: [
      read!,
      {
        id: CONFIRM_BUTTON_ID,
        label: input.letter.confirmLabel,
        style: 'primary',
        value: receiptValue('confirm', input.campaignId, input.classId),
      },
      web!,
    ],
    footer: `${input.letter.confirmation}\n每个孩子只需一位家长确认；群里只显示确认人数。`,
  };
}

/**
 * Asked once per parent: the child's name and the last four digits of the phone the school has on file.
 * The text never echoes what the roster holds.
 */
export function bindingCard(input: LetterCardInput, notice?: string): Card {
  return {
    title: `${input.letter.title} · 核对家长身份`,
    tone: notice ? 'warning' : 'info',
    blocks: [
      {
        type: 'markdown',
        text:
          (notice ? `**${notice}**\n\n` : '') +
          '第一次确认需要核对身份：请填写孩子的姓名和您在学校登记的手机号后 4 位。核对通过后，以后点一下就能确认。',
      },
    ],
    buttons: linkButtons(input.pageUrl),
    form: {
      id: 'receipt-bind',
      inputs: [
        { type: 'text', name: 'studentName', label: '孩子姓名', placeholder: '例如：张小明', required: true },
        { type: 'text', name: 'phoneDigits', label: '登记手机号后 4 位', placeholder: '例如：1234', required: true },
      ],
      submit: {
        id: BIND_SUBMIT_ID,
        label: '核对并确认',
        value: receiptValue('bind', input.campaignId, input.classId),
      },
    },
    footer: `${input.className} · 截止 ${input.deadlineLabel}。信息只用于核对，不会显示给其他人。`,
  };
}
