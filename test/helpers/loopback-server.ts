import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/**
 * A real Node HTTP server on loopback, serving an app the way entry-node does (the adapter's bindings reach the
 * app as c.env). The app can be given once the address is known, for runtimes whose links carry it; until then
 * requests are answered 503.
 */
export async function serveOnLoopback(
  initial?: Hono,
): Promise<{ url: string; use(app: Hono): void; close(): Promise<void> }> {
  let app = initial;
  const server = serve({
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use(next) {
      app = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from fakes and fetch would otherwise hold the close open.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
