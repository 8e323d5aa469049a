import { seedDemo } from '../../src/db/repos/seed-demo.js';
import type { Database } from '../../src/db/types.js';
import type { PlatformSender } from '../../src/delivery/sender.js';
import type { ClientAddressHeader } from '../../src/http/client-address.js';
import type { Log, PlatformModule } from '../../src/platforms/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** A settable clock for time-travel tests. */
export function testClock(start: string | Date) {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at: string | Date) => {
      current = new Date(at);
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export interface TestRuntimeOptions {
  database: Database;
  now?: () => Date;
  platforms?: PlatformModule[];
  senders?: PlatformSender[];
  sandbox?: boolean;
  seed?: boolean;
  publicUrl?: string;
  tick?: (now: Date) => Promise<unknown>;
  log?: Log;
  clientAddressHeader?: ClientAddressHeader;
}

/** The real runtime (flow engine, dispatcher, HTTP app) over a test database, demo school seeded. */
export async function createTestRuntime(options: TestRuntimeOptions): Promise<Runtime> {
  if (options.seed !== false) await seedDemo(options.database.db);
  return createRuntime({
    db: options.database.db,
    burstPool: options.database.burstPool,
    log: options.log ?? silentLog,
    secret: TEST_SECRET,
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:8787',
    timezone: 'Asia/Shanghai',
    sandbox: options.sandbox ?? true,
    maxBodyBytes: 256 * 1024,
    ...(options.platforms ? { platforms: () => options.platforms! } : {}),
    random: () => 0.5,
    ...(options.now ? { now: options.now } : {}),
    ...(options.senders ? { senders: options.senders } : {}),
    ...(options.tick ? { tick: options.tick } : {}),
    ...(options.clientAddressHeader ? { clientAddressHeader: options.clientAddressHeader } : {}),
  });
}

/** JSON request against the app, parsed. */
export async function call<T = Record<string, unknown>>(
  runtime: Runtime,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await runtime.app.request(path, {
    method,
    ...(body !== undefined
      ? {
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }
      : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML pages and plain text stay as text.
  }
  return { status: response.status, body: parsed as T };
}
