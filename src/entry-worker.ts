import type { ExecutionContext } from 'hono';
import { loadConfig } from './config.js';
import { connectPostgres } from './db/client.js';
import { consoleLog } from './log.js';
import { platformsFromEnv } from './platforms/registry.js';
import { createRuntime } from './runtime.js';

interface Env {
  HYPERDRIVE: { connectionString: string };
  [variable: string]: unknown;
}

const stringVars = (env: Env) =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

/** One runtime per invocation over a Hyperdrive-pooled connection; the outbox is drained after the answer. */
function open(env: Env) {
  const vars = { ...stringVars(env), DATABASE_URL: env.HYPERDRIVE.connectionString };
  const config = loadConfig(vars);
  const log = consoleLog(config.LOG_LEVEL);
  const database = connectPostgres(vars.DATABASE_URL, { max: 4 });
  const runtime = createRuntime({
    db: database.db,
    log,
    secret: config.XIAOAN_SECRET!,
    publicUrl: config.publicUrl,
    timezone: config.TZ,
    sandbox: false,
    maxBodyBytes: config.XIAOAN_MAX_BODY_BYTES,
    // Cloudflare's edge sets CF-Connecting-IP on every request, replacing any the client sent.
    clientAddressHeader: config.XIAOAN_CLIENT_IP_HEADER ?? 'cf-connecting-ip',
    platforms: (deps) => platformsFromEnv(vars, deps),
  });
  return { runtime, database, log };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { runtime, database, log } = open(env);
    // env and ctx reach handlers as c.env and c.executionCtx (late work is kept alive with waitUntil).
    const response = await runtime.app.fetch(request, env, ctx);
    ctx.waitUntil(
      runtime.dispatcher
        .runOnce()
        .catch((error) => log.error({ err: error }, 'dispatch after request failed'))
        .finally(() => database.close()),
    );
    return response;
  },

  async scheduled(controller: { scheduledTime: number }, env: Env, ctx: ExecutionContext): Promise<void> {
    const { runtime, database, log } = open(env);
    ctx.waitUntil(
      (async () => {
        await runtime.tick(new Date(controller.scheduledTime));
        await runtime.dispatcher.drain({ timeoutMs: 25_000 });
      })()
        .catch((error) => log.error({ err: error }, 'scheduled run failed'))
        .finally(() => database.close()),
    );
  },
};
