import type { RateBucket } from '../../delivery/sender.js';

/**
 * A token bucket that can never let more than `limit` sends through in any `windowSeconds` window: a full bucket
 * (burst) plus what refills during the window (rate × window) adds up to exactly the limit.
 */
export function windowBucket(key: string, limit: number, windowSeconds: number, burst: number): RateBucket {
  return { key, burst, ratePerSecond: (limit - burst) / windowSeconds };
}

/**
 * Published limits (wecom.md §3.5, §3.7; platforms/README.md):
 * - app → one member: 30/min and 1000/h; over that WeCom drops the message silently, so we must never get there.
 * - one API per corp: 10,000/min.
 * - group robot: 20/min; going over blocks the robot for about 10 minutes, so we keep one message of headroom for
 *   network jitter between our clock and WeCom's window.
 * - AI bot: no published limit for aibot_send_msg (UNCONFIRMED); we pace each chat like a group robot and cap the
 *   bot as a whole.
 */
export const wecomBuckets = {
  appMember: (corpId: string, agentId: number, userId: string): RateBucket[] => [
    windowBucket(`wecom:app:${corpId}:${agentId}:user:${userId}:min`, 30, 60, 6),
    windowBucket(`wecom:app:${corpId}:${agentId}:user:${userId}:hour`, 1000, 3600, 100),
  ],
  appApi: (corpId: string, api: string): RateBucket => ({
    ...windowBucket(`wecom:corp:${corpId}:api:${api}`, 10_000, 60, 200),
    shared: true,
  }),
  robot: (name: string): RateBucket[] => [windowBucket(`wecom:robot:${name}`, 19, 60, 3)],
  aibotChat: (botId: string, chatId: string): RateBucket[] => [
    windowBucket(`wecom:aibot:${botId}:chat:${chatId}`, 20, 60, 5),
    { ...windowBucket(`wecom:aibot:${botId}`, 600, 60, 20), shared: true },
  ],
};
