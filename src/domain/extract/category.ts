import type { Taxonomy } from '../../../bot-flows/taxonomy.js';
import { compileRule, type TextTest } from './rules.js';

export type CategoryPicker = (text: string, categoryScores: readonly number[]) => string;

/** Tie-break rules first (in order), then the best-scoring category; earlier categories win ties. */
export function compileCategoryPicker(taxonomy: Taxonomy): CategoryPicker {
  const tieBreaks: { test: TextTest; category: string }[] = taxonomy.tieBreaks.map((rule) => ({
    test: compileRule(rule),
    category: rule.category,
  }));
  const codes = taxonomy.categories.map((category) => category.code);
  return (text, categoryScores) => {
    const forced = tieBreaks.find((rule) => rule.test(text));
    if (forced) return forced.category;
    let best = -1;
    let bestScore = 0;
    categoryScores.forEach((score, index) => {
      if (score > bestScore) {
        best = index;
        bestScore = score;
      }
    });
    return codes[best] ?? taxonomy.fallbackCategory;
  };
}
