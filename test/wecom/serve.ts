import { seedDemo } from '../../src/db/repos/seed-demo.js';
import type { Database } from '../../src/db/types.js';
import type { PlatformSender } from '../../src/delivery/sender.js';
import type { Log, PlatformDeps, PlatformModule } from '../../src/platforms/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';
import { silentLog, TEST_SECRET } from '../helpers/runtime.js';

export interface ServedRuntime {
  runtime: Runtime;
  /** http://127.0.0.1:<port>: the runtime's public URL, so signed links point back at this server. */
  baseUrl: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  database: Database;
  now: () => Date;
  /** Built from the runtime's deps, as src/entry-node.ts does (platformsFromEnv …). */
  platforms: (deps: PlatformDeps) => PlatformModule[];
  senders?: PlatformSender[];
  log?: Log;
  /** Seed the demo school (once per database). */
  seed?: boolean;
}

/**
 * The production runtime (sandbox off) served over real HTTP on 127.0.0.1:0, so fakes deliver callbacks to
 * /webhooks/<p> and people open /h5/… exactly as they would in production.
 */
export async function serveRuntime(options: ServeOptions): Promise<ServedRuntime> {
  const server = await serveOnLoopback();
  const baseUrl = server.url;
  if (options.seed !== false) await seedDemo(options.database.db);
  const runtime = createRuntime({
    db: options.database.db,
    log: options.log ?? silentLog,
    secret: TEST_SECRET,
    publicUrl: baseUrl,
    timezone: 'Asia/Shanghai',
    sandbox: false,
    maxBodyBytes: 256 * 1024,
    platforms: options.platforms,
    now: options.now,
    random: () => 0.5,
    ...(options.senders ? { senders: options.senders } : {}),
  });
  server.use(runtime.app);
  return {
    runtime,
    baseUrl,
    close: () => server.close(),
  };
}
