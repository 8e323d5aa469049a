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

/** Characters a Chinese or Arabic number in 0–99 can be written with, for use inside regexes. */
export const NUMBER_PATTERN = '[0-9零〇一二两三四五六七八九十]+';

/**
 * Parses 0–99 written in Arabic digits or Chinese numerals (十, 十二, 二十, 三十一, 两, 二〇).
 * Returns null for anything else.
 */
export function parseSmallNumber(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (text === '' || !/^[零〇一二两三四五六七八九十]+$/.test(text)) return null;
  const tenAt = text.indexOf('十');
  if (tenAt === -1) {
    if (text.length === 1) return DIGITS[text] ?? null;
    // Digit-by-digit forms such as 二〇 or 一二.
    let value = 0;
    for (const char of text) value = value * 10 + (DIGITS[char] ?? 0);
    return value;
  }
  if (text.indexOf('十', tenAt + 1) !== -1) return null;
  const tensText = text.slice(0, tenAt);
  const unitsText = text.slice(tenAt + 1);
  if (tensText.length > 1 || unitsText.length > 1) return null;
  const tens = tensText === '' ? 1 : DIGITS[tensText];
  const units = unitsText === '' ? 0 : DIGITS[unitsText];
  if (tens === undefined || units === undefined || tens === 0) return null;
  return tens * 10 + units;
}
