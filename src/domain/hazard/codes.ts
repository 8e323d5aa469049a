/** Ledger codes: YH-<year>-<seq> for hazards, SG-<year>-<seq> for incidents (a new sequence each year). */

export const CODE_PREFIXES = { hazard: 'YH', incident: 'SG' } as const;
export type CodePrefix = (typeof CODE_PREFIXES)[keyof typeof CODE_PREFIXES];

export interface ParsedCode {
  prefix: CodePrefix;
  year: number;
  seq: number;
}

function formatCode(prefix: CodePrefix, year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`bad code year: ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`bad code sequence: ${seq}`);
  return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
}

export function formatHazardCode(year: number, seq: number): string {
  return formatCode(CODE_PREFIXES.hazard, year, seq);
}

export function formatIncidentCode(year: number, seq: number): string {
  return formatCode(CODE_PREFIXES.incident, year, seq);
}

/** Matches a code as people type it (use with the i flag): any case or width, odd separators, no padding. */
export const CODE_PATTERN_SOURCE =
  '(?:[yｙ][hｈ]|[sｓ][gｇ])\\s*[-－—–_ ]?\\s*[\\d０-９]{4}\\s*[-－—–_ ]?\\s*[\\d０-９]{1,6}(?![\\d０-９])';

const WHOLE_CODE = new RegExp(`^${CODE_PATTERN_SOURCE}$`, 'i');

export function parseCode(text: string): ParsedCode | null {
  const trimmed = text.normalize('NFKC').trim();
  if (!WHOLE_CODE.test(trimmed)) return null;
  const prefix = trimmed.slice(0, 2).toUpperCase() as CodePrefix;
  const digits = trimmed.slice(2).replace(/\D+/g, ' ').trim().split(' ');
  const [year, seq] =
    digits.length === 2 ? digits.map(Number) : [Number(digits[0]?.slice(0, 4)), Number(digits[0]?.slice(4))];
  if (year === undefined || seq === undefined || !(seq >= 1)) return null;
  return { prefix, year, seq };
}

/** "yh-2026-1" → "YH-2026-0001"; null when the text is not a code. */
export function normaliseCode(text: string): string | null {
  const parsed = parseCode(text);
  return parsed ? formatCode(parsed.prefix, parsed.year, parsed.seq) : null;
}
