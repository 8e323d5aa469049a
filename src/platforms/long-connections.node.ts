import type { LeaseStore } from '../db/repos/leases.js';
import { dingtalkConfigFrom } from './dingtalk/config.js';
import { createDingtalkStreamTransport } from './dingtalk/transport-stream.js';
import { feishuConfigFrom } from './feishu/config.js';
import { createFeishuWsTransport } from './feishu/transport-ws.js';
import type { LongConnection, PlatformDeps, PlatformModule } from './types.js';
import { wechatyConfigFrom } from './wechaty/config.js';
import { createWechatyPlatform } from './wechaty/index.js';
import { createWechatyTransport } from './wechaty/transport-wechaty.js';
import { createWecomAibotTransport } from './wecom/aibot/transport-aibot.js';
import { wecomConfigFrom } from './wecom/config.js';

export interface LongConnectionPlatforms {
  /** Senders of platforms that only exist as long connections (Wechaty). */
  modules: PlatformModule[];
  connections: LongConnection[];
}

/**
 * Node-only transports configured in the environment: Feishu WSClient, DingTalk Stream, the WeCom AI bot
 * (one live connection per bot across instances, by lease) and Wechaty.
 */
export function longConnectionsFromEnv(
  env: Record<string, string | undefined>,
  deps: PlatformDeps & { leases: LeaseStore },
): LongConnectionPlatforms {
  const modules: PlatformModule[] = [];
  const connections: LongConnection[] = [];
  const feishu = feishuConfigFrom(env);
  if (feishu?.transport === 'ws') connections.push(createFeishuWsTransport(feishu, deps));
  const dingtalk = dingtalkConfigFrom(env);
  if (dingtalk?.transport === 'stream') connections.push(createDingtalkStreamTransport(dingtalk, deps));
  const wecom = wecomConfigFrom(env);
  if (wecom?.aibot) connections.push(createWecomAibotTransport(wecom, deps));
  const wechaty = wechatyConfigFrom(env);
  if (wechaty) {
    modules.push(createWechatyPlatform(wechaty, deps));
    connections.push(createWechatyTransport(wechaty, deps));
  }
  return { modules, connections };
}
