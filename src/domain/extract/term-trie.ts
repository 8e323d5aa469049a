interface TrieNode<P> {
  children: Map<number, TrieNode<P>>;
  payloads: P[];
}

export interface TermHit<P> {
  start: number;
  end: number;
  payloads: readonly P[];
}

function createNode<P>(): TrieNode<P> {
  return { children: new Map(), payloads: [] };
}

/** A character trie over literal terms; one pass over a message finds every term in it. */
export class TermTrie<P> {
  private readonly root: TrieNode<P> = createNode();
  private longest = 0;

  /** Length of the longest term added. */
  get maxTermLength(): number {
    return this.longest;
  }

  add(term: string, payload: P): void {
    this.longest = Math.max(this.longest, term.length);
    let node = this.root;
    for (let i = 0; i < term.length; i++) {
      const code = term.charCodeAt(i);
      let next = node.children.get(code);
      if (!next) {
        next = createNode();
        node.children.set(code, next);
      }
      node = next;
    }
    node.payloads.push(payload);
  }

  /** Every occurrence of every term, overlaps included, ordered by start then end. */
  findAll(text: string): TermHit<P>[] {
    const hits: TermHit<P>[] = [];
    for (let start = 0; start < text.length; start++) {
      let node: TrieNode<P> | undefined = this.root;
      for (let i = start; i < text.length; i++) {
        node = node.children.get(text.charCodeAt(i));
        if (!node) break;
        if (node.payloads.length > 0) hits.push({ start, end: i + 1, payloads: node.payloads });
      }
    }
    return hits;
  }

  /** The longest term starting at `start`, if any. */
  longestAt(text: string, start: number): TermHit<P> | undefined {
    let node: TrieNode<P> | undefined = this.root;
    let best: TermHit<P> | undefined;
    for (let i = start; i < text.length; i++) {
      node = node.children.get(text.charCodeAt(i));
      if (!node) break;
      if (node.payloads.length > 0) best = { start, end: i + 1, payloads: node.payloads };
    }
    return best;
  }
}
