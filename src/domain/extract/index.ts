import { defaultTaxonomy, type Taxonomy } from '../../../bot-flows/taxonomy.js';
import { compileTaxonomy } from './compile.js';
import { cleanMessage, normalizeForMatching } from './normalize.js';
import type { Extraction } from './types.js';

/** Chat reports are short; only the opening of a long paste is read, which bounds the work per message. */
const ANALYSED_LENGTH = 1000;

export type { Extraction, ExtractionIntent, ExtractionLevel } from './types.js';

/**
 * Reads a group-chat message and suggests a hazard record: rule-based and deterministic, no I/O.
 * Pass a district's taxonomy (validated with `taxonomySchema`) to override the default lexicon.
 */
export function extract(text: string, taxonomy: Taxonomy = defaultTaxonomy): Extraction {
  const compiled = compileTaxonomy(taxonomy);
  const description = cleanMessage(text, compiled.stripMentions);
  const matchText = normalizeForMatching(description.slice(0, ANALYSED_LENGTH));
  const deadline = compiled.deadline(matchText);
  const deadlineHint = deadline && { deadlineHint: description.slice(deadline.start, deadline.end) };
  const signals = compiled.signals.score(matchText);
  const intent = compiled.intent.decide(matchText, signals);
  if (intent === 'other') {
    return { intent, category: null, level: null, location: null, description, ...deadlineHint };
  }
  const place = compiled.location(matchText);
  return {
    intent,
    category: compiled.category(matchText, signals.categoryScores),
    level: compiled.level(matchText),
    location: place ? description.slice(place.start, place.end) : null,
    description,
    ...deadlineHint,
  };
}
