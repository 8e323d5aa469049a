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

function payloadKey(payload: CuePayload): string {
  return payload.kind === 'category' ? `c${payload.category}:${payload.term}` : `${payload.kind}:${payload.term}`;
}

/** A term listed twice for the same purpose counts once, with its highest weight and risk. */
function mergePayloads(payloads: CuePayload[]): Map<string, CuePayload> {
  const merged = new Map<string, CuePayload>();
  for (const payload of payloads) {
    const key = payloadKey(payload);
    const known = merged.get(key);
    if (!known) merged.set(key, { ...payload });
    else {
      known.weight = Math.max(known.weight, payload.weight);
      if (known.kind === 'category' && payload.kind === 'category') known.risk = Math.max(known.risk, payload.risk);
    }
  }
  return merged;
}

function groupPayloads(
  groups: readonly WeightedCue[],
  payloadFor: (group: WeightedCue, term: string) => CuePayload,
): { terms: CuePayload[]; patterns: PatternCue[] } {
  const terms: CuePayload[] = [];
  const patterns: PatternCue[] = [];
  for (const group of groups) {
    for (const term of group.terms) terms.push(payloadFor(group, term));
    for (const source of group.patterns) patterns.push({ re: new RegExp(source), payload: payloadFor(group, source) });
  }
  return { terms, patterns };
}

const KIND_BITS: Record<CuePayload['kind'], number> = { category: 1, risk: 2, negative: 4 };

/**
 * A word inside a longer word of the same kind counts only as the longer one ("消防喷淋" is not also "喷淋").
 * Hits come ordered by start, and a containing hit starts at most `maxTermLength` earlier, so only a window is checked.
 */
function outermostPayloads(hits: readonly TermHit<CuePayload>[], maxTermLength: number): CuePayload[] {
  const kinds = hits.map((hit) => hit.payloads.reduce((bits, payload) => bits | KIND_BITS[payload.kind], 0));
  const kept: CuePayload[] = [];
  let windowStart = 0;
  hits.forEach((hit, index) => {
    while ((hits[windowStart]?.start ?? hit.start) < hit.start - maxTermLength) windowStart++;
    let shadowed = 0;
    for (let other = windowStart; other < hits.length; other++) {
      const candidate = hits[other]!;
      if (candidate.start > hit.start) break;
      if (other !== index && hit.end <= candidate.end && candidate.end - candidate.start > hit.end - hit.start) {
        shadowed |= kinds[other] ?? 0;
      }
    }
    for (const payload of hit.payloads) if ((shadowed & KIND_BITS[payload.kind]) === 0) kept.push(payload);
  });
  return kept;
}

export function compileSignals(taxonomy: Taxonomy): SignalMatcher {
  const sources = [
    ...taxonomy.categories.map((category, index) =>
      groupPayloads(category.keywords, (group, term) => ({
        kind: 'category',
        category: index,
        term,
        weight: group.weight,
        risk: group.risk,
      })),
    ),
    groupPayloads(taxonomy.hazardCues, (group, term) => ({ kind: 'risk', term, weight: group.weight })),
    groupPayloads(taxonomy.negativeCues, (group, term) => ({ kind: 'negative', term, weight: group.weight })),
  ];
  const trie = new TermTrie<CuePayload>();
  for (const payload of mergePayloads(sources.flatMap((source) => source.terms)).values()) {
    trie.add(payload.term, payload);
  }
  const patterns = sources.flatMap((source) => source.patterns);
  const categoryCount = taxonomy.categories.length;

  return {
    score(text) {
      const categoryScores = new Array<number>(categoryCount).fill(0);
      let risk = 0;
      let negative = 0;
      const seen = new Set<CuePayload>();
      const apply = (payload: CuePayload): void => {
        if (seen.has(payload)) return;
        seen.add(payload);
        if (payload.kind === 'category') {
          categoryScores[payload.category] = (categoryScores[payload.category] ?? 0) + payload.weight;
          risk += payload.risk;
        } else if (payload.kind === 'risk') {
          risk += payload.weight;
        } else {
          negative += payload.weight;
        }
      };
      for (const payload of outermostPayloads(trie.findAll(text), trie.maxTermLength)) apply(payload);
      for (const cue of patterns) {
        if (cue.re.test(text)) apply(cue.payload);
      }
      return { categoryScores, risk, negative };
    },
  };
}
