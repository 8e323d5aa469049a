/**
 * WeCom tenants: one platform, three channels, told apart by the tenant prefix.
 *   aibot:<botId>             AI bot (智能机器人) chats over its WebSocket
 *   app:<corpId>:<agentId>    self-built app (自建应用) 1:1 conversation with members
 *   robot:<name>              group robot webhook, key looked up by name in WECOM_ROBOT_WEBHOOK_KEYS
 */
export type WecomTenant =
  | { channel: 'aibot'; botId: string }
  | { channel: 'app'; corpId: string; agentId: number }
  | { channel: 'robot'; name: string };

export const aibotTenant = (botId: string): string => `aibot:${botId}`;
export const appTenant = (corpId: string, agentId: number): string => `app:${corpId}:${agentId}`;
export const robotTenant = (name: string): string => `robot:${name}`;

export function parseWecomTenant(tenant: string): WecomTenant | null {
  const [channel, first, second, extra] = tenant.split(':');
  if (!first || extra !== undefined) return null;
  if (channel === 'aibot' && second === undefined) return { channel, botId: first };
  if (channel === 'robot' && second === undefined) return { channel, name: first };
  if (channel === 'app' && second !== undefined && /^\d+$/.test(second)) {
    return { channel, corpId: first, agentId: Number(second) };
  }
  return null;
}
