import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bot-flows/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite boots a WASM PostgreSQL per test file; on a busy 2-core machine that takes seconds.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
