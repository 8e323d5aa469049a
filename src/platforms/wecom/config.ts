import { Buffer } from 'node:buffer';
import { z } from 'zod';

export const WECOM_DEFAULT_API_BASE_URL = 'https://qyapi.weixin.qq.com';
/** The SDK's built-in default (`@wecom/aibot-node-sdk` DEFAULT_WS_URL). */
export const WECOM_DEFAULT_BOT_WS_URL = 'wss://openws.work.weixin.qq.com';

const optional = z.string().optional();

/** The WeCom environment variables, all optional strings; `wecomConfigFrom` decides what is complete. */
export const wecomEnvSchema = z.object({
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional,
  WECOM_API_BASE_URL: optional,
  WECOM_BOT_ID: optional,
  WECOM_BOT_SECRET: optional,
  WECOM_BOT_WS_URL: optional,
  WECOM_ROBOT_WEBHOOK_KEYS: optional,
});

export interface WecomAppConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** Callback settings (接收消息): without them the app only sends. */
  callback?: { token: string; encodingAesKey: string };
}

export interface WecomAibotConfig {
  botId: string;
  secret: string;
  wsUrl: string;
}

export interface WecomConfig {
  apiBaseUrl: string;
  app?: WecomAppConfig;
  aibot?: WecomAibotConfig;
  /** Group robot webhook keys by the name used in tenant `robot:<name>`. */
  robots: Record<string, string>;
}

const ROBOT_NAME = /^[A-Za-z0-9_-]+$/;
const APP_VARS = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function requireCompanions(have: string, values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!value) throw new Error(`${name} is required when ${have} is set`);
  }
}

function parseUrl(name: string, value: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) throw new Error(`${name} must use ${protocols.join(' or ')}`);
  return value.replace(/\/+$/, '');
}

function parseEncodingAesKey(value: string): string {
  // 43 Base64 characters that decode (with the '=' WeCom leaves off) to a 32-byte AES key.
  if (!/^[A-Za-z0-9+/]{43}$/.test(value) || Buffer.from(`${value}=`, 'base64').length !== 32) {
    throw new Error('WECOM_ENCODING_AES_KEY must be the 43-character EncodingAESKey from the admin console');
  }
  return value;
}

function parseRobotKeys(value: string | undefined): Record<string, string> {
  const robots: Record<string, string> = {};
  if (!value) return robots;
  for (const entry of value.split(',')) {
    if (!entry.trim()) continue;
    const at = entry.indexOf('=');
    const name = at > 0 ? entry.slice(0, at).trim() : '';
    const key = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!ROBOT_NAME.test(name) || !key) {
      throw new Error(
        'WECOM_ROBOT_WEBHOOK_KEYS must look like "name1=key1,name2=key2" (names: letters, digits, _ or -)',
      );
    }
    if (name in robots) throw new Error(`WECOM_ROBOT_WEBHOOK_KEYS names robot "${name}" twice`);
    robots[name] = key;
  }
  return robots;
}

/**
 * The WeCom configuration, or null when none of the three channels is configured.
 * Throws an Error naming the variable when a value is bad or a required companion is missing.
 */
export function wecomConfigFrom(env: Record<string, string | undefined>): WecomConfig | null {
  const raw = wecomEnvSchema.parse(env);
  const v = Object.fromEntries(Object.entries(raw).map(([k, value]) => [k, present(value)])) as Record<
    keyof typeof raw,
    string | undefined
  >;

  const robots = parseRobotKeys(v.WECOM_ROBOT_WEBHOOK_KEYS);
  const apiBaseUrl = v.WECOM_API_BASE_URL
    ? parseUrl('WECOM_API_BASE_URL', v.WECOM_API_BASE_URL, ['https:', 'http:'])
    : WECOM_DEFAULT_API_BASE_URL;

  let app: WecomAppConfig | undefined;
  const appVarSet = APP_VARS.find((name) => v[name]);
  if (appVarSet) {
    requireCompanions(appVarSet, {
      WECOM_CORP_ID: v.WECOM_CORP_ID,
      WECOM_AGENT_ID: v.WECOM_AGENT_ID,
      WECOM_SECRET: v.WECOM_SECRET,
    });
    if (!/^\d{1,10}$/.test(v.WECOM_AGENT_ID as string)) throw new Error('WECOM_AGENT_ID must be the numeric AgentId');
    if (Boolean(v.WECOM_TOKEN) !== Boolean(v.WECOM_ENCODING_AES_KEY)) {
      throw new Error(
        v.WECOM_TOKEN
          ? 'WECOM_ENCODING_AES_KEY is required when WECOM_TOKEN is set'
          : 'WECOM_TOKEN is required when WECOM_ENCODING_AES_KEY is set',
      );
    }
    app = {
      corpId: v.WECOM_CORP_ID as string,
      agentId: Number(v.WECOM_AGENT_ID),
      secret: v.WECOM_SECRET as string,
      ...(v.WECOM_TOKEN && v.WECOM_ENCODING_AES_KEY
        ? { callback: { token: v.WECOM_TOKEN, encodingAesKey: parseEncodingAesKey(v.WECOM_ENCODING_AES_KEY) } }
        : {}),
    };
  }

  let aibot: WecomAibotConfig | undefined;
  if (v.WECOM_BOT_ID || v.WECOM_BOT_SECRET) {
    requireCompanions(v.WECOM_BOT_ID ? 'WECOM_BOT_ID' : 'WECOM_BOT_SECRET', {
      WECOM_BOT_ID: v.WECOM_BOT_ID,
      WECOM_BOT_SECRET: v.WECOM_BOT_SECRET,
    });
    aibot = {
      botId: v.WECOM_BOT_ID as string,
      secret: v.WECOM_BOT_SECRET as string,
      wsUrl: v.WECOM_BOT_WS_URL
        ? parseUrl('WECOM_BOT_WS_URL', v.WECOM_BOT_WS_URL, ['wss:', 'ws:'])
        : WECOM_DEFAULT_BOT_WS_URL,
    };
  } else if (v.WECOM_BOT_WS_URL) {
    throw new Error('WECOM_BOT_ID and WECOM_BOT_SECRET are required when WECOM_BOT_WS_URL is set');
  }

  if (!app && !aibot && Object.keys(robots).length === 0) return null;
  return { apiBaseUrl, robots, ...(app ? { app } : {}), ...(aibot ? { aibot } : {}) };
}
