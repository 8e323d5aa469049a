/**
 * The names of students whose families have not confirmed yet. Only the class teacher may see them, and
 * only privately (a direct message or the teacher's H5 view); groups see counts (stats.ts).
 */

export interface ClassStudent {
  studentId: string;
  name: string;
  /** '' when the roster has none. */
  studentNo: string;
}

export interface MissingListInput {
  letterTitle: string;
  className: string;
  students: readonly ClassStudent[];
  confirmedStudentIds: ReadonlySet<string> | readonly string[];
  deadlineText?: string;
}

export interface MissingListViewer {
  /** Where the list would be shown. */
  channel: 'direct' | 'group' | 'h5';
  /** The viewer holds the class_teacher grant for this class. */
  isClassTeacher: boolean;
}

export type MissingListResult = { ok: true; missing: ClassStudent[]; text: string } | { ok: false; reason: string };

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

export function buildMissingList(input: MissingListInput, viewer: MissingListViewer): MissingListResult {
  if (viewer.channel === 'group') {
    return { ok: false, reason: '未确认学生名单只私信发给本班班主任，群里只显示人数。' };
  }
  if (!viewer.isClassTeacher) return { ok: false, reason: '只有本班班主任可以查看未确认学生名单。' };

  const confirmed = new Set(input.confirmedStudentIds);
  const missing = input.students
    .filter((s) => !confirmed.has(s.studentId))
    .sort((a, b) => collator.compare(a.studentNo, b.studentNo) || collator.compare(a.name, b.name));
  const total = input.students.length;
  const head = `${input.className}《${input.letterTitle}》回执`;
  if (missing.length === 0) return { ok: true, missing, text: `${head}已全部确认（${total}/${total}）。` };

  const lines = [
    `${head}还有 ${missing.length} 名学生的家长未确认（已确认 ${total - missing.length}/${total}）：`,
    ...missing.map((s, index) => `${index + 1}. ${s.name}${s.studentNo ? `（${s.studentNo}）` : ''}`),
    `${input.deadlineText ? `截止 ${input.deadlineText}。` : ''}可提醒以上学生的家长点击家长群里的卡片确认。`,
  ];
  return { ok: true, missing, text: lines.join('\n') };
}
