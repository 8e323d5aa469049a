import { z } from 'zod';

/** npm package name (optionally scoped): Wechaty imports the puppet module by this name. */
const PUPPET_NAME = /^(@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/;

/** The puppet that talks to a hosted service and needs a token (WorkPro for WeCom, padlocal …). */
export const PUPPET_SERVICE = 'wechaty-puppet-service';

export const wechatyEnvSchema = z.object({
  WECHATY_PUPPET: z.string().regex(PUPPET_NAME, '应为 puppet 的 npm 包名，例如 wechaty-puppet-service').optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(1).optional(),
  WECHATY_NAME: z.string().min(1).max(32, '最多 32 个字符').optional(),
});

export interface WechatyConfig {
  /** Puppet npm module name, lower-cased as Wechaty itself does. */
  puppet: string;
  puppetToken?: string;
  /** The bot account's display name; "@<name>" is stripped from room messages. */
  name: string;
}

const DEFAULT_NAME = '校安';

/** Null when WECHATY_PUPPET is unset; throws an Error naming the variable when a value is bad or missing. */
export function wechatyConfigFrom(env: Record<string, string | undefined>): WechatyConfig | null {
  const present = Object.fromEntries(
    Object.keys(wechatyEnvSchema.shape)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = wechatyEnvSchema.safeParse({
    ...present,
    ...(present.WECHATY_PUPPET ? { WECHATY_PUPPET: present.WECHATY_PUPPET.toLowerCase() } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    throw new Error(`配置错误：${variable} ${issue.message}`);
  }
  const { WECHATY_PUPPET: puppet, WECHATY_PUPPET_SERVICE_TOKEN: puppetToken, WECHATY_NAME: name } = parsed.data;
  if (!puppet) {
    if (puppetToken) throw new Error('配置错误：WECHATY_PUPPET 未设置，但设置了 WECHATY_PUPPET_SERVICE_TOKEN');
    return null;
  }
  if (puppet === PUPPET_SERVICE && !puppetToken) {
    throw new Error(`配置错误：WECHATY_PUPPET_SERVICE_TOKEN 使用 ${PUPPET_SERVICE} 时必须设置（服务商提供的 token）`);
  }
  return { puppet, ...(puppetToken ? { puppetToken } : {}), name: name ?? DEFAULT_NAME };
}
