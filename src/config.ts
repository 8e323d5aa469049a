import { z } from 'zod';
import { CLIENT_ADDRESS_HEADERS } from './http/client-address.js';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true');

const baseSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '应为 postgres:// 开头的连接串')
    .optional(),
  XIAOAN_DATA_DIR: z.string().min(1).default('./data'),
  XIAOAN_PUBLIC_URL: z.url().optional(),
  XIAOAN_SECRET: z.string().min(32, '至少 32 个字符').optional(),
  TZ: z
    .string()
    .default('Asia/Shanghai')
    .refine((zone) => isTimeZone(zone), '不是有效的 IANA 时区'),
  XIAOAN_SANDBOX: flag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  XIAOAN_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  XIAOAN_ADMIN_TOKEN: z.string().min(16).optional(),
  XIAOAN_CLIENT_IP_HEADER: z
    .string()
    .transform((name) => name.toLowerCase())
    .pipe(
      z.enum(
        CLIENT_ADDRESS_HEADERS,
        `应为 ${CLIENT_ADDRESS_HEADERS.slice(0, -1).join('、')} 或 ${CLIENT_ADDRESS_HEADERS.at(-1)}（反向代理写入客户端地址的请求头）`,
      ),
    )
    .optional(),
});

export type BaseConfig = z.infer<typeof baseSchema>;

export interface Config extends BaseConfig {
  /** Base for signed links; defaults to the local server. */
  publicUrl: string;
  /** True when no platform is configured or XIAOAN_SANDBOX=1. */
  sandbox: boolean;
  /** Platforms with credentials in the environment. */
  configuredPlatforms: string[];
  env: Record<string, string | undefined>;
}

export class ConfigError extends Error {}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Env prefixes whose presence means a real platform is configured (sandbox then stays off unless forced). */
const PLATFORM_MARKERS: Record<string, string> = {
  feishu: 'FEISHU_APP_ID',
  dingtalk: 'DINGTALK_CLIENT_ID',
  wecom: 'WECOM_CORP_ID',
  wecom_bot: 'WECOM_BOT_ID',
  wecom_robot: 'WECOM_ROBOT_WEBHOOK_KEYS',
  wechaty: 'WECHATY_PUPPET',
};

/** Parses the environment; a bad value throws one ConfigError line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = baseSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.') || '(环境变量)';
    throw new ConfigError(`配置错误：${variable} ${issue.message}（当前值：${JSON.stringify(env[variable] ?? '')}）`);
  }
  const base = parsed.data;
  const configuredPlatforms = [
    ...new Set(
      Object.entries(PLATFORM_MARKERS)
        .filter(([, variable]) => cleaned[variable])
        .map(([platform]) => platform.split('_')[0]!),
    ),
  ];
  if (base.DATABASE_URL && !base.XIAOAN_SECRET) {
    throw new ConfigError('配置错误：XIAOAN_SECRET 使用 PostgreSQL（DATABASE_URL）时必须设置，至少 32 个字符');
  }
  return {
    ...base,
    publicUrl: base.XIAOAN_PUBLIC_URL ?? `http://localhost:${base.PORT}`,
    sandbox: base.XIAOAN_SANDBOX || configuredPlatforms.length === 0,
    configuredPlatforms,
    env,
  };
}
