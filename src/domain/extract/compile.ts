import type { Taxonomy } from '../../../bot-flows/taxonomy.js';
import { type CategoryPicker, compileCategoryPicker } from './category.js';
import { compileDeadline, type DeadlineFinder } from './deadline.js';
import { compileIntent, type IntentDecider } from './intent.js';
import { compileLevel, type LevelSuggester } from './level.js';
import { compileLocation, type LocationFinder } from './location.js';
import { compileMentionStripper } from './normalize.js';
import { compileSignals, type SignalMatcher } from './signals.js';

export interface CompiledTaxonomy {
  stripMentions: (text: string) => string;
  signals: SignalMatcher;
  intent: IntentDecider;
  category: CategoryPicker;
  level: LevelSuggester;
  location: LocationFinder;
  deadline: DeadlineFinder;
}

const cache = new WeakMap<Taxonomy, CompiledTaxonomy>();

/** Tries and regular expressions are built once per taxonomy object and reused for every message. */
export function compileTaxonomy(taxonomy: Taxonomy): CompiledTaxonomy {
  const cached = cache.get(taxonomy);
  if (cached) return cached;
  const compiled: CompiledTaxonomy = {
    stripMentions: compileMentionStripper(taxonomy.botNames),
    signals: compileSignals(taxonomy),
    intent: compileIntent(taxonomy),
    category: compileCategoryPicker(taxonomy),
    level: compileLevel(taxonomy),
    location: compileLocation(taxonomy.location),
    deadline: compileDeadline(taxonomy),
  };
  cache.set(taxonomy, compiled);
  return compiled;
}
