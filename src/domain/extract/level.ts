import type { Taxonomy } from '../../../bot-flows/taxonomy.js';
import { compileRule } from './rules.js';
import type { ExtractionLevel } from './types.js';

export type LevelSuggester = (text: string) => ExtractionLevel;

/** 'major' when any imminent-danger cue matches; the safety officer confirms or changes it. */
export function compileLevel(taxonomy: Taxonomy): LevelSuggester {
  const cues = taxonomy.majorCues.map(compileRule);
  return (text) => (cues.some((cue) => cue(text)) ? 'major' : 'general');
}
