import type { BurstPool, Db } from './types.js';

export interface GroupCommitOptions {
  /** Most items in one flush (one multi-row statement). */
  maxBatch: number;
  /** Flushes running at once (keep below the connection pool size). */
  maxInFlight: number;
  /**
   * While a flush is running, the fewest waiting items worth another one (default 1). Under a burst a
   * second flush of one or two items costs about as long as a full one and holds a slot the next full
   * batch needs; they wait for the running flush instead.
   */
  minBatchWhenBusy?: number;
}

/**
 * How bursts are grouped — receipt card taps and H5 receipt submissions (a district's parents within an evening) —
 * and the benchmark's group-commit reference.
 */
export const BURST_COMMIT: GroupCommitOptions = { maxBatch: 256, maxInFlight: 2, minBatchWhenBusy: 32 };

/**
 * A burst's group committer: its flushes run on a pool of their own (Database.burstPool) with one connection per
 * flush in flight, or on `db` where there is no such pool (PGlite, Workers).
 */
export function createBurstCommitter<T, R>(
  target: { db: Db; burstPool?: BurstPool },
  flush: (db: Db, batch: T[]) => Promise<R[]>,
): (item: T) => Promise<R> {
  const db = target.burstPool?.(BURST_COMMIT.maxInFlight) ?? target.db;
  return createGroupCommitter((batch: T[]) => flush(db, batch), BURST_COMMIT);
}

/**
 * Group commit: callers submit one item each and are answered only once their item is durable, but items that
 * arrive while a flush is running are written together by the next flush. At low load an item flushes at
 * once (no added latency); under load batches grow by themselves. A failed batch is retried item by item so
 * one bad item fails only its own caller.
 */
export function createGroupCommitter<T, R>(
  flush: (batch: T[]) => Promise<R[]>,
  options: GroupCommitOptions,
): (item: T) => Promise<R> {
  interface Pending {
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }
  const queue: Pending[] = [];
  let inFlight = 0;

  async function settle(batch: Pending[]): Promise<void> {
    try {
      const results = await flush(batch.map((pending) => pending.item));
      if (results.length !== batch.length)
        throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
      for (const [index, pending] of batch.entries()) pending.resolve(results[index]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) await settle([pending]);
    }
  }

  function pump(): void {
    const worthFlushing = () => queue.length >= (inFlight === 0 ? 1 : (options.minBatchWhenBusy ?? 1));
    while (inFlight < options.maxInFlight && worthFlushing()) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight += 1;
      void settle(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
