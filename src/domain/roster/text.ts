/**
 * Text normalisation shared by roster import, binding answers and command arguments. Spreadsheets and
 * phone keyboards mix full-width and half-width forms, stray spaces and several middle-dot characters in
 * minority names; two spellings of the same name must compare equal.
 */

const MIDDLE_DOTS = /[\u00b7\u0387\u16eb\u2022\u2027\u2219\u22c5\u2e31\u30fb]/g;
const SPACE_BETWEEN_HAN = /(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;

/** Full-width → half-width (NFKC), zero-width characters removed, whitespace trimmed and collapsed. */
export function normaliseText(value: string): string {
  return value.normalize('NFKC').replace(ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
}

/** A person's name as stored: no spaces between Chinese characters, one kind of middle dot. */
export function normalisePersonName(value: string): string {
  return normaliseText(value)
    .replace(SPACE_BETWEEN_HAN, '')
    .replace(MIDDLE_DOTS, '·')
    .replace(/\s*·\s*/g, '·');
}

/** Comparison key for names typed by parents: case and all spacing ignored. */
export function nameMatchKey(value: string): string {
  return normalisePersonName(value).replace(/\s+/g, '').toLowerCase();
}

/** Spreadsheet cells arrive as strings, numbers, dates or nothing. */
export type CellValue = string | number | boolean | Date | null | undefined;

export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return normaliseText(String(value));
}

/** Number of characters as people count them (code points, not UTF-16 units). */
export function charCount(value: string): number {
  return [...value].length;
}
