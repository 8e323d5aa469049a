import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bot-flows/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite boots a WASM PostgreSQL per test file; on a busy 2-core machine that takes seconds.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // Vitest's default (cores − 1) runs one file at a time on a 2-core machine, while these files spend much of
    // their time waiting on PostgreSQL, sockets and Chromium; two workers there cut the suite by about a third.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
  },
});
