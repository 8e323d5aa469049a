/**
 * A named, expiring lock shared by every instance (the lead implements it over the `leases` table). The AI bot
 * transport holds `wecom-aibot:<botId>` while its WebSocket is live, because WeCom keeps one connection per bot:
 * a second one kicks the first off (`disconnected_event`).
 */
export interface LeaseStore {
  /** Takes the lease when it is free or expired (or already ours); true when `holder` now holds it for ttlMs. */
  tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease by ttlMs from now; false when `holder` no longer holds it. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once, if `holder` holds it, so a standby instance can take over without waiting. */
  release(name: string, holder: string): Promise<void>;
}

export const aibotLeaseName = (botId: string): string => `wecom-aibot:${botId}`;
