/** Splitting a command's argument text at keywords such as 截止 / 措施 / 资金. */

/** What may stand before a keyword: the start, a space, or a clause separator. */
const BEFORE = /[\s,，;；。、]/;
const LEADING_SEPARATORS = /^[\s:：,，;；。、]+/;
const TRAILING_SEPARATORS = /[\s,，;；。、]+$/;

export function trimSeparators(text: string): string {
  return text.replace(LEADING_SEPARATORS, '').replace(TRAILING_SEPARATORS, '');
}

export interface Segments<F extends string> {
  /** Text before the first keyword. */
  head: string;
  /** Text after each keyword found, up to the next one (a repeated keyword keeps the last value). */
  fields: Partial<Record<F, string>>;
}

/**
 * Cuts `text` at every keyword standing as a word of its own (at the start or after a space or a
 * separator). Longest keyword wins where several start at the same place (整改措施 over 整改).
 */
export function splitByKeywords<F extends string>(
  text: string,
  keywords: Partial<Record<F, readonly string[]>>,
): Segments<F> {
  const entries = (Object.entries(keywords) as [F, readonly string[]][])
    .flatMap(([field, words]) => words.map((word) => ({ field, word })))
    .sort((a, b) => b.word.length - a.word.length);
  const cuts: { field: F; start: number; end: number }[] = [];
  for (let index = 0; index < text.length; index++) {
    if (index > 0 && !BEFORE.test(text[index - 1] ?? '')) continue;
    const found = entries.find(({ word }) => text.startsWith(word, index));
    if (!found) continue;
    cuts.push({ field: found.field, start: index, end: index + found.word.length });
    index += found.word.length - 1;
  }
  const head = trimSeparators(text.slice(0, cuts[0]?.start ?? text.length));
  const fields: Partial<Record<F, string>> = {};
  cuts.forEach((cut, position) => {
    fields[cut.field] = trimSeparators(text.slice(cut.end, cuts[position + 1]?.start ?? text.length));
  });
  return { head, fields };
}

/** Whether `text` starts with one of `words` as a whole word; returns the rest after it. */
export function takeWord(text: string, words: readonly string[]): { word: string; rest: string } | null {
  const sorted = [...words].sort((a, b) => b.length - a.length);
  for (const word of sorted) {
    if (!text.startsWith(word)) continue;
    const rest = text.slice(word.length);
    if (rest === '' || /^[\s:：,，;；。、]/.test(rest)) return { word, rest: trimSeparators(rest) };
  }
  return null;
}
