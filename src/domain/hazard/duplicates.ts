import { normaliseLocation } from './location.js';
import { OPEN_STATUSES, type HazardStatus } from './types.js';

export interface DuplicateCandidate {
  status: HazardStatus;
  category: string;
  location: string;
  reportedAt?: Date;
}

export interface DuplicateMatch<T> {
  hazard: T;
  /** 1 for the same place; lower for one place inside the other or a near-identical spelling. */
  score: number;
  kind: 'same' | 'contains' | 'similar';
}

/** Below this a candidate is not offered as a duplicate. */
export const MIN_DUPLICATE_SCORE = 0.6;
const MIN_SIMILARITY = 0.75;

function numbersIn(text: string): string[] {
  return (text.match(/\d+/g) ?? []).sort();
}

/** Containment that does not cut through a number: "1楼" is not inside "11楼". */
function containsWhole(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const cutsBefore = /\d/.test(needle[0] ?? '') && /\d/.test(haystack[at - 1] ?? '');
    const cutsAfter = /\d/.test(needle[needle.length - 1] ?? '') && /\d/.test(haystack[at + needle.length] ?? '');
    if (!cutsBefore && !cutsAfter) return true;
  }
  return false;
}

function bigrams(text: string): string[] {
  const chars = [...text];
  return chars.length < 2 ? chars : chars.slice(1).map((char, index) => `${chars[index]}${char}`);
}

/** Dice coefficient over character bigrams. */
function similarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  const pool = new Map<string, number>();
  for (const gram of right) pool.set(gram, (pool.get(gram) ?? 0) + 1);
  let shared = 0;
  for (const gram of left) {
    const count = pool.get(gram) ?? 0;
    if (count > 0) {
      shared += 1;
      pool.set(gram, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/** How alike two normalised places are, or null when they are different places. */
export function compareLocations(
  a: string,
  b: string,
): { score: number; kind: DuplicateMatch<unknown>['kind'] } | null {
  if (a === '' || b === '') return null;
  if (a === b) return { score: 1, kind: 'same' };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if ([...short].length >= 2 && containsWhole(long, short)) {
    return { score: 0.6 + 0.3 * ([...short].length / [...long].length), kind: 'contains' };
  }
  // Near-identical spellings of different floors or rooms are different places.
  if (numbersIn(a).join(',') !== numbersIn(b).join(',')) return null;
  const dice = similarity(a, b);
  return dice >= MIN_SIMILARITY ? { score: 0.85 * dice, kind: 'similar' } : null;
}

/**
 * The open hazard a new report most likely repeats: same category, same place (after normalising the
 * way people write places), or one place inside the other. Null when nothing is close enough.
 */
export function findDuplicate<T extends DuplicateCandidate>(
  report: { category: string; location: string },
  candidates: readonly T[],
): DuplicateMatch<T> | null {
  const place = normaliseLocation(report.location);
  if (place === '') return null;
  let best: DuplicateMatch<T> | null = null;
  for (const hazard of candidates) {
    if (hazard.category !== report.category || !OPEN_STATUSES.includes(hazard.status)) continue;
    const compared = compareLocations(place, normaliseLocation(hazard.location));
    if (!compared || compared.score < MIN_DUPLICATE_SCORE) continue;
    const newer = (hazard.reportedAt?.getTime() ?? 0) > (best?.hazard.reportedAt?.getTime() ?? 0);
    if (!best || compared.score > best.score || (compared.score === best.score && newer)) {
      best = { hazard, ...compared };
    }
  }
  return best;
}
