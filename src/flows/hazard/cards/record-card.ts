import type { Taxonomy } from '../../../../bot-flows/taxonomy.js';
import { LEVEL_LABELS, STATUS_LABELS } from '../../../domain/hazard/index.js';
import type { HazardLevel, HazardStatus } from '../../../domain/hazard/index.js';
import type { Card, CardButton, Tone } from '../../../model/card.js';
import { categoryName, formatTime, TIMELINE_LABELS } from './format.js';
import { HAZARD_FLOW, type RecordFormKind, recordForm } from './record-forms.js';

export interface RecordView {
  id: string;
  code: string;
  status: HazardStatus;
  category: string;
  level: HazardLevel;
  supervised: boolean;
  location: string;
  description: string;
  reporterName: string;
  reportedAt: Date;
  ownerName: string | null;
  deadline: Date | null;
  measures: string | null;
  funds: string | null;
  interimPlan: string | null;
  fixNote: string | null;
  fixedAt: Date | null;
  fixerName: string | null;
  verifierName: string | null;
  verifiedAt: Date | null;
  verifyResult: string | null;
  closedAt: Date | null;
  dismissReason: string | null;
}

export interface TimelineView {
  at: Date;
  actorName: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  photoCount: number;
}

export interface RecordCardOptions {
  taxonomy: Taxonomy;
  timeZone: string;
  now: Date;
  form?: RecordFormKind;
  /** Replaces the default "<code> · <status>" title (e.g. for a major-hazard alert). */
  title?: string;
}

const STATUS_TONES: Record<HazardStatus, Tone> = {
  reported: 'warning',
  rectifying: 'warning',
  verifying: 'info',
  closed: 'success',
  dismissed: 'info',
};

const statusName = (status: string | null) => (status ? (STATUS_LABELS[status as HazardStatus] ?? status) : '');

function field(label: string, value: string | null | undefined) {
  return value ? [{ label, value }] : [];
}

function fields(view: RecordView, options: RecordCardOptions) {
  const time = (at: Date | null) => (at ? formatTime(at, options.timeZone, options.now) : null);
  const overdue = view.status === 'rectifying' && view.deadline && view.deadline < options.now ? '（已逾期）' : '';
  const verify =
    view.verifiedAt && view.verifierName
      ? `${view.verifierName} ${time(view.verifiedAt)} ${view.verifyResult === 'passed' ? '通过' : '退回'}`
      : null;
  return [
    { label: '状态', value: STATUS_LABELS[view.status] },
    { label: '类别', value: categoryName(options.taxonomy, view.category) },
    { label: '等级', value: `${LEVEL_LABELS[view.level]}${view.supervised ? ' · 挂牌督办' : ''}` },
    ...field('部位', view.location),
    { label: '描述', value: view.description },
    { label: '发现', value: `${view.reporterName} ${time(view.reportedAt)}` },
    ...field('责任人', view.ownerName),
    ...field('整改时限', view.deadline ? `${time(view.deadline)}${overdue}` : null),
    ...field('整改措施', view.measures),
    ...field('整改资金', view.funds),
    ...field('临时防范措施/预案', view.interimPlan),
    ...field(
      '整改情况',
      view.fixedAt ? `${view.fixerName ?? ''} ${time(view.fixedAt)} ${view.fixNote ?? ''}`.trim() : null,
    ),
    ...field('复查', verify),
    ...field('销号时间', time(view.closedAt)),
    ...field('驳回原因', view.status === 'dismissed' ? view.dismissReason : null),
  ];
}

function timelineLine(entry: TimelineView, options: RecordCardOptions): string {
  const moved =
    entry.fromStatus !== entry.toStatus && entry.toStatus
      ? `（${entry.fromStatus ? `${statusName(entry.fromStatus)} ` : ''}→ ${statusName(entry.toStatus)}）`
      : '';
  const note = entry.note ? `：${entry.note}` : '';
  const photos = entry.photoCount > 0 ? `（照片 ${entry.photoCount} 张）` : '';
  const when = formatTime(entry.at, options.timeZone, options.now);
  return `- ${when} ${entry.actorName ?? '系统'} ${TIMELINE_LABELS[entry.action] ?? entry.action}${moved}${note}${photos}`;
}

function button(id: string, label: string, op: string, view: RecordView, style: CardButton['style'] = 'default') {
  return { id, label, style, value: { flow: HAZARD_FLOW, op, hazard: view.id } };
}

function buttons(view: RecordView): CardButton[] {
  const refresh = button('hazard-refresh', '刷新', 'show', view);
  switch (view.status) {
    case 'reported':
      return [
        button('hazard-open-assign', '指派', 'open-assign', view, 'primary'),
        button('hazard-open-fix', '现场整改', 'open-fix', view),
        refresh,
      ];
    case 'rectifying':
      return [
        button('hazard-open-fix', '提交整改', 'open-fix', view, 'primary'),
        button('hazard-open-assign', '改派／延期', 'open-assign', view),
        refresh,
      ];
    case 'verifying':
      return [button('hazard-open-verify', '复查', 'open-verify', view, 'primary'), refresh];
    default:
      return [refresh];
  }
}

/** A hazard record with its timeline; `form` opens the assign, fix or verify form under it. */
export function recordCard(view: RecordView, timeline: readonly TimelineView[], options: RecordCardOptions): Card {
  const major = view.level === 'major' && view.status !== 'closed' && view.status !== 'dismissed';
  const history = timeline.map((entry) => timelineLine(entry, options)).join('\n');
  return {
    title: options.title ?? `${view.code} · ${STATUS_LABELS[view.status]}`,
    tone: major ? 'danger' : STATUS_TONES[view.status],
    blocks: [
      { type: 'fields', fields: fields(view, options) },
      ...(history ? [{ type: 'markdown' as const, text: `**处理记录**\n${history}` }] : []),
    ],
    buttons: buttons(view),
    ...(options.form ? { form: recordForm(options.form, view) } : {}),
    footer: '也可以发命令：指派／整改／复查／驳回／重开／改级 加编号',
  };
}
