import { z } from 'zod';

const flag = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values).optional();

/** Environment variables of the Feishu adapter; all optional, validated by `feishuConfigFrom`. */
export const feishuEnvSchema = z.object({
  FEISHU_APP_ID: z.string().optional(),
  FEISHU_APP_SECRET: z.string().optional(),
  FEISHU_VERIFICATION_TOKEN: z.string().optional(),
  FEISHU_ENCRYPT_KEY: z.string().optional(),
  FEISHU_BASE_URL: z.string().optional(),
  FEISHU_TRANSPORT: flag(['http', 'ws']),
  FEISHU_URGENT: flag(['app', 'sms', 'phone']),
});

export type FeishuTransport = 'http' | 'ws';
/** Which urgent (加急) API nags use; sms and phone consume the tenant's paid quota. */
export type FeishuUrgentKind = 'app' | 'sms' | 'phone';

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  /** Checked on every HTTP delivery; without it the webhook refuses everything (WS-only set-ups). */
  verificationToken?: string;
  /** When set, deliveries are AES-encrypted and carry X-Lark-Signature. */
  encryptKey?: string;
  baseUrl: string;
  transport: FeishuTransport;
  urgent: FeishuUrgentKind;
}

export const FEISHU_DEFAULT_BASE_URL = 'https://open.feishu.cn';

/** WSClient.start() silently refuses any other app id shape (SDK 1.74.0). */
const STRICT_APP_ID = /^cli_[0-9a-fA-F]{16}$/;
const LOOSE_APP_ID = /^cli_\w+$/;

const present = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export function feishuConfigFrom(env: Record<string, string | undefined>): FeishuConfig | null {
  const parsed = feishuEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue?.path[0] ?? 'FEISHU_*')}: ${issue?.message ?? 'invalid value'}`);
  }
  const vars = parsed.data;
  const appId = present(vars.FEISHU_APP_ID);
  const appSecret = present(vars.FEISHU_APP_SECRET);
  const verificationToken = present(vars.FEISHU_VERIFICATION_TOKEN);
  const encryptKey = present(vars.FEISHU_ENCRYPT_KEY);
  const transport = vars.FEISHU_TRANSPORT ?? 'http';

  if (!appId) {
    if (appSecret || verificationToken || encryptKey) {
      throw new Error('FEISHU_APP_ID is required when other FEISHU_* variables are set');
    }
    return null;
  }
  if (!LOOSE_APP_ID.test(appId)) throw new Error('FEISHU_APP_ID must look like cli_xxxxxxxxxxxxxxxx');
  if (transport === 'ws' && !STRICT_APP_ID.test(appId)) {
    throw new Error('FEISHU_APP_ID must be cli_ followed by 16 hex digits for FEISHU_TRANSPORT=ws');
  }
  if (!appSecret) throw new Error('FEISHU_APP_SECRET is required with FEISHU_APP_ID');
  if (transport === 'http' && !verificationToken) {
    throw new Error('FEISHU_VERIFICATION_TOKEN is required with FEISHU_TRANSPORT=http');
  }

  return {
    appId,
    appSecret,
    verificationToken,
    encryptKey,
    baseUrl: baseUrlFrom(present(vars.FEISHU_BASE_URL)),
    transport,
    urgent: vars.FEISHU_URGENT ?? 'app',
  };
}

function baseUrlFrom(value: string | undefined): string {
  if (!value) return FEISHU_DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('FEISHU_BASE_URL must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('FEISHU_BASE_URL must be an absolute http(s) URL');
  }
  return value.replace(/\/+$/, '');
}
