import { normaliseText } from './text.js';

export type RosterField = 'className' | 'studentName' | 'studentNo' | 'guardianName' | 'relation' | 'phone';

export interface RosterColumn {
  field: RosterField;
  /** The header the template uses; also how errors name the column. */
  label: string;
  required: boolean;
  /** Header spellings accepted, best first (a better spelling wins when two columns compete). */
  headers: readonly string[];
}

/** The documented roster layout (bot-flows/roster-template.csv): one row per guardian. */
export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  {
    field: 'className',
    label: '班级',
    required: true,
    headers: ['班级', '班级名称', '所在班级', '班级名', '班别', '班'],
  },
  {
    field: 'studentName',
    label: '学生姓名',
    required: true,
    headers: ['学生姓名', '学生', '姓名', '学生名字', '学生名称', '孩子姓名', '幼儿姓名'],
  },
  {
    field: 'studentNo',
    label: '学号',
    required: false,
    headers: ['学号', '学生学号', '学籍号', '学籍编号', '学生编号'],
  },
  {
    field: 'guardianName',
    label: '家长姓名',
    required: true,
    headers: ['家长姓名', '家长', '监护人姓名', '监护人', '家长名字', '联系人姓名', '联系人'],
  },
  {
    field: 'relation',
    label: '关系',
    required: true,
    headers: ['关系', '与学生关系', '与学生的关系', '家长关系', '监护人关系', '与孩子关系', '亲属关系', '称谓'],
  },
  {
    field: 'phone',
    label: '手机号',
    required: true,
    headers: [
      '手机号',
      '手机号码',
      '手机',
      '联系电话',
      '电话',
      '电话号码',
      '家长手机号',
      '家长手机',
      '家长电话',
      '监护人手机号',
      '监护人手机',
      '监护人电话',
      '联系方式',
    ],
  },
];

/** "手机号（必填）" → "手机号", "* 学号" → "学号". */
export function normaliseHeader(cell: string): string {
  return normaliseText(cell)
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, '')
    .replace(/[\s*:：]/g, '')
    .toLowerCase();
}

const HEADER_RANK = new Map<string, { field: RosterField; rank: number }>();
for (const column of ROSTER_COLUMNS) {
  for (const [rank, header] of column.headers.entries()) HEADER_RANK.set(header, { field: column.field, rank });
}

export function matchHeader(cell: string): { field: RosterField; rank: number } | undefined {
  return HEADER_RANK.get(normaliseHeader(cell));
}

export interface HeaderMapping {
  /** Column index (0-based) per recognised field. */
  columns: Partial<Record<RosterField, number>>;
  /** Headers that named a field already taken by a better or earlier column. */
  ignored: { index: number; header: string; field: RosterField }[];
  missing: RosterColumn[];
}

export function mapHeaderRow(cells: readonly string[]): HeaderMapping {
  const best = new Map<RosterField, { index: number; rank: number }>();
  const candidates: { index: number; header: string; field: RosterField; rank: number }[] = [];
  cells.forEach((header, index) => {
    const match = matchHeader(header);
    if (!match) return;
    candidates.push({ index, header, ...match });
    const current = best.get(match.field);
    if (!current || match.rank < current.rank) best.set(match.field, { index, rank: match.rank });
  });
  const columns: Partial<Record<RosterField, number>> = {};
  for (const [field, { index }] of best) columns[field] = index;
  return {
    columns,
    ignored: candidates
      .filter((c) => columns[c.field] !== c.index)
      .map(({ index, header, field }) => ({ index, header, field })),
    missing: ROSTER_COLUMNS.filter((c) => c.required && columns[c.field] === undefined),
  };
}
