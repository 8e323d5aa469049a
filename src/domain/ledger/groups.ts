import { HAZARD_LEVELS, type HazardLevel } from '../hazard/types.js';
import { LEVEL_LABELS } from '../hazard/labels.js';
import type { CategoryName } from './types.js';

export interface CategoryGroup<C> {
  category: string;
  label: string;
  counts: C;
}

export interface LevelGroup<C> {
  level: HazardLevel;
  label: string;
  counts: C;
}

/**
 * Tallies items into every category of the taxonomy (in its order, zeros included, so tables keep
 * their shape) plus any unknown code found in the data, and into both levels.
 */
export function tally<T extends { category: string; level: HazardLevel }, C>(
  items: readonly T[],
  categories: readonly CategoryName[],
  count: (items: readonly T[]) => C,
): { byCategory: CategoryGroup<C>[]; byLevel: LevelGroup<C>[] } {
  const known = new Set(categories.map((category) => category.code));
  const unknown = [...new Set(items.map((item) => item.category).filter((code) => !known.has(code)))].sort();
  const byCategory = [...categories, ...unknown.map((code) => ({ code, name: code }))].map(({ code, name }) => ({
    category: code,
    label: name,
    counts: count(items.filter((item) => item.category === code)),
  }));
  const byLevel = HAZARD_LEVELS.map((level) => ({
    level,
    label: LEVEL_LABELS[level],
    counts: count(items.filter((item) => item.level === level)),
  }));
  return { byCategory, byLevel };
}
