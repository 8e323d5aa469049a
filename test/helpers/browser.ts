import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestDb } from './db.js';
import { serveOnLoopback } from './loopback-server.js';
import { createTestRuntime, type TestRuntimeOptions } from './runtime.js';

/** Debian's chromium (apt-get install -y chromium), never a downloaded browser; no traffic beyond loopback. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * For one describe block: the test runtime behind a loopback server, and Chromium, closed after the block.
 * `phone()` opens a context the size of a phone: the H5 pages are read in the platforms' in-app browsers.
 */
export async function browserTestbed(options: Omit<TestRuntimeOptions, 'database' | 'publicUrl'> = {}) {
  const database = await createTestDb();
  const server = await serveOnLoopback();
  const runtime = await createTestRuntime({ ...options, database, publicUrl: server.url });
  server.use(runtime.app);
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server.close();
    await database.close();
  });
  const phone = (): Promise<BrowserContext> =>
    browser!.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
  return { database, runtime, url: server.url, phone };
}
