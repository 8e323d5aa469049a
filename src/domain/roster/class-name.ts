import { normaliseText } from './text.js';

/**
 * Class names as schools write them: 三年级2班, 三年级（2）班, 3年级二班, 三(2)班, 初一3班, 高二(5)班, 大班1班.
 * The stored name is what the roster says (only spacing and width normalised); the match key lets a
 * teacher type a class in another common spelling, and the sort puts grades in school order.
 */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

function chineseNumeralValue(run: string): number {
  const tenAt = run.indexOf('十');
  if (tenAt === -1) return Number([...run].map((ch) => DIGITS[ch] ?? 0).join(''));
  const tens = tenAt === 0 ? 1 : (DIGITS[run.slice(0, tenAt)] ?? 1);
  const units = run.length > tenAt + 1 ? (DIGITS[run.slice(tenAt + 1)] ?? 0) : 0;
  return tens * 10 + units;
}

function withArabicNumerals(value: string): string {
  return value.replace(/[零〇一二两三四五六七八九十]+/g, (run) => String(chineseNumeralValue(run)));
}

/** The class name as stored: full-width folded, all whitespace removed. */
export function normaliseClassName(value: string): string {
  return normaliseText(value).replace(/\s+/g, '');
}

interface ClassParts {
  /** '3' for 三年级, '初1', '高2', '幼大'; '' when the name has no recognisable grade. */
  grade: string;
  /** School-order rank of the grade (kindergarten < primary < 初中 < 高中); 100 when unknown. */
  gradeRank: number;
  /** The class number within the grade, or null. */
  classNo: number | null;
  /** The remainder when the name does not follow a grade + number pattern. */
  rest: string;
}

const KINDERGARTEN: Record<string, number> = { 托: 0, 小: 1, 中: 2, 大: 3 };

function splitClassName(name: string): ClassParts {
  const value = withArabicNumerals(normaliseClassName(name)).replace(/[（(]\s*(\d+)\s*[)）]/g, '($1)');
  const patterns: [RegExp, (m: RegExpMatchArray) => { grade: string; gradeRank: number }][] = [
    [/^(\d{1,2})年级/, (m) => ({ grade: m[1]!, gradeRank: 10 + Number(m[1]) })],
    [/^初(\d)(?:年级)?/, (m) => ({ grade: `初${m[1]}`, gradeRank: 16 + Number(m[1]) })],
    [/^高(\d)(?:年级)?/, (m) => ({ grade: `高${m[1]}`, gradeRank: 19 + Number(m[1]) })],
    [/^([托小中大])班?(?=\(?\d)/, (m) => ({ grade: `幼${m[1]}`, gradeRank: KINDERGARTEN[m[1]!]! })],
    [/^(\d{1,2})(?=\(\d+\)|[.\-_/]\d)/, (m) => ({ grade: m[1]!, gradeRank: 10 + Number(m[1]) })],
  ];
  for (const [pattern, grade] of patterns) {
    const match = value.match(pattern);
    if (!match) continue;
    const tail = value.slice(match[0].length).replace(/^[.\-_/]/, '');
    const numbered = tail.match(/^\(?(\d+)\)?班?$/);
    return {
      ...grade(match),
      classNo: numbered ? Number(numbered[1]) : null,
      rest: numbered ? '' : tail,
    };
  }
  return { grade: '', gradeRank: 100, classNo: null, rest: value };
}

/** Equal for spellings of the same class: 三年级（2）班 = 3年级2班 = 三年级二班 = 三(2)班. */
export function classMatchKey(name: string): string {
  const parts = splitClassName(name);
  if (!parts.grade) return parts.rest.toLowerCase();
  return `${parts.grade}|${parts.classNo ?? ''}|${parts.rest.toLowerCase()}`;
}

/** The grade key of a class ('3', '初1', …) or '' — used to expand "三年级" to all its classes. */
export function gradeKey(name: string): string {
  return splitClassName(name).grade;
}

/** The grade key of a bare grade word such as 三年级, 初一, 高二, 大班; '' when it is not one. */
export function gradeKeyOfWord(word: string): string {
  const value = withArabicNumerals(normaliseClassName(word));
  const match = value.match(/^(\d{1,2})年级$/) ?? value.match(/^(初\d)(?:年级)?$/) ?? value.match(/^(高\d)(?:年级)?$/);
  if (match) return match[1]!;
  const kindergarten = value.match(/^([托小中大])班$/);
  return kindergarten ? `幼${kindergarten[1]}` : '';
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

/** School order: by grade, then class number, then name. */
export function compareClassNames(a: string, b: string): number {
  const pa = splitClassName(a);
  const pb = splitClassName(b);
  if (pa.gradeRank !== pb.gradeRank) return pa.gradeRank - pb.gradeRank;
  if (pa.grade !== pb.grade) return collator.compare(pa.grade, pb.grade);
  if (pa.classNo !== null && pb.classNo !== null && pa.classNo !== pb.classNo) return pa.classNo - pb.classNo;
  return collator.compare(a, b);
}
