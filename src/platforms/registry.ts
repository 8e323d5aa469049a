import { createDingtalkPlatform, dingtalkConfigFrom } from './dingtalk/index.js';
import { createFeishuPlatform } from './feishu/index.js';
import { feishuConfigFrom } from './feishu/config.js';
import type { PlatformDeps, PlatformModule } from './types.js';
import { wecomConfigFrom } from './wecom/config.js';
import { createWecomPlatform } from './wecom/index.js';

/**
 * The platforms configured in the environment. Workers-safe: senders and HTTP callbacks only; long
 * connections (Stream, WS, Wechaty) are added on Node by long-connections.node.ts.
 */
export function platformsFromEnv(env: Record<string, string | undefined>, deps: PlatformDeps): PlatformModule[] {
  const platforms: PlatformModule[] = [];
  const feishu = feishuConfigFrom(env);
  if (feishu) platforms.push(createFeishuPlatform(feishu, deps));
  const dingtalk = dingtalkConfigFrom(env);
  if (dingtalk) platforms.push(createDingtalkPlatform(dingtalk, deps));
  const wecom = wecomConfigFrom(env);
  if (wecom) platforms.push(createWecomPlatform(wecom, deps));
  return platforms;
}
