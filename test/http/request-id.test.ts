import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/db.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';
import { createTestRuntime } from '../helpers/runtime.js';

/**
 * Every response names its request (X-Request-Id: the caller's, or a new one), both where the header goes
 * straight onto Node's ServerResponse and where Hono sets it (Workers, app.request).
 */
describe('X-Request-Id on responses', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  const server = await serveOnLoopback(runtime.app);
  const base = server.url;
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('over the Node server: echoes the caller’s id, or makes one, beside the handler’s own headers', async () => {
    const echoed = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'req-from-proxy-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-from-proxy-1');
    expect(echoed.headers.get('content-type')).toContain('application/json');
    expect(await echoed.json()).toEqual({ ok: true });

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');

    const made = await fetch(`${base}/no-such-page`);
    expect(made.status).toBe(404);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await made.json()).error).toBe('未找到');
  });

  it('through app.request, where there is no Node response to write to', async () => {
    const response = await runtime.app.request('/healthz', { headers: { 'x-request-id': 'req-from-proxy-2' } });
    expect(response.headers.get('x-request-id')).toBe('req-from-proxy-2');
  });
});
