import type { CardForm } from '../../../model/card.js';

export const HAZARD_FLOW = 'hazard';

export type RecordFormKind = 'assign' | 'fix' | 'verify';

export interface RecordFormSubject {
  id: string;
  ownerName: string | null;
  measures: string | null;
  funds: string | null;
  interimPlan: string | null;
}

const submit = (kind: RecordFormKind, label: string, hazardId: string): CardForm['submit'] => ({
  id: `hazard-${kind}-submit`,
  label,
  value: { flow: HAZARD_FLOW, op: kind, hazard: hazardId },
});

function assignForm(subject: RecordFormSubject): CardForm {
  return {
    id: 'hazard-assign-form',
    inputs: [
      {
        type: 'text',
        name: 'owner',
        label: '整改责任人',
        required: true,
        placeholder: '姓名或 @某人',
        initial: subject.ownerName ?? '',
      },
      { type: 'text', name: 'deadline', label: '整改时限', required: true, placeholder: '如：下周五、3天内、6月30日' },
      { type: 'text', name: 'measures', label: '整改措施', initial: subject.measures ?? '' },
      {
        type: 'text',
        name: 'funds',
        label: '整改资金',
        placeholder: '如：300元；为 0 时注明原因',
        initial: subject.funds ?? '',
      },
      { type: 'text', name: 'interimPlan', label: '临时防范措施/预案', initial: subject.interimPlan ?? '' },
    ],
    submit: submit('assign', '确认指派', subject.id),
  };
}

function fixForm(subject: RecordFormSubject): CardForm {
  return {
    id: 'hazard-fix-form',
    inputs: [
      {
        type: 'text',
        name: 'note',
        label: '整改情况',
        multiline: true,
        placeholder: '整改后照片请在提交前 5 分钟内发到本聊天，会自动附上',
      },
    ],
    submit: submit('fix', '提交整改', subject.id),
  };
}

function verifyForm(subject: RecordFormSubject): CardForm {
  return {
    id: 'hazard-verify-form',
    inputs: [
      {
        type: 'select',
        name: 'verdict',
        label: '复查结果',
        required: true,
        options: [
          { value: 'pass', label: '通过，销号' },
          { value: 'reject', label: '退回整改' },
        ],
      },
      { type: 'text', name: 'note', label: '说明／退回原因', multiline: true },
    ],
    submit: submit('verify', '提交复查', subject.id),
  };
}

export function recordForm(kind: RecordFormKind, subject: RecordFormSubject): CardForm {
  switch (kind) {
    case 'assign':
      return assignForm(subject);
    case 'fix':
      return fixForm(subject);
    case 'verify':
      return verifyForm(subject);
  }
}
