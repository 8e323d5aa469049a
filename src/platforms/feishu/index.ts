import type { PlatformDeps, PlatformModule } from '../types.js';
import { createFeishuClient, type FeishuClient } from './client.js';
import type { FeishuConfig } from './config.js';
import { createFeishuSender } from './sender.js';
import { createFeishuWebhook } from './webhook.js';

/**
 * Feishu (飞书) platform. Workers-safe: nothing Node-only is reachable from here (the WSClient transport
 * lives in transport-ws.ts).
 *
 * Tenant: InboundEvent.tenant and OutboundTarget.tenant are the app id (FEISHU_APP_ID). Feishu issues
 * open_ids per app, so the app id is what scopes every user id this service stores; the sender also accepts
 * '' for the one configured app.
 */
export interface FeishuPlatform extends PlatformModule {
  config: FeishuConfig;
  /** For downloads (hazard photos), card updates and the long-connection transport. */
  client: FeishuClient;
}

export function createFeishuPlatform(config: FeishuConfig, deps: PlatformDeps): FeishuPlatform {
  const client = createFeishuClientFor(config, deps);
  const now = deps.now ?? (() => new Date());
  return {
    platform: 'feishu',
    config,
    client,
    sender: createFeishuSender(config, client, deps.log),
    webhook: createFeishuWebhook({ config, log: deps.log, now, botOpenId: () => client.botOpenId() }),
  };
}

export function createFeishuClientFor(config: FeishuConfig, deps: PlatformDeps): FeishuClient {
  const now = deps.now;
  return createFeishuClient({
    appId: config.appId,
    appSecret: config.appSecret,
    baseUrl: config.baseUrl,
    fetch: deps.fetch,
    now: now ? () => now().getTime() : undefined,
  });
}

export type { FeishuClient } from './client.js';
export { type FeishuConfig, feishuConfigFrom, feishuEnvSchema } from './config.js';
