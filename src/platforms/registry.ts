import type { PlatformDeps, PlatformModule } from './types.js';

/** The HTTP-callback platforms configured in the environment (Workers-safe: no long connections here). */
export function platformsFromEnv(_env: Record<string, string | undefined>, _deps: PlatformDeps): PlatformModule[] {
  return [];
}
