import type { Taxonomy, WeightedCue } from '../../../bot-flows/taxonomy.js';
import { type TermHit, TermTrie } from './term-trie.js';

type CuePayload =
  | { kind: 'category'; category: number; term: string; weight: number; risk: number }
  | { kind: 'risk'; term: string; weight: number }
  | { kind: 'negative'; term: string; weight: number };

interface PatternCue {
  re: RegExp;
  payload: CuePayload;
}

export interface Signals {
  /** Evidence per category, in taxonomy order. */
  categoryScores: number[];
  /** How strongly the text says something is wrong. */
  risk: number;
  /** How strongly the text reads as a notice, courtesy or admin message. */
  negative: number;
}

export interface SignalMatcher {
  score(text: string): Signals;
}

function addGroups(
  trie: TermTrie<CuePayload>,
  patterns: PatternCue[],
  groups: readonly WeightedCue[],
  payloadFor: (group: WeightedCue, term: string) => CuePayload,
): void {
  for (const group of groups) {
    for (const term of group.terms) trie.add(term, payloadFor(group, term));
    for (const source of group.patterns) patterns.push({ re: new RegExp(source), payload: payloadFor(group, source) });
  }
}

const KIND_BITS: Record<CuePayload['kind'], number> = { category: 1, risk: 2, negative: 4 };

/** A word inside a longer word of the same kind counts only as the longer one ("消防喷淋" is not also "喷淋"). */
function outermostPayloads(hits: readonly TermHit<CuePayload>[]): CuePayload[] {
  const kinds = hits.map((hit) => hit.payloads.reduce((bits, payload) => bits | KIND_BITS[payload.kind], 0));
  const kept: CuePayload[] = [];
  for (const hit of hits) {
    let shadowed = 0;
    hits.forEach((other, otherIndex) => {
      if (other.start <= hit.start && hit.end <= other.end && other.end - other.start > hit.end - hit.start) {
        shadowed |= kinds[otherIndex] ?? 0;
      }
    });
    for (const payload of hit.payloads) if ((shadowed & KIND_BITS[payload.kind]) === 0) kept.push(payload);
  }
  return kept;
}

export function compileSignals(taxonomy: Taxonomy): SignalMatcher {
  const trie = new TermTrie<CuePayload>();
  const patterns: PatternCue[] = [];
  taxonomy.categories.forEach((category, index) => {
    addGroups(trie, patterns, category.keywords, (group, term) => ({
      kind: 'category',
      category: index,
      term,
      weight: group.weight,
      risk: group.risk,
    }));
  });
  addGroups(trie, patterns, taxonomy.hazardCues, (group, term) => ({ kind: 'risk', term, weight: group.weight }));
  addGroups(trie, patterns, taxonomy.negativeCues, (group, term) => ({
    kind: 'negative',
    term,
    weight: group.weight,
  }));
  const categoryCount = taxonomy.categories.length;

  return {
    score(text) {
      const categoryScores = new Array<number>(categoryCount).fill(0);
      let risk = 0;
      let negative = 0;
      const seen = new Set<string>();
      const apply = (payload: CuePayload): void => {
        const key =
          payload.kind === 'category' ? `c${payload.category}:${payload.term}` : `${payload.kind}:${payload.term}`;
        if (seen.has(key)) return;
        seen.add(key);
        if (payload.kind === 'category') {
          categoryScores[payload.category] = (categoryScores[payload.category] ?? 0) + payload.weight;
          risk += payload.risk;
        } else if (payload.kind === 'risk') {
          risk += payload.weight;
        } else {
          negative += payload.weight;
        }
      };
      for (const payload of outermostPayloads(trie.findAll(text))) apply(payload);
      for (const cue of patterns) {
        if (cue.re.test(text)) apply(cue.payload);
      }
      return { categoryScores, risk, negative };
    },
  };
}
