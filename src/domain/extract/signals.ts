import type { Taxonomy, WeightedCue } from '../../../bot-flows/taxonomy.js';
import { TermTrie, type TermHit } from './term-trie.js';

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

function isInside(inner: TermHit<CuePayload>, outer: TermHit<CuePayload>): boolean {
  return outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start;
}

/** A word inside a longer word of the same kind counts only as the longer one ("消防喷淋" is not also "喷淋"). */
function outermostPayloads(hits: TermHit<CuePayload>[]): CuePayload[] {
  const kept: CuePayload[] = [];
  for (const hit of hits) {
    for (const payload of hit.payloads) {
      const nested = hits.some((other) => isInside(hit, other) && other.payloads.some((p) => p.kind === payload.kind));
      if (!nested) kept.push(payload);
    }
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
