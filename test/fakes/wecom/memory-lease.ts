import type { LeaseStore } from '../../../src/platforms/wecom/aibot/lease.js';

/** LeaseStore in memory, for unit and contract tests only (production uses the `leases` table). */
export class MemoryLeaseStore implements LeaseStore {
  readonly leases = new Map<string, { holder: string; expiresAt: number }>();
  /** tryAcquire calls per holder, to tell a standby instance that kept trying from one that never did. */
  readonly attempts = new Map<string, number>();
  /** renew calls per holder. */
  readonly renewals = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.attempts.set(holder, (this.attempts.get(holder) ?? 0) + 1);
    const current = this.leases.get(name);
    if (current && current.holder !== holder && current.expiresAt > this.now()) return false;
    this.leases.set(name, { holder, expiresAt: this.now() + ttlMs });
    return true;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.renewals.set(holder, (this.renewals.get(holder) ?? 0) + 1);
    const current = this.leases.get(name);
    if (!current || current.holder !== holder || current.expiresAt <= this.now()) return false;
    current.expiresAt = this.now() + ttlMs;
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }

  holderOf(name: string): string | undefined {
    const current = this.leases.get(name);
    return current && current.expiresAt > this.now() ? current.holder : undefined;
  }
}
