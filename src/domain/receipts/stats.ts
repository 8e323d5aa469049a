import { compareClassNames } from '../roster/class-name.js';

/**
 * Receipt progress: counts per class rolled up to school and district. Groups only ever see counts;
 * names of students still missing go to their class teacher alone (see missing-list.ts).
 */

export interface ClassReceiptCount {
  classId: string;
  className: string;
  schoolId: string;
  schoolName: string;
  studentCount: number;
  confirmedCount: number;
}

export interface Completion {
  studentCount: number;
  confirmedCount: number;
  missingCount: number;
  /** confirmed / students, 0..1; 0 when there are no students. */
  rate: number;
}

export interface ClassProgress extends Completion {
  classId: string;
  className: string;
}

export interface SchoolProgress extends Completion {
  schoolId: string;
  schoolName: string;
  /** School order (grade, then class number). */
  classes: ClassProgress[];
  completeClassCount: number;
}

export interface DistrictProgress extends Completion {
  /** By name. */
  schools: SchoolProgress[];
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

function completion(studentCount: number, confirmedCount: number): Completion {
  const students = Math.max(0, studentCount);
  // A receipt can outlive its student (removed from the roster later); never report more than 100 %.
  const confirmed = Math.min(Math.max(0, confirmedCount), students);
  return {
    studentCount: students,
    confirmedCount: confirmed,
    missingCount: students - confirmed,
    rate: students === 0 ? 0 : confirmed / students,
  };
}

function sum(items: readonly Completion[]): Completion {
  return completion(
    items.reduce((total, item) => total + item.studentCount, 0),
    items.reduce((total, item) => total + item.confirmedCount, 0),
  );
}

export function rollupReceipts(rows: readonly ClassReceiptCount[]): DistrictProgress {
  const byClass = new Map<string, ClassReceiptCount>();
  for (const row of rows) {
    const seen = byClass.get(row.classId);
    byClass.set(
      row.classId,
      seen
        ? {
            ...seen,
            studentCount: seen.studentCount + row.studentCount,
            confirmedCount: seen.confirmedCount + row.confirmedCount,
          }
        : row,
    );
  }
  const bySchool = new Map<string, { schoolName: string; classes: ClassProgress[] }>();
  for (const row of byClass.values()) {
    const school = bySchool.get(row.schoolId) ?? { schoolName: row.schoolName, classes: [] };
    school.classes.push({
      classId: row.classId,
      className: row.className,
      ...completion(row.studentCount, row.confirmedCount),
    });
    bySchool.set(row.schoolId, school);
  }
  const schools: SchoolProgress[] = [...bySchool].map(([schoolId, { schoolName, classes }]) => {
    classes.sort((a, b) => compareClassNames(a.className, b.className));
    return {
      schoolId,
      schoolName,
      classes,
      completeClassCount: classes.filter((c) => c.studentCount > 0 && c.missingCount === 0).length,
      ...sum(classes),
    };
  });
  schools.sort((a, b) => collator.compare(a.schoolName, b.schoolName));
  return { schools, ...sum(schools) };
}

/** "83.3%": rounded down, so 99.96 % never shows as 100 %. */
export function formatRate(rate: number): string {
  const tenths = Math.floor(rate * 1000 + 1e-9);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}%`;
}

/** "已确认 35/42" */
export function countText(progress: Pick<Completion, 'confirmedCount' | 'studentCount'>): string {
  return `已确认 ${progress.confirmedCount}/${progress.studentCount}`;
}

function withRate(progress: Completion): string {
  return `${countText(progress)}（${formatRate(progress.rate)}）`;
}

export interface GroupProgressInput {
  letterTitle: string;
  confirmedCount: number;
  studentCount: number;
  deadlineText?: string;
}

/** For a class parents' group: counts only, never names. */
export function groupProgressText(input: GroupProgressInput): string {
  const progress = completion(input.studentCount, input.confirmedCount);
  const head = `《${input.letterTitle}》回执：${countText(progress)}。`;
  if (progress.studentCount > 0 && progress.missingCount === 0) return `${head}全班家长均已确认，感谢配合！`;
  const deadline = input.deadlineText ? `，截止 ${input.deadlineText}` : '';
  return `${head}还没确认的家长，请点击本群卡片上的“我已阅读并承诺”${deadline}。`;
}

/** For the staff group, the principal and class teachers: per-class counts, no names. */
export function schoolProgressText(school: SchoolProgress, letterTitle: string): string {
  const lines = [
    `《${letterTitle}》回执进度 · ${school.schoolName}`,
    `合计 ${withRate(school)}，已完成 ${school.completeClassCount}/${school.classes.length} 个班`,
    ...school.classes.map((c) => `${c.className} ${withRate(c)}`),
  ];
  return lines.join('\n');
}

/** For the bureau: schools with the lowest completion first, so laggards are seen first. */
export function districtProgressText(district: DistrictProgress, letterTitle: string, limit = 30): string {
  const schools = [...district.schools].sort((a, b) => a.rate - b.rate || collator.compare(a.schoolName, b.schoolName));
  const shown = schools.slice(0, limit);
  const lines = [
    `《${letterTitle}》回执进度 · 全区 ${district.schools.length} 所学校`,
    `合计 ${withRate(district)}`,
    '按完成率从低到高：',
    ...shown.map((s) => `${s.schoolName} ${withRate(s)}，已完成 ${s.completeClassCount}/${s.classes.length} 个班`),
  ];
  if (schools.length > shown.length) lines.push(`其余 ${schools.length - shown.length} 所学校请在看板查看`);
  return lines.join('\n');
}
