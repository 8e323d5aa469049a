import { describe, expect, it } from 'vitest';
import { createGroupCommitter } from './group-commit.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('group commit', () => {
  it('flushes a lone item at once and batches what arrives while a flush runs', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommitter(
      async (batch: number[]) => {
        batches.push(batch);
        await tick();
        return batch.map((item) => item * 10);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => commit(item)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('answers no caller before its own batch is written', async () => {
    let written = 0;
    const commit = createGroupCommitter(
      async (batch: string[]) => {
        await tick();
        written += batch.length;
        return batch.map(() => written);
      },
      { maxBatch: 2, maxInFlight: 1 },
    );
    const seen = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => commit(item)));
    expect(seen).toEqual([1, 3, 3, 5, 5]);
  });

  it('keeps at most maxInFlight flushes running and respects maxBatch', async () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const commit = createGroupCommitter(
      async (batch: number[]) => {
        running += 1;
        peak = Math.max(peak, running);
        sizes.push(batch.length);
        await tick();
        running -= 1;
        return batch;
      },
      { maxBatch: 7, maxInFlight: 2 },
    );
    await Promise.all(Array.from({ length: 50 }, (_, index) => commit(index)));
    expect(peak).toBe(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(50);
  });

  it('while busy, starts another flush only for enough waiting items', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommitter(
      async (batch: number[]) => {
        batches.push(batch);
        await tick();
        return batch;
      },
      { maxBatch: 100, maxInFlight: 2, minBatchWhenBusy: 3 },
    );
    const first = commit(1);
    const lone = commit(2);
    expect(batches).toEqual([[1]]);
    const rest = [3, 4].map((item) => commit(item));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await Promise.all([first, lone, ...rest]);
    await Promise.all([5, 6].map((item) => commit(item)));
    expect(batches).toEqual([[1], [2, 3, 4], [5], [6]]);
  });

  it('fails only the caller whose item breaks the batch', async () => {
    const commit = createGroupCommitter(
      async (batch: number[]) => {
        await tick();
        if (batch.includes(13)) throw new Error('bad row 13');
        return batch;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const outcomes = await Promise.allSettled([1, 12, 13, 14].map((item) => commit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
