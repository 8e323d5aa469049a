import { classMatchKey, compareClassNames, normaliseClassName } from './class-name.js';
import { type HeaderMapping, mapHeaderRow, ROSTER_COLUMNS, type RosterField } from './columns.js';
import { normalisePhone } from './phone.js';
import { normaliseRelation, type Relation } from './relation.js';
import { type CellValue, cellText, charCount, normalisePersonName, normaliseText } from './text.js';

/**
 * Parses a school roster (one row per guardian) into students and guardians. Pure: the caller reads
 * the file (src/cli/commands/roster-file.node.ts) and hands over the rows; line numbers are the
 * spreadsheet's own (row index + 1, header usually on line 1). A workbook may hold one class per
 * worksheet: every sheet with a recognisable header is read, and siblings across sheets still share
 * one guardian.
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
  /** Spreadsheet line; 0 for the file or worksheet as a whole. */
  line: number;
  /** The worksheet, when the workbook has several. */
  sheet?: string;
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
  /** Sorted by sheet, then line. */
  problems: RosterProblem[];
  /** Set when the file cannot be used at all (also listed in problems); rows are then empty. */
  fatal: RosterProblem | null;
  /** The worksheets read and where their header was found. */
  sheets: { name: string | null; headerLine: number }[];
}

export type RosterSheetRow = readonly CellValue[];

export interface RosterSheet {
  /** null for a CSV file or a single table. */
  name: string | null;
  rows: readonly RosterSheetRow[];
}

export const MAX_ROSTER_ROWS = 50_000;
const MAX_NAME_CHARS = 30;
const MAX_CLASS_CHARS = 40;
const HEADER_SEARCH_ROWS = 10;

export function studentKey(className: string, studentName: string, studentNo: string): string {
  return JSON.stringify([className, studentName, studentNo]);
}

export function rosterFailure(line: number, reason: string, sheet?: string): RosterParseResult {
  const fatal: RosterProblem = sheet ? { line, sheet, reason, severity: 'fatal' } : { line, reason, severity: 'fatal' };
  return { rows: [], guardians: [], classNames: [], problems: [fatal], fatal, sheets: [] };
}

interface Place {
  sheet: string | null;
  line: number;
}

interface Entry extends Place {
  className: string;
  studentName: string;
  studentNo: string;
  guardian: { phone: string; name: string; relation: Relation } | null;
}

class Problems {
  readonly list: RosterProblem[] = [];

  add(place: Place, reason: string, severity: RosterProblem['severity']): void {
    const { sheet, line } = place;
    this.list.push(sheet === null ? { line, reason, severity } : { line, sheet, reason, severity });
  }

  sorted(sheetOrder: (string | null)[]): RosterProblem[] {
    const rank = (p: RosterProblem) => sheetOrder.indexOf(p.sheet ?? null);
    return [...this.list].sort((a, b) => rank(a) - rank(b) || a.line - b.line);
  }
}

/** "第 3 行", or "工作表“二班”第 3 行" when the other place is on another worksheet. */
function placeRef(from: Place, to: Place): string {
  return to.sheet !== from.sheet && to.sheet !== null ? `工作表“${to.sheet}”第 ${to.line} 行` : `第 ${to.line} 行`;
}

/** A cell echoed in a problem: short, and with digit runs masked in case a phone number landed there. */
function quoteCell(value: string): string {
  const short = [...value].slice(0, 10).join('');
  return short.replace(/\d{4,}/g, (digits) => '*'.repeat(digits.length));
}

const BLANK = /^[\s\u200b-\u200d\u2060\ufeff]*$/;

function isBlank(row: RosterSheetRow): boolean {
  return row.every((cell) => cell === null || cell === undefined || (typeof cell === 'string' && BLANK.test(cell)));
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

interface HeaderFound {
  line: number;
  mapping: HeaderMapping;
  found: number;
}

/** The first row (among the first few non-blank ones) naming every required column, else the closest one. */
function findHeader(rows: readonly RosterSheetRow[]): HeaderFound | null {
  let best: HeaderFound | null = null;
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

function headerFailure(header: HeaderFound | null, sheet: string | null): RosterParseResult {
  const where = sheet === null ? undefined : sheet;
  if (!header) return rosterFailure(1, '文件中没有数据', where);
  if (header.found === 0) return rosterFailure(header.line, `找不到表头。${TEMPLATE_HINT}`, where);
  const names = header.mapping.missing.map((c) => c.label).join('、');
  return rosterFailure(header.line, `缺少必需的列：${names}。${TEMPLATE_HINT}`, where);
}

export function parseRoster(rows: readonly RosterSheetRow[]): RosterParseResult {
  return parseRosterSheets([{ name: null, rows }]);
}

export function parseRosterSheets(sheets: readonly RosterSheet[]): RosterParseResult {
  const headers = sheets.map((sheet) => ({ sheet, header: findHeader(sheet.rows) }));
  const usable = headers.filter((h) => h.header && h.header.mapping.missing.length === 0);
  if (usable.length === 0) {
    const closest = headers.reduce<(typeof headers)[number] | undefined>(
      (best, h) => ((h.header?.found ?? -1) > (best?.header?.found ?? -1) ? h : best),
      undefined,
    );
    return headerFailure(closest?.header ?? null, sheets.length > 1 ? (closest?.sheet.name ?? null) : null);
  }
  const dataRows = usable.reduce((sum, h) => sum + h.sheet.rows.length - h.header!.line, 0);
  if (dataRows > MAX_ROSTER_ROWS) {
    return rosterFailure(0, `数据超过 ${MAX_ROSTER_ROWS} 行，请按学校拆分后分别导入`);
  }

  const problems = new Problems();
  for (const { sheet, header } of headers) {
    // Sheets with no roster column at all (instructions, statistics) are left out silently.
    if (!usable.some((u) => u.sheet === sheet) && header && header.found > 0 && sheet.name !== null) {
      problems.add({ sheet: sheet.name, line: 0 }, '没有识别到完整的表头，已跳过该工作表', 'warning');
    }
  }
  const entries: Entry[] = [];
  for (const { sheet, header } of usable) {
    warnIgnoredColumns(sheet.name, header!, problems);
    for (const entry of readEntries(sheet, header!, problems)) entries.push(entry);
  }
  const resolved = resolveStudentNumbers(entries, problems);
  const result = assemble(resolved, problems);
  warnSimilarClassNames(resolved, problems);
  return {
    ...result,
    problems: problems.sorted(sheets.map((s) => s.name)),
    fatal: null,
    sheets: usable.map(({ sheet, header }) => ({ name: sheet.name, headerLine: header!.line })),
  };
}

function warnIgnoredColumns(sheet: string | null, header: HeaderFound, problems: Problems): void {
  const labelOf = (field: RosterField) => ROSTER_COLUMNS.find((c) => c.field === field)!.label;
  for (const ignored of header.mapping.ignored) {
    problems.add(
      { sheet, line: header.line },
      `第 ${columnLetter(ignored.index)} 列“${ignored.header}”与已识别的“${labelOf(ignored.field)}”列重复，已忽略`,
      'warning',
    );
  }
}

function readEntries(sheet: RosterSheet, header: HeaderFound, problems: Problems): Entry[] {
  const columns = header.mapping.columns;
  const entries: Entry[] = [];
  for (let index = header.line; index < sheet.rows.length; index++) {
    const row = sheet.rows[index]!;
    if (isBlank(row)) continue;
    const place: Place = { sheet: sheet.name, line: index + 1 };
    const cell = (field: RosterField) => {
      const column = columns[field];
      return column === undefined ? '' : cellText(row[column]);
    };
    const problem = (reason: string, severity: RosterProblem['severity']) => problems.add(place, reason, severity);

    const className = normaliseClassName(cell('className'));
    const studentName = normalisePersonName(cell('studentName'));
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
    const studentNo = normaliseText(cell('studentNo')).replace(/\s+/g, '');
    entries.push({ ...place, className, studentName, studentNo, guardian: readGuardian(cell, problem) });
  }
  return entries;
}

function readGuardian(
  cell: (field: RosterField) => string,
  problem: (reason: string, severity: RosterProblem['severity']) => void,
): Entry['guardian'] {
  const rawPhone = cell('phone');
  if (!rawPhone) {
    problem('手机号为空，已导入学生，未导入该家长', 'error');
    return null;
  }
  const phone = normalisePhone(rawPhone);
  if (!phone) {
    problem('手机号格式不正确（应为 11 位手机号，可带空格、横线或 +86），已导入学生，未导入该家长', 'error');
    return null;
  }
  let name = normalisePersonName(cell('guardianName'));
  if (!name) problem('家长姓名为空', 'warning');
  if (charCount(name) > MAX_NAME_CHARS) {
    problem(`家长姓名超过 ${MAX_NAME_CHARS} 个字，已截断`, 'warning');
    name = [...name].slice(0, MAX_NAME_CHARS).join('');
  }
  const rawRelation = cell('relation');
  const { relation, recognised } = normaliseRelation(rawRelation);
  if (!rawRelation) problem('关系为空，已记为“其他监护人”', 'warning');
  else if (!recognised) problem(`关系“${quoteCell(rawRelation)}”无法识别，已记为“其他监护人”`, 'warning');
  return { phone, name, relation };
}

/**
 * Rows of one student often give 学号 only once (the other guardian rows leave it empty, or the cell was
 * merged): an empty 学号 joins the only same-named student of the class that has one. With several
 * same-named students the row is ambiguous and skipped.
 */
function resolveStudentNumbers(entries: Entry[], problems: Problems): Entry[] {
  const numbersByName = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (!entry.studentNo) continue;
    const nameKey = JSON.stringify([entry.className, entry.studentName]);
    const numbers = numbersByName.get(nameKey) ?? new Set<string>();
    numbers.add(entry.studentNo);
    numbersByName.set(nameKey, numbers);
  }
  const resolved: Entry[] = [];
  for (const entry of entries) {
    if (entry.studentNo) {
      resolved.push(entry);
      continue;
    }
    const numbers = numbersByName.get(JSON.stringify([entry.className, entry.studentName]));
    if (!numbers) resolved.push(entry);
    else if (numbers.size === 1) resolved.push({ ...entry, studentNo: [...numbers][0]! });
    else problems.add(entry, '本班有多名同名学生，该行未填学号，无法确定是哪一位，已跳过该行', 'error');
  }

  const firstByNumber = new Map<string, Entry>();
  for (const entry of resolved) {
    if (!entry.studentNo) continue;
    const numberKey = JSON.stringify([entry.className, entry.studentNo]);
    const first = firstByNumber.get(numberKey);
    if (!first) firstByNumber.set(numberKey, entry);
    else if (first.studentName !== entry.studentName) {
      problems.add(entry, `学号与${placeRef(entry, first)}的另一名学生相同，请核对`, 'warning');
    }
  }
  return resolved;
}

function assemble(entries: Entry[], problems: Problems) {
  const students = new Map<string, RosterRow>();
  const guardians = new Map<string, RosterGuardian & { place: Place }>();
  const linkPlaces = new Map<RosterGuardianLink, Place>();
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
      const ref = placeRef(entry, linkPlaces.get(existingLink)!);
      problems.add(entry, `与${ref}重复（同一学生、同一手机号），已合并`, 'warning');
      continue;
    }
    const link: RosterGuardianLink = { phone, relation, line: entry.line };
    student.guardians.push(link);
    linkPlaces.set(link, entry);

    const guardian = guardians.get(phone);
    if (!guardian) {
      guardians.set(phone, { phone, name, line: entry.line, students: [{ key, relation }], place: entry });
      continue;
    }
    guardian.students.push({ key, relation });
    if (!guardian.name) guardian.name = name;
    else if (name && name !== guardian.name) {
      const ref = placeRef(entry, guardian.place);
      problems.add(entry, `该手机号在${ref}登记的家长姓名不同，已沿用${ref}的姓名`, 'warning');
    }
  }
  const classNames = [...new Set([...students.values()].map((s) => s.className))].sort(compareClassNames);
  return {
    rows: [...students.values()],
    guardians: [...guardians.values()].map(({ place: _place, ...guardian }) => guardian),
    classNames,
  };
}

function warnSimilarClassNames(entries: Entry[], problems: Problems): void {
  const firstSpelling = new Map<string, Entry>();
  const warned = new Set<string>();
  const matchKeys = new Map<string, string>();
  for (const entry of entries) {
    let matchKey = matchKeys.get(entry.className);
    if (matchKey === undefined) {
      matchKey = classMatchKey(entry.className);
      matchKeys.set(entry.className, matchKey);
    }
    const first = firstSpelling.get(matchKey);
    if (!first) firstSpelling.set(matchKey, entry);
    else if (first.className !== entry.className && !warned.has(entry.className)) {
      warned.add(entry.className);
      problems.add(
        entry,
        `班级“${entry.className}”与${placeRef(entry, first)}的“${first.className}”可能是同一个班，写法不同会作为两个班导入，请统一写法`,
        'warning',
      );
    }
  }
}
