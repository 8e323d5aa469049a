import type { RateBucket } from './sender.js';

interface BucketState {
  tokens: number;
  updatedAt: number;
  /** Set after a platform said "slow down": nothing goes to this bucket before it. */
  blockedUntil: number;
}

/** In-process token buckets keyed by the sender's bucket keys (per chat, per app, per robot …). */
export class TokenBuckets {
  private readonly states = new Map<string, BucketState>();

  private state(bucket: RateBucket, now: number): BucketState {
    let state = this.states.get(bucket.key);
    if (!state) {
      state = { tokens: bucket.burst, updatedAt: now, blockedUntil: 0 };
      this.states.set(bucket.key, state);
    }
    const refill = ((now - state.updatedAt) / 1000) * bucket.ratePerSecond;
    state.tokens = Math.min(bucket.burst, state.tokens + refill);
    state.updatedAt = now;
    return state;
  }

  /** Takes one token from every bucket, or none; returns 0 on success, else how long to wait (ms). */
  take(buckets: RateBucket[], now: number): number {
    let wait = 0;
    for (const bucket of buckets) {
      const state = this.state(bucket, now);
      if (state.blockedUntil > now) wait = Math.max(wait, state.blockedUntil - now);
      else if (state.tokens < 1) wait = Math.max(wait, Math.ceil(((1 - state.tokens) / bucket.ratePerSecond) * 1000));
    }
    if (wait > 0) return wait;
    for (const bucket of buckets) this.state(bucket, now).tokens -= 1;
    return 0;
  }

  /** A platform rate-limited this target: empty its buckets and hold them until `until`. */
  block(buckets: RateBucket[], until: number, now: number): void {
    for (const bucket of buckets) {
      const state = this.state(bucket, now);
      state.tokens = 0;
      state.blockedUntil = Math.max(state.blockedUntil, until);
    }
  }
}
