import { RegExpRouter } from 'hono/router/reg-exp-router';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/db.js';
import { call, createTestRuntime } from '../helpers/runtime.js';

/**
 * The service's app matches every request with one precompiled expression (RegExpRouter); Hono's default
 * would fall back to a slower router for all requests if any route did not suit it.
 */
describe('routing', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  afterAll(() => database.close());

  it('routes through RegExpRouter with every area and the sandbox mounted', async () => {
    expect(runtime.app.router).toBeInstanceOf(RegExpRouter);
    const answers = await Promise.all(
      ['/healthz', '/sandbox', '/dashboard/not-a-token', '/h5/receipt/not-a-token', '/webhooks/nowhere'].map(
        async (path) => (await call<unknown>(runtime, 'GET', path)).status,
      ),
    );
    expect(answers).toEqual([200, 200, 403, 400, 404]);
  });
});
