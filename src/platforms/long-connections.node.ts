import { dingtalkConfigFrom } from './dingtalk/config.js';
import { createDingtalkStreamTransport } from './dingtalk/transport-stream.js';
import { createWechatyPlatform } from './wechaty/index.js';
import { wechatyConfigFrom } from './wechaty/config.js';
import { createWechatyTransport } from './wechaty/transport-wechaty.js';
import type { LongConnection, PlatformDeps, PlatformModule } from './types.js';

export interface LongConnectionPlatforms {
  /** Senders of platforms whose messages go out through a live connection held by this process. */
  modules: PlatformModule[];
  connections: LongConnection[];
}

/** Node-only transports configured in the environment (Wechaty, Feishu WS, DingTalk Stream, WeCom AI bot). */
export function longConnectionsFromEnv(
  env: Record<string, string | undefined>,
  deps: PlatformDeps,
): LongConnectionPlatforms {
  const modules: PlatformModule[] = [];
  const connections: LongConnection[] = [];
  const dingtalk = dingtalkConfigFrom(env);
  if (dingtalk?.transport === 'stream') connections.push(createDingtalkStreamTransport(dingtalk, deps));
  const wechaty = wechatyConfigFrom(env);
  if (wechaty) {
    modules.push(createWechatyPlatform(wechaty, deps));
    connections.push(createWechatyTransport(wechaty, deps));
  }
  return { modules, connections };
}
