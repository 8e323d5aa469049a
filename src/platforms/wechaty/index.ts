/**
 * Wechaty: WeChat / WeCom accounts driven through a puppet (unofficial RPA; no cards, no webhook).
 *
 * Tenant: the logged-in account's contact id (bot.currentUser.id). InboundEvent.tenant carries it and
 * OutboundTarget.tenant must carry the same string; the sender uses it to find the live account in the
 * in-process registry. Chats bound for one account stay bound to it: a different account logging in is a
 * different tenant (its room and contact ids may differ too, depending on the puppet).
 * Chat ids: the room id for groups (may contain "@"), the contact id for direct chats.
 *
 * Inbound runs only in the Node runner (transport-wechaty.ts, `xiaoan wechaty`); this module is Workers-safe
 * and exists so the dispatcher can send, which only succeeds in the process where the account is logged in.
 */
import type { PlatformDeps, PlatformModule } from '../types.js';
import type { WechatyConfig } from './config.js';
import { type WechatyBotRegistry, type WechatyFile, wechatyBots } from './registry.js';
import { createWechatySender } from './sender.js';

export interface WechatyPlatformDeps extends PlatformDeps {
  /** Defaults to the process-wide registry the runner registers into. */
  registry?: WechatyBotRegistry;
}

export interface WechatyPlatformModule extends PlatformModule {
  /** The bytes behind an attachment key (the image message id), through the account that received it. */
  downloadAttachment(tenant: string, key: string): Promise<WechatyFile | undefined>;
}

export function createWechatyPlatform(_config: WechatyConfig, deps: WechatyPlatformDeps): WechatyPlatformModule {
  const registry = deps.registry ?? wechatyBots;
  return {
    platform: 'wechaty',
    sender: createWechatySender({ registry, links: deps.links, log: deps.log, ...(deps.now ? { now: deps.now } : {}) }),
    downloadAttachment: async (tenant, key) => registry.get(tenant)?.download(key),
  };
}
