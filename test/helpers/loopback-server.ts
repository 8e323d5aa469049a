import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/**
 * A real Node HTTP server on loopback, serving an app the way entry-node does (the adapter's bindings reach the
 * app as c.env). The app can be given once the address is known, for apps whose links carry it.
 */
export async function serveOnLoopback(
  initial?: Hono,
): Promise<{ url: string; use(app: Hono): void; close(): Promise<void> }> {
  let app = initial;
  const server = serve({ fetch: (request, env) => app!.fetch(request, env), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use(next) {
      app = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
