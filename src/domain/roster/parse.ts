import { classMatchKey, compareClassNames, normaliseClassName } from './class-name.js';
import { mapHeaderRow, ROSTER_COLUMNS, type RosterField } from './columns.js';
import { normalisePhone } from './phone.js';
import { normaliseRelation, type Relation } from './relation.js';
import { type CellValue, cellText, charCount, normalisePersonName, normaliseText } from './text.js';

/**
 * Parses a school roster (one row per guardian) into students and guardians. Pure: the caller reads
 * the file (src/cli/commands/roster-file.node.ts) and hands over the rows; line numbers are the
 * spreadsheet's own (row index + 1, header usually on line 1).
 *
 * Identity follows the database keys, so a re-import of the same file updates in place: a student is
 * (class, name, 学号), a guardian is the phone number (hashed by the caller) within the school.
 */

export interface RosterGuardianLink {
  /** Normalised 11-digit number: the guardian's key. Hash it before storing. */
  phone: string;
  relation: Relation;
  line: number;
}

/** One student, with every guardian the file names for them. */
export interface RosterRow {
  key: string;
  /** The first line that names the student. */
  line: number;
  className: string;
  studentName: string;
  /** '' when the roster has none. */
  studentNo: string;
  guardians: RosterGuardianLink[];
}

/** One guardian (one phone number), linked to each of their students (siblings share a guardian). */
export interface RosterGuardian {
  phone: string;
  name: string;
  line: number;
  students: { key: string; relation: Relation }[];
}

export interface RosterProblem {
  line: number;
  /** Shown to the school administrator; says what was done and never repeats phone numbers. */
  reason: string;
  /** fatal: nothing imported · error: the row (or its guardian) was not imported · warning: imported as noted. */
  severity: 'fatal' | 'error' | 'warning';
}

export interface RosterParseResult {
  rows: RosterRow[];
  guardians: RosterGuardian[];
  /** Distinct class names in school order. */
  classNames: string[];
  /** Sorted by line. */
  problems: RosterProblem[];
  /** Set when the file cannot be used at all (also listed in problems); rows are then empty. */
  fatal: RosterProblem | null;
  headerLine: number;
}

export const MAX_ROSTER_ROWS = 50_000;
const MAX_NAME_CHARS = 30;
const MAX_CLASS_CHARS = 40;
const HEADER_SEARCH_ROWS = 10;

export function studentKey(className: string, studentName: string, studentNo: string): string {
  return JSON.stringify([className, studentName, studentNo]);
}

interface Entry {
  line: number;
  className: string;
  studentName: string;
  studentNo: string;
  guardian: { phone: string; name: string; relation: Relation } | null;
}

type Row = readonly CellValue[];

function isBlank(row: Row): boolean {
  return row.every((cell) => cellText(cell) === '');
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

const TEMPLATE_HINT = `请使用模板的表头：${ROSTER_COLUMNS.map((c) => (c.required ? c.label : `${c.label}（选填）`)).join('、')}，每位家长一行`;

function fatalResult(line: number, reason: string): RosterParseResult {
  const fatal: RosterProblem = { line, reason, severity: 'fatal' };
  return { rows: [], guardians: [], classNames: [], problems: [fatal], fatal, headerLine: line };
}

function findHeader(rows: readonly Row[]) {
  let best: { line: number; mapping: ReturnType<typeof mapHeaderRow>; found: number } | null = null;
  let seen = 0;
  for (let index = 0; index < rows.length && seen < HEADER_SEARCH_ROWS; index++) {
    const row = rows[index]!;
    if (isBlank(row)) continue;
    seen++;
    const mapping = mapHeaderRow(row.map(cellText));
    const found = Object.keys(mapping.columns).length;
    if (mapping.missing.length === 0) return { line: index + 1, mapping, found };
    if (!best || found > best.found) best = { line: index + 1, mapping, found };
  }
  return best;
}

export function parseRoster(rows: readonly Row[]): RosterParseResult {
  const header = findHeader(rows);
  if (!header) return fatalResult(1, '文件中没有数据');
  if (header.found === 0) return fatalResult(header.line, `找不到表头。${TEMPLATE_HINT}`);
  if (header.mapping.missing.length > 0) {
    const names = header.mapping.missing.map((c) => c.label).join('、');
    return fatalResult(header.line, `缺少必需的列：${names}。${TEMPLATE_HINT}`);
  }
  if (rows.length - header.line > MAX_ROSTER_ROWS) {
    return fatalResult(header.line, `数据超过 ${MAX_ROSTER_ROWS} 行，请按学校拆分后分别导入`);
  }

  const problems: RosterProblem[] = [];
  const labelOf = (field: RosterField) => ROSTER_COLUMNS.find((c) => c.field === field)!.label;
  for (const ignored of header.mapping.ignored) {
    problems.push({
      line: header.line,
      reason: `第 ${columnLetter(ignored.index)} 列“${ignored.header}”与已识别的“${labelOf(ignored.field)}”列重复，已忽略`,
      severity: 'warning',
    });
  }

  const entries = readEntries(rows, header.line, header.mapping.columns, problems);
  const resolved = resolveStudentNumbers(entries, problems);
  const result = assemble(resolved, problems);
  warnSimilarClassNames(resolved, problems);
  problems.sort((a, b) => a.line - b.line);
  return { ...result, problems, fatal: null, headerLine: header.line };
}

function readEntries(
  rows: readonly Row[],
  headerLine: number,
  columns: Partial<Record<RosterField, number>>,
  problems: RosterProblem[],
): Entry[] {
  const cell = (row: Row, field: RosterField) => {
    const index = columns[field];
    return index === undefined ? '' : cellText(row[index]);
  };
  const entries: Entry[] = [];
  for (let index = headerLine; index < rows.length; index++) {
    const row = rows[index]!;
    const line = index + 1;
    if (isBlank(row)) continue;
    const problem = (reason: string, severity: RosterProblem['severity']) => problems.push({ line, reason, severity });

    const className = normaliseClassName(cell(row, 'className'));
    const studentName = normalisePersonName(cell(row, 'studentName'));
    if (!className || !studentName) {
      const what = !className && !studentName ? '班级和学生姓名都' : !className ? '班级' : '学生姓名';
      problem(`${what}为空，已跳过该行`, 'error');
      continue;
    }
    if (charCount(className) > MAX_CLASS_CHARS) {
      problem(`班级名称超过 ${MAX_CLASS_CHARS} 个字，已跳过该行`, 'error');
      continue;
    }
    if (charCount(studentName) > MAX_NAME_CHARS) {
      problem(`学生姓名超过 ${MAX_NAME_CHARS} 个字，已跳过该行`, 'error');
      continue;
    }
    const studentNo = normaliseText(cell(row, 'studentNo')).replace(/\s+/g, '');
    entries.push({ line, className, studentName, studentNo, guardian: readGuardian(row, cell, problem) });
  }
  return entries;
}

function readGuardian(
  row: Row,
  cell: (row: Row, field: RosterField) => string,
  problem: (reason: string, severity: RosterProblem['severity']) => void,
): Entry['guardian'] {
  const rawPhone = cell(row, 'phone');
  if (!rawPhone) {
    problem('手机号为空，已导入学生，未导入该家长', 'error');
    return null;
  }
  const phone = normalisePhone(rawPhone);
  if (!phone) {
    problem('手机号格式不正确（应为 11 位手机号，可带空格、横线或 +86），已导入学生，未导入该家长', 'error');
    return null;
  }
  let name = normalisePersonName(cell(row, 'guardianName'));
  if (!name) problem('家长姓名为空', 'warning');
  if (charCount(name) > MAX_NAME_CHARS) {
    problem(`家长姓名超过 ${MAX_NAME_CHARS} 个字，已截断`, 'warning');
    name = [...name].slice(0, MAX_NAME_CHARS).join('');
  }
  const rawRelation = cell(row, 'relation');
  const { relation, recognised } = normaliseRelation(rawRelation);
  if (!rawRelation) problem('关系为空，已记为“其他监护人”', 'warning');
  else if (!recognised)
    problem(`关系“${[...rawRelation].slice(0, 10).join('')}”无法识别，已记为“其他监护人”`, 'warning');
  return { phone, name, relation };
}

/**
 * Rows of one student often give 学号 only once (the other guardian rows leave it empty, or the cell was
 * merged): an empty 学号 joins the only same-named student of the class that has one. With several
 * same-named students the row is ambiguous and skipped.
 */
function resolveStudentNumbers(entries: Entry[], problems: RosterProblem[]): Entry[] {
  const numbersByName = new Map<string, Map<string, number>>();
  for (const entry of entries) {
    if (!entry.studentNo) continue;
    const nameKey = JSON.stringify([entry.className, entry.studentName]);
    const numbers = numbersByName.get(nameKey) ?? new Map<string, number>();
    if (!numbers.has(entry.studentNo)) numbers.set(entry.studentNo, entry.line);
    numbersByName.set(nameKey, numbers);
  }
  const resolved: Entry[] = [];
  for (const entry of entries) {
    if (entry.studentNo) {
      resolved.push(entry);
      continue;
    }
    const numbers = numbersByName.get(JSON.stringify([entry.className, entry.studentName]));
    if (!numbers || numbers.size === 0) resolved.push(entry);
    else if (numbers.size === 1) resolved.push({ ...entry, studentNo: [...numbers.keys()][0]! });
    else {
      problems.push({
        line: entry.line,
        reason: '本班有多名同名学生，该行未填学号，无法确定是哪一位，已跳过该行',
        severity: 'error',
      });
    }
  }

  const firstByNumber = new Map<string, Entry>();
  for (const entry of resolved) {
    if (!entry.studentNo) continue;
    const numberKey = JSON.stringify([entry.className, entry.studentNo]);
    const first = firstByNumber.get(numberKey);
    if (!first) firstByNumber.set(numberKey, entry);
    else if (first.studentName !== entry.studentName) {
      problems.push({
        line: entry.line,
        reason: `学号与第 ${first.line} 行的另一名学生相同，请核对`,
        severity: 'warning',
      });
    }
  }
  return resolved;
}

function assemble(entries: Entry[], problems: RosterProblem[]) {
  const students = new Map<string, RosterRow>();
  const guardians = new Map<string, RosterGuardian>();
  for (const entry of entries) {
    const key = studentKey(entry.className, entry.studentName, entry.studentNo);
    let student = students.get(key);
    if (!student) {
      student = {
        key,
        line: entry.line,
        className: entry.className,
        studentName: entry.studentName,
        studentNo: entry.studentNo,
        guardians: [],
      };
      students.set(key, student);
    }
    if (!entry.guardian) continue;
    const { phone, name, relation } = entry.guardian;

    const existingLink = student.guardians.find((link) => link.phone === phone);
    if (existingLink) {
      problems.push({
        line: entry.line,
        reason: `与第 ${existingLink.line} 行重复（同一学生、同一手机号），已合并`,
        severity: 'warning',
      });
      continue;
    }
    student.guardians.push({ phone, relation, line: entry.line });

    const guardian = guardians.get(phone);
    if (!guardian) {
      guardians.set(phone, { phone, name, line: entry.line, students: [{ key, relation }] });
      continue;
    }
    guardian.students.push({ key, relation });
    if (!guardian.name) guardian.name = name;
    else if (name && name !== guardian.name) {
      problems.push({
        line: entry.line,
        reason: `该手机号在第 ${guardian.line} 行登记的家长姓名不同，已沿用第 ${guardian.line} 行的姓名`,
        severity: 'warning',
      });
    }
  }
  const classNames = [...new Set([...students.values()].map((s) => s.className))].sort(compareClassNames);
  return { rows: [...students.values()], guardians: [...guardians.values()], classNames };
}

function warnSimilarClassNames(entries: Entry[], problems: RosterProblem[]): void {
  const firstSpelling = new Map<string, { name: string; line: number }>();
  const warned = new Set<string>();
  for (const entry of entries) {
    const matchKey = classMatchKey(entry.className);
    const first = firstSpelling.get(matchKey);
    if (!first) firstSpelling.set(matchKey, { name: entry.className, line: entry.line });
    else if (first.name !== entry.className && !warned.has(entry.className)) {
      warned.add(entry.className);
      problems.push({
        line: entry.line,
        reason: `班级“${entry.className}”与第 ${first.line} 行的“${first.name}”可能是同一个班，写法不同会作为两个班导入，请统一写法`,
        severity: 'warning',
      });
    }
  }
}
