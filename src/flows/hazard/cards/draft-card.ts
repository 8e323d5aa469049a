import type { Taxonomy } from '../../../../bot-flows/taxonomy.js';
import { LEVEL_LABELS, STATUS_LABELS } from '../../../domain/hazard/index.js';
import type { HazardLevel, HazardStatus } from '../../../domain/hazard/index.js';
import type { Card, CardButton, CardForm } from '../../../model/card.js';
import { categoryName, categoryOptions } from './format.js';

export const DRAFT_FLOW = 'hazard-draft';

/** A report awaiting confirmation, as the card shows it. */
export interface DraftView {
  id: string;
  category: string;
  level: HazardLevel;
  location: string;
  description: string;
  photoCount: number;
  deadlineHint: string | null;
  reporterName: string;
  /** The open hazard this report seems to repeat. */
  duplicate: { code: string; location: string; status: HazardStatus } | null;
}

export type DraftOutcome =
  | { kind: 'confirmed'; code: string; hazardId: string }
  | { kind: 'merged'; code: string; hazardId: string }
  | { kind: 'cancelled' };

const MAJOR_NOTE = '**建议定为重大隐患，需安全干部或校长确认。** 确认后将挂牌督办并立即通知校长。';

function fields(view: DraftView, taxonomy: Taxonomy) {
  return [
    { label: '类别', value: categoryName(taxonomy, view.category) },
    { label: '等级', value: view.level === 'major' ? '重大隐患（建议）' : LEVEL_LABELS[view.level] },
    { label: '部位', value: view.location || '（未识别，请点「修改」补充）' },
    { label: '描述', value: view.description },
    { label: '照片', value: view.photoCount > 0 ? `${view.photoCount} 张` : '无（5 分钟内补发的照片会自动附上）' },
    ...(view.deadlineHint ? [{ label: '上报人提出的时限', value: view.deadlineHint }] : []),
  ];
}

function button(id: string, label: string, style: CardButton['style'], view: DraftView, op: string): CardButton {
  return { id, label, style, value: { flow: DRAFT_FLOW, op, draft: view.id } };
}

function buttons(view: DraftView): CardButton[] {
  const edit = button('draft-edit', '修改', 'default', view, 'edit');
  const cancel = button('draft-cancel', '取消', 'danger', view, 'cancel');
  if (view.duplicate) {
    return [
      button('draft-merge', `补充到 ${view.duplicate.code}`, 'primary', view, 'merge'),
      button('draft-new', '仍然新建', 'default', view, 'confirm'),
      edit,
      cancel,
    ];
  }
  return [button('draft-confirm', '确认登记', 'primary', view, 'confirm'), edit, cancel];
}

function editForm(view: DraftView, taxonomy: Taxonomy): CardForm {
  return {
    id: 'draft-edit-form',
    inputs: [
      {
        type: 'select',
        name: 'category',
        label: '类别',
        options: categoryOptions(taxonomy),
        required: true,
        initial: view.category,
      },
      {
        type: 'select',
        name: 'level',
        label: '等级',
        options: [
          { value: 'general', label: LEVEL_LABELS.general },
          { value: 'major', label: LEVEL_LABELS.major },
        ],
        required: true,
        initial: view.level,
      },
      { type: 'text', name: 'location', label: '部位', placeholder: '如：三楼东侧楼梯口', initial: view.location },
      {
        type: 'text',
        name: 'description',
        label: '描述',
        required: true,
        multiline: true,
        initial: view.description,
      },
    ],
    submit: { id: 'draft-save', label: '保存修改', value: { flow: DRAFT_FLOW, op: 'save', draft: view.id } },
  };
}

/** The confirmation card of a new report; `editing` adds the edit form. */
export function draftCard(view: DraftView, taxonomy: Taxonomy, options: { editing?: boolean } = {}): Card {
  const major = view.level === 'major';
  const notes = [
    ...(major ? [MAJOR_NOTE] : []),
    ...(view.duplicate
      ? [
          `疑似与 **${view.duplicate.code}** 重复（${view.duplicate.location || '部位未填'}，${STATUS_LABELS[view.duplicate.status]}）。` +
            '可以把这条补充到原记录，或仍然新建。',
        ]
      : []),
  ];
  return {
    title: major ? '请确认隐患登记（建议重大隐患）' : '请确认隐患登记',
    tone: major ? 'danger' : 'warning',
    blocks: [
      { type: 'fields', fields: fields(view, taxonomy) },
      ...notes.map((text) => ({ type: 'markdown' as const, text })),
    ],
    buttons: buttons(view),
    ...(options.editing ? { form: editForm(view, taxonomy) } : {}),
    footer: `${view.reporterName} 上报 · 上报人、安全员或校长可确认`,
  };
}

/** The card once the report is settled: registered, added to an existing record, or cancelled. */
export function draftOutcomeCard(view: DraftView, taxonomy: Taxonomy, outcome: DraftOutcome): Card {
  const summary = { type: 'fields' as const, fields: fields(view, taxonomy).slice(0, 4) };
  if (outcome.kind === 'cancelled') {
    return {
      title: '隐患报告已取消',
      tone: 'info',
      blocks: [summary],
      buttons: [],
      footer: `${view.reporterName} 上报`,
    };
  }
  const show: CardButton = {
    id: 'hazard-show',
    label: '查看记录',
    style: 'default',
    value: { flow: 'hazard', op: 'show', hazard: outcome.hazardId },
  };
  return {
    title: outcome.kind === 'confirmed' ? `已登记 ${outcome.code}` : `已补充到 ${outcome.code}`,
    tone: 'success',
    blocks: [summary],
    buttons: [show],
    footer: `${view.reporterName} 上报`,
  };
}
