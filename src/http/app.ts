import { sql } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { rowsOf } from '../db/rows.js';
import type { Db } from '../db/types.js';
import type { InboundPipeline, Log, PlatformModule } from '../platforms/types.js';
import type { Metrics } from './metrics.js';
import { setResponseHeader } from './response-headers.js';
import { actionLinkRoutes } from './routes/action-link.js';
import { healthRoutes } from './routes/health.js';
import { type SandboxDeps, sandboxRoutes } from './routes/sandbox.js';
import type { SignedLinks } from './signed-links.js';

export interface AppDeps {
  db: Db;
  pipeline: InboundPipeline;
  platforms: PlatformModule[];
  links: SignedLinks;
  log: Log;
  metrics: Metrics;
  maxBodyBytes: number;
  now: () => Date;
  /** Present only in sandbox mode: the simulator and its API. */
  sandbox?: Omit<SandboxDeps, 'pipeline' | 'now'>;
  /** Mounted by later areas (H5 receipts, dashboard API, admin) without touching this file. */
  mounts?: { path: string; app: Hono }[];
}

export function createApp(deps: AppDeps): Hono {
  // RegExpRouter matches every request in one precompiled expression. Hono's default picks it only when all
  // routes suit it and otherwise falls back, silently, to the several-times slower TrieRouter for every
  // request; naming it makes a route it cannot take fail at start-up (and in every test) instead.
  const app = new Hono({ router: new RegExpRouter() });

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? crypto.randomUUID();
    const started = performance.now();
    setResponseHeader(c, 'x-request-id', requestId);
    await next();
    deps.log.debug(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  const tooLarge = (c: Context) => c.json({ error: `请求体过大（上限 ${deps.maxBodyBytes} 字节）` }, 413);
  const streamedBodyLimit = bodyLimit({ maxSize: deps.maxBodyBytes, onError: tooLarge });
  // A declared length is checked without touching the body: reading `raw.body` would make the Node adapter
  // build a full WHATWG Request for every call, the largest cost of a card callback under load.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      return Number.parseInt(declared, 10) > deps.maxBodyBytes ? tooLarge(c) : next();
    }
    return streamedBodyLimit(c, next);
  });

  deps.metrics.collect(async () => {
    const rows = rowsOf<{ status: string; count: number; oldest: number | null }>(
      await deps.db.execute(sql`
        select status, count(*)::int as count,
               extract(epoch from (now() - min(created_at)))::float8 as oldest
        from outbox where status in ('pending', 'sending', 'dead') group by status`),
    );
    for (const status of ['pending', 'sending', 'dead']) {
      const row = rows.find((candidate) => candidate.status === status);
      deps.metrics.set('xiaoan_outbox_depth', 'Outbox rows by status', { status }, row?.count ?? 0);
      if (status === 'pending') {
        deps.metrics.set(
          'xiaoan_outbox_oldest_pending_seconds',
          'Age of the oldest pending outbox row',
          {},
          row?.oldest ?? 0,
        );
      }
    }
  });

  app.route('/', healthRoutes(deps.db, deps.metrics));

  const platforms = new Map(deps.platforms.map((platform) => [platform.platform, platform]));
  app.all('/webhooks/:platform', async (c) => {
    const platform = platforms.get(c.req.param('platform') as PlatformModule['platform']);
    if (!platform?.webhook) return c.json({ error: '该平台未配置' }, 404);
    return platform.webhook(c, deps.pipeline);
  });

  app.route(
    '/h5/act',
    actionLinkRoutes({ db: deps.db, links: deps.links, pipeline: deps.pipeline, log: deps.log, now: deps.now }),
  );

  if (deps.sandbox) {
    app.route('/sandbox', sandboxRoutes({ ...deps.sandbox, pipeline: deps.pipeline, now: deps.now }));
  }
  for (const mount of deps.mounts ?? []) app.route(mount.path, mount.app);

  app.get('/', (c) => (deps.sandbox ? c.redirect('/sandbox') : c.json({ name: 'xiaoan', ok: true })));

  app.notFound((c) => c.json({ error: '未找到', path: c.req.path }, 404));
  app.onError((error, c) => {
    deps.log.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: '服务器内部错误' }, 500);
  });
  return app;
}
