import {
  classMatchKey,
  compareClassNames,
  gradeKey,
  gradeKeyOfWord,
  normaliseClassName,
} from '../roster/class-name.js';
import { findLetterIn, type LetterRef, letterNames } from './letter-match.js';

/**
 * Arguments of "回执 发起 防溺水 截止 6月30日 [班级…]". The deadline stays text here (src/domain/dates
 * turns it into a time); classes are matched against the school's list separately (resolveClassNames),
 * so the parser needs no database.
 */

export const CAMPAIGN_START_USAGE =
  '用法：回执 发起 <告知书> 截止 <日期> [班级…]，例如：回执 发起 防溺水 截止 6月30日 三年级1班 三年级2班（不写班级则发给全校，可写“三年级”表示整个年级）';

export interface CampaignStartArgs<L extends LetterRef> {
  letter: L;
  deadlineText: string;
  /** Class names or grade words as typed; empty when allClasses. */
  classNames: string[];
  allClasses: boolean;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const COMMAND_WORDS = /^(?:回执)?\s*(?:发起|新建|创建|开始)?/;
const DEADLINE_KEYWORD = /(截止日期|截止时间|截止到|截至|截止)[:：]?/g;
const TIME_OF_DAY =
  /^(?:(?:上午|下午|晚上|中午|早上)?\d{1,2}(?:[:：]\d{2}|[点時时](?:\d{1,2}分?|半)?)|(?:上午|下午|晚上|中午|早上))$/;
const ALL_CLASSES = new Set(['全校', '全部', '全部班级', '所有班级', '全体']);
const FILLER = new Set(['班级', '班级:', '班级：', '发给', '给']);
const SEPARATORS = /[\s\u3000,，、;；]+/;

export function parseCampaignStart<L extends LetterRef>(
  text: string,
  letters: readonly L[],
): ParseResult<CampaignStartArgs<L>> {
  const body = text
    .normalize('NFKC')
    .trim()
    .replace(COMMAND_WORDS, '')
    .replace(DEADLINE_KEYWORD, ' 截止 ')
    .replace(/班级[:：]/g, ' ');
  const tokens = body.split(SEPARATORS).filter((token) => token && !FILLER.has(token));

  const deadlineAt = tokens.indexOf('截止');
  if (deadlineAt === -1 || deadlineAt === tokens.length - 1) {
    return { ok: false, error: `请写明截止日期。${CAMPAIGN_START_USAGE}` };
  }
  if (tokens.lastIndexOf('截止') !== deadlineAt)
    return { ok: false, error: `截止日期只能写一个。${CAMPAIGN_START_USAGE}` };
  let deadlineEnd = deadlineAt + 2;
  while (deadlineEnd < tokens.length && TIME_OF_DAY.test(tokens[deadlineEnd]!)) deadlineEnd++;
  const deadlineText = tokens.slice(deadlineAt + 1, deadlineEnd).join(' ');
  const rest = [...tokens.slice(0, deadlineAt), ...tokens.slice(deadlineEnd)];

  if (rest.length === 0) {
    return { ok: false, error: `请写明要发哪一封告知书（${letterNames(letters)}）。${CAMPAIGN_START_USAGE}` };
  }
  const letterAt = rest.findIndex((token) => findLetterIn(letters, token));
  if (letterAt === -1) {
    return { ok: false, error: `没有找到告知书“${rest[0]}”。可以发起的有：${letterNames(letters)}。` };
  }
  const letter = findLetterIn(letters, rest[letterAt]!)!;
  const classTokens = rest.filter((_, index) => index !== letterAt);
  const allClasses = classTokens.length === 0 || classTokens.every((token) => ALL_CLASSES.has(token));
  if (!allClasses && classTokens.some((token) => ALL_CLASSES.has(token))) {
    return { ok: false, error: '“全校”和具体班级不能同时写，请二选一。' };
  }
  return {
    ok: true,
    value: { letter, deadlineText, classNames: allClasses ? [] : [...new Set(classTokens)], allClasses },
  };
}

/**
 * Maps typed class names (any common spelling) and grade words (三年级, 初一) to the school's classes.
 * Every unknown or ambiguous name is reported at once, so the teacher fixes the command in one go.
 */
export function resolveClassNames(requested: readonly string[], known: readonly string[]): ParseResult<string[]> {
  const byExact = new Map(known.map((name) => [normaliseClassName(name), name]));
  const byKey = new Map<string, string[]>();
  for (const name of known) {
    const key = classMatchKey(name);
    byKey.set(key, [...(byKey.get(key) ?? []), name]);
  }
  const resolved = new Set<string>();
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const raw of requested) {
    const typed = normaliseClassName(raw);
    const exact = byExact.get(typed);
    if (exact) {
      resolved.add(exact);
      continue;
    }
    const grade = gradeKeyOfWord(typed);
    const inGrade = grade ? known.filter((name) => gradeKey(name) === grade) : [];
    const similar = byKey.get(classMatchKey(typed)) ?? [];
    const found = inGrade.length > 0 ? inGrade : similar;
    if (found.length === 0) unknown.push(raw);
    else if (found.length > 1 && inGrade.length === 0) ambiguous.push(`${raw}（${found.join('、')}）`);
    else for (const name of found) resolved.add(name);
  }
  const errors: string[] = [];
  if (unknown.length > 0) {
    const sample = [...known].sort(compareClassNames).slice(0, 8).join('、');
    const more = known.length > 8 ? ` 等 ${known.length} 个班` : '';
    errors.push(
      known.length === 0
        ? `找不到班级：${unknown.join('、')}。本校还没有导入名单。`
        : `找不到班级：${unknown.join('、')}。本校班级有：${sample}${more}。`,
    );
  }
  if (ambiguous.length > 0) errors.push(`班级写法不明确：${ambiguous.join('；')}，请写完整的班级名。`);
  if (errors.length > 0) return { ok: false, error: errors.join('\n') };
  return { ok: true, value: [...resolved].sort(compareClassNames) };
}
