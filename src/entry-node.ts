import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import cron from 'node-cron';
import type { Hono } from 'hono';
import { type Config, loadConfig } from './config.js';
import { connectDatabase } from './db/client.node.js';
import { migrate } from './db/migrate.node.js';
import { createLeaseStore } from './db/repos/leases.js';
import { databaseIsEmpty, seedDemo } from './db/repos/seed-demo.js';
import { embeddedSecret, lockDataDir, updateLock } from './cli/data-dir.node.js';
import { adminRoutes } from './http/routes/admin.js';
import { nodeLog } from './log.node.js';
import { type DingtalkPlatform, dingtalkConfigFrom, registerDingtalkCardCallback } from './platforms/dingtalk/index.js';
import { longConnectionsFromEnv } from './platforms/long-connections.node.js';
import { platformsFromEnv } from './platforms/registry.js';
import type { LongConnection } from './platforms/types.js';
import { createRuntime } from './runtime.js';

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** The Node server: migrate, seed the demo in sandbox mode, serve HTTP, dispatch the outbox, tick every minute. */
export async function startServer(config: Config): Promise<RunningServer> {
  const log = nodeLog(config.LOG_LEVEL);
  const embedded = !config.DATABASE_URL;
  const lock = embedded ? lockDataDir(config.XIAOAN_DATA_DIR) : null;
  if (lock && !lock.ok) {
    throw new Error(
      `数据目录 ${config.XIAOAN_DATA_DIR} 已被进程 ${lock.owner.pid} 使用：同一个数据目录只能运行一个服务。`,
    );
  }
  const database = await connectDatabase({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    dataDir: config.XIAOAN_DATA_DIR,
  });
  await migrate(database);
  const secret = config.XIAOAN_SECRET ?? embeddedSecret(config.XIAOAN_DATA_DIR);
  if (config.sandbox && (await databaseIsEmpty(database.db))) {
    await seedDemo(database.db, { secret });
    log.info('sandbox mode: demo school seeded (code demo)');
  }
  const adminToken = config.XIAOAN_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  const { runCli } = await import('./cli/main.js');
  const admin = adminRoutes(
    adminToken,
    async (argv) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        argv,
        {
          out: (line) => out.push(line),
          err: (line) => err.push(line),
          stdin: process.stdin,
          stdout: process.stdout,
          isTty: false,
        },
        config.env,
        { database },
      );
      return { code, out, err };
    },
    (c) => getConnInfo(c as Parameters<typeof getConnInfo>[0]).remote.address,
  );
  let connections: LongConnection[] = [];
  const runtime = createRuntime({
    db: database.db,
    burstPool: database.burstPool,
    log,
    secret,
    publicUrl: config.publicUrl,
    timezone: config.TZ,
    sandbox: config.sandbox,
    maxBodyBytes: config.XIAOAN_MAX_BODY_BYTES,
    clientAddressHeader: config.XIAOAN_CLIENT_IP_HEADER,
    platforms: (deps) => {
      const long = longConnectionsFromEnv(config.env, { ...deps, leases: createLeaseStore(database.db) });
      connections = long.connections;
      return [...platformsFromEnv(config.env, deps), ...long.modules];
    },
    mounts: [{ path: '/admin', app: admin as unknown as Hono }],
  });
  if (runtime.platforms.length > 0)
    log.info({ platforms: runtime.platforms.map((p) => p.platform) }, 'platforms configured');

  const server = serve({ fetch: runtime.app.fetch, port: config.PORT, hostname: config.HOST });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (embedded) updateLock(config.XIAOAN_DATA_DIR, { adminPort: port, adminToken });
  for (const connection of connections) await connection.start(runtime.pipeline);
  await registerCallbacks(config, runtime.platforms, log);
  const dispatching = runtime.dispatcher.start();
  const ticking = cron.schedule(
    '* * * * *',
    () => runtime.tick(new Date()).catch((error) => log.error({ err: error }, 'scheduler tick failed')),
    { name: 'xiaoan-tick', noOverlap: true },
  );
  log.info(
    { port, sandbox: config.sandbox, database: database.driver },
    `xiaoan 已启动：http://localhost:${port}${config.sandbox ? '/sandbox' : ''}`,
  );

  return {
    port,
    async stop() {
      await ticking.stop();
      await dispatching.stop();
      for (const connection of connections) await connection.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
      if (lock?.ok) lock.release();
    },
  };
}

/** Card templates on DingTalk call back over HTTP only once told where: do it at every start (idempotent). */
async function registerCallbacks(config: Config, platforms: { platform: string }[], log: ReturnType<typeof nodeLog>) {
  const dingtalkConfig = dingtalkConfigFrom(config.env);
  const dingtalk = platforms.find((platform) => platform.platform === 'dingtalk') as DingtalkPlatform | undefined;
  if (!dingtalkConfig || !dingtalk) return;
  const result = await registerDingtalkCardCallback(dingtalk, dingtalkConfig, config.publicUrl).catch((error) => ({
    ok: false as const,
    error,
  }));
  if (!result.ok) log.warn({ result }, 'DingTalk card callback registration failed; card clicks will not reach us');
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  startServer(loadConfig(process.env)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
