import type { PlatformSender } from '../../delivery/sender.js';
import type { PlatformDeps, PlatformModule } from '../types.js';
import { type AibotConnectionRegistry, aibotConnections } from './aibot/registry.js';
import { createAibotChannel } from './aibot/sender.js';
import { createWecomAppClient } from './app/client.js';
import { createAppChannel } from './app/sender.js';
import { createWecomAppWebhook } from './app/webhook.js';
import type { ChannelSender } from './channel.js';
import type { WecomConfig } from './config.js';
import { createRobotChannel } from './robot/sender.js';
import { parseWecomTenant } from './tenant.js';

/**
 * WeCom (企业微信): one PlatformModule for platform 'wecom', three channels told apart by the tenant string — the
 * same string on InboundEvent.tenant and OutboundTarget.tenant:
 *
 *   aibot:<botId>            AI bot (智能机器人). Group chats that @-mention it and 1:1 chats, card clicks.
 *                            chatId = group chatid; 1:1 chats use the member's userid as chat id (and userId).
 *                            Sends go through the live WebSocket of whichever instance holds the bot's lease
 *                            (transport-aibot.ts, Node only); elsewhere they fail `transient` and are retried.
 *   app:<corpId>:<agentId>   self-built app (自建应用). Its 1:1 conversation only: userId (= chat id) is the member's
 *                            userid. Callback at GET/POST /webhooks/wecom; sends with message/send.
 *   robot:<name>             group robot webhook (消息推送), push-only into its one group; the key comes from
 *                            WECOM_ROBOT_WEBHOOK_KEYS ("name1=key1,name2=key2"). target.userId, when set, is the
 *                            intended actor for degraded card buttons.
 *
 * actor.platformUserId is always the WeCom userid. Workers-safe: nothing Node-only is reachable from here.
 */
export interface WecomPlatformOptions {
  /** Where the AI bot transport registers its live connection; the process-wide registry by default. */
  aibotRegistry?: AibotConnectionRegistry;
}

export function createWecomPlatform(
  config: WecomConfig,
  deps: PlatformDeps,
  options: WecomPlatformOptions = {},
): PlatformModule {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const channels: { aibot?: ChannelSender; app?: ChannelSender; robot?: ChannelSender } = {};
  const aibotRegistry = options.aibotRegistry ?? aibotConnections;
  let webhook: PlatformModule['webhook'];

  if (config.aibot) {
    channels.aibot = createAibotChannel(config.aibot, aibotRegistry, deps);
  }
  if (config.app) {
    const app = config.app;
    const client = createWecomAppClient({
      baseUrl: config.apiBaseUrl,
      corpId: app.corpId,
      agentId: app.agentId,
      secret: app.secret,
      fetch: fetchFn,
      ...(deps.now ? { now: deps.now } : {}),
    });
    channels.app = createAppChannel(app, client, deps);
    if (app.callback) webhook = createWecomAppWebhook({ ...app, callback: app.callback }, client, deps);
  }
  if (Object.keys(config.robots).length > 0) {
    channels.robot = createRobotChannel(config.robots, config.apiBaseUrl, { ...deps, fetch: fetchFn });
  }

  /** The channel for a tenant, provided it is the bot / app this configuration names. */
  const channelFor = (tenant: string): ChannelSender | undefined => {
    const parsed = parseWecomTenant(tenant);
    if (!parsed) return undefined;
    if (parsed.channel === 'aibot') return parsed.botId === config.aibot?.botId ? channels.aibot : undefined;
    if (parsed.channel === 'app') {
      const app = config.app;
      return app && parsed.corpId === app.corpId && parsed.agentId === app.agentId ? channels.app : undefined;
    }
    return parsed.name in config.robots ? channels.robot : undefined;
  };

  const sender: PlatformSender = {
    platform: 'wecom',
    canSend(target) {
      const parsed = parseWecomTenant(target.tenant);
      return parsed?.channel !== 'aibot' || aibotRegistry.get(parsed.botId) !== undefined;
    },
    bucketsFor: (target) => channelFor(target.tenant)?.bucketsFor(target) ?? [],
    async send(delivery) {
      const channel = channelFor(delivery.target.tenant);
      if (!channel) {
        return {
          ok: false,
          kind: 'permanent',
          error: `no configured WeCom channel for tenant "${delivery.target.tenant}"`,
        };
      }
      return channel.send(delivery);
    },
  };

  return { platform: 'wecom', sender, ...(webhook ? { webhook } : {}) };
}
