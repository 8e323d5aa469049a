import type { RateBucket } from '../../src/delivery/sender.js';

/**
 * Simulated time for rate-limit contract tests: a clock the WeCom fake reads, and token buckets honoured the way the
 * dispatcher does (a send takes one token from every bucket of its target, buckets start full).
 */
export class PacedClock {
  private current: number;
  private readonly tokens = new Map<string, { tokens: number; at: number }>();

  constructor(start = Date.parse('2026-05-06T08:00:00Z')) {
    this.current = start;
  }

  readonly now = (): number => this.current;

  advance(ms: number): void {
    this.current += ms;
  }

  /** Advances the clock until every bucket holds a token, then takes one from each. */
  take(buckets: RateBucket[]): void {
    for (;;) {
      let wait = 0;
      for (const bucket of buckets) {
        const state = this.refill(bucket);
        if (state.tokens < 1) wait = Math.max(wait, Math.ceil(((1 - state.tokens) / bucket.ratePerSecond) * 1000));
      }
      if (wait === 0) break;
      this.advance(wait);
    }
    for (const bucket of buckets) this.refill(bucket).tokens -= 1;
  }

  private refill(bucket: RateBucket) {
    const state = this.tokens.get(bucket.key) ?? { tokens: bucket.burst, at: this.current };
    state.tokens = Math.min(bucket.burst, state.tokens + ((this.current - state.at) / 1000) * bucket.ratePerSecond);
    state.at = this.current;
    this.tokens.set(bucket.key, state);
    return state;
  }
}

/** Largest number of timestamps inside any window of `windowMs`. */
export function busiestWindow(stamps: number[], windowMs: number): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
