import type { Taxonomy } from '../../../bot-flows/taxonomy.js';
import { TermTrie } from './term-trie.js';

type TokenKind = 'place' | 'generic' | 'dir' | 'trail' | 'mod';

interface Token {
  start: number;
  end: number;
  kind: TokenKind;
}

export interface Span {
  start: number;
  end: number;
}

export type LocationFinder = (text: string) => Span | undefined;

type LocationConfig = Taxonomy['location'];

/** Earlier kinds win when a word is listed twice. */
const KIND_ORDER: readonly TokenKind[] = ['generic', 'place', 'dir', 'mod', 'trail'];

function buildTrie(config: LocationConfig): TermTrie<TokenKind> {
  const trie = new TermTrie<TokenKind>();
  const lists: Record<TokenKind, readonly string[]> = {
    generic: config.genericPlaces,
    place: config.places,
    dir: config.directions,
    mod: config.modifiers,
    trail: config.trailing,
  };
  for (const kind of KIND_ORDER) for (const word of lists[kind]) trie.add(word, kind);
  return trie;
}

function primaryKind(kinds: readonly TokenKind[]): TokenKind {
  return KIND_ORDER.find((kind) => kinds.includes(kind)) ?? 'mod';
}

/** The longest productive match (floor, "3号楼", class) starting at each position. */
function patternTokens(text: string, patterns: readonly RegExp[], kind: TokenKind): Map<number, Token> {
  const byStart = new Map<number, Token>();
  for (const re of patterns) {
    re.lastIndex = 0;
    for (const match of text.matchAll(re)) {
      if (match[0].length === 0) continue;
      const token: Token = { start: match.index, end: match.index + match[0].length, kind };
      const known = byStart.get(token.start);
      if (!known || known.end < token.end) byStart.set(token.start, token);
    }
  }
  return byStart;
}

function longer(a: Token | undefined, b: Token | undefined): Token | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.end > a.end ? b : a;
}

function hasPlace(tokens: readonly Token[]): boolean {
  return tokens.some((token) => token.kind === 'place');
}

/** "学校门口" names a spot; "学校附近" or "学校里" is vague and only chosen when nothing better is named. */
function isSpecific(tokens: readonly Token[]): boolean {
  return hasPlace(tokens) || (tokens.some((t) => t.kind === 'generic') && tokens.some((t) => t.kind === 'dir'));
}

export function compileLocation(config: LocationConfig): LocationFinder {
  const trie = buildTrie(config);
  const placePatterns = config.patterns.map((source) => new RegExp(source, 'g'));
  const modifierPatterns = config.modifierPatterns.map((source) => new RegExp(source, 'g'));
  const suffixes = new Set(config.suffixes);
  const stopChars = new Set(config.stopChars);
  const joiners = new Set(config.joiners);
  const isWordChar = (ch: string | undefined): boolean =>
    ch !== undefined && ch >= '\u4e00' && ch <= '\u9fff' && !stopChars.has(ch);

  function tokenize(text: string): Token[] {
    const places = patternTokens(text, placePatterns, 'place');
    const modifiers = patternTokens(text, modifierPatterns, 'mod');
    const tokens: Token[] = [];
    const covered = new Array<boolean>(text.length).fill(false);
    let i = 0;
    while (i < text.length) {
      const hit = trie.longestAt(text, i);
      const fromTrie: Token | undefined = hit && { start: i, end: hit.end, kind: primaryKind(hit.payloads) };
      const token = longer(longer(fromTrie, places.get(i)), modifiers.get(i));
      if (!token) {
        i++;
        continue;
      }
      tokens.push(token);
      covered.fill(true, token.start, token.end);
      i = token.end;
    }
    return absorbUnknownWords(text, tokens, covered);
  }

  /**
   * A place-like suffix ("室", "楼", …) makes a place of the unknown word in front of it ("录播室", "危化品仓库"),
   * up to maxPrefix characters and never across a stop character or another token.
   */
  function absorbUnknownWords(text: string, tokens: Token[], covered: boolean[]): Token[] {
    const extendLeft = (end: number): number => {
      let start = end;
      while (start > 0 && end - start < config.maxPrefix && !covered[start - 1] && isWordChar(text[start - 1])) start--;
      return start;
    };
    const result: Token[] = [];
    for (const token of tokens) {
      const last = text[token.end - 1];
      if (token.kind === 'place' && last !== undefined && suffixes.has(last)) {
        const start = extendLeft(token.start);
        covered.fill(true, start, token.start);
        result.push({ ...token, start });
      } else {
        result.push(token);
      }
    }
    const modifierEnds = new Set(result.filter((t) => t.kind === 'mod').map((t) => t.end));
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (covered[i] || ch === undefined || !suffixes.has(ch)) continue;
      const afterModifier = modifierEnds.has(i);
      const start = afterModifier ? i : extendLeft(i);
      if (start === i && !afterModifier) continue;
      covered.fill(true, start, i + 1);
      result.push({ start, end: i + 1, kind: 'place' });
    }
    return result.sort((a, b) => a.start - b.start);
  }

  /** Contiguous tokens form a phrase; a trailing word ("里", "口") only continues a phrase. */
  function phrases(tokens: readonly Token[]): Token[][] {
    const runs: Token[][] = [];
    let run: Token[] = [];
    for (const token of tokens) {
      const previous = run[run.length - 1];
      const continues = previous !== undefined && previous.end === token.start;
      if (token.kind === 'trail') {
        if (continues && previous.kind !== 'mod') run.push(token);
        else if (run.length > 0) {
          runs.push(run);
          run = [];
        }
        continue;
      }
      if (!continues && run.length > 0) {
        runs.push(run);
        run = [];
      }
      run.push(token);
    }
    if (run.length > 0) runs.push(run);
    return runs.map(trimModifiers).filter((r) => r.length > 0);
  }

  function trimModifiers(run: Token[]): Token[] {
    let end = run.length;
    while (end > 0 && run[end - 1]?.kind === 'mod') end--;
    return run.slice(0, end);
  }

  /** "食堂后面" + "的" + "配电房" → one phrase. */
  function joinPhrases(text: string, runs: Token[][]): Token[][] {
    const joined: Token[][] = [];
    for (const run of runs) {
      const previous = joined[joined.length - 1];
      const prevEnd = previous?.[previous.length - 1]?.end;
      const start = run[0]?.start;
      if (
        previous &&
        prevEnd !== undefined &&
        start !== undefined &&
        joiners.has(text.slice(prevEnd, start)) &&
        isSpecific(previous) &&
        hasPlace(run)
      ) {
        joined[joined.length - 1] = [...previous, ...run];
      } else {
        joined.push(run);
      }
    }
    return joined;
  }

  return (text) => {
    const runs = joinPhrases(text, phrases(tokenize(text)));
    const chosen = runs.find(isSpecific) ?? runs.find((run) => run.some((token) => token.kind === 'generic'));
    const first = chosen?.[0];
    const last = chosen?.[chosen.length - 1];
    return first && last ? { start: first.start, end: last.end } : undefined;
  };
}
