import { createDingtalkPlatform, dingtalkConfigFrom } from './dingtalk/index.js';
import type { PlatformDeps, PlatformModule } from './types.js';

/**
 * The platforms configured in the environment. Workers-safe: senders and HTTP callbacks only; long
 * connections (Stream, WS, Wechaty) are added on Node by long-connections.node.ts.
 */
export function platformsFromEnv(env: Record<string, string | undefined>, deps: PlatformDeps): PlatformModule[] {
  const platforms: PlatformModule[] = [];
  const dingtalk = dingtalkConfigFrom(env);
  if (dingtalk) platforms.push(createDingtalkPlatform(dingtalk, deps));
  return platforms;
}
