import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { parseJson } from '../validation.js';

export type CommandRunner = (argv: string[]) => Promise<{ code: number; out: string[]; err: string[] }>;

const bodySchema = z.object({ argv: z.array(z.string().max(4000)).min(1).max(100) });

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Loopback admin endpoint: CLI commands run inside the server that owns the embedded data dir, so a
 * roster import or export never opens the PGlite directory from a second process.
 */
export function adminRoutes(
  token: string,
  run: CommandRunner,
  remoteAddress: (c: unknown) => string | undefined,
): Hono {
  const app = new Hono();
  app.post('/cli', async (c) => {
    const address = remoteAddress(c) ?? '';
    const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
    const given = (c.req.header('authorization') ?? '').replace(/^Bearer /, '');
    if (!loopback || !sameToken(given, token)) return c.json({ error: '拒绝访问' }, 403);
    const input = await parseJson(c, bodySchema);
    if (!input.ok) return input.response;
    return c.json(await run(input.data.argv));
  });
  return app;
}
