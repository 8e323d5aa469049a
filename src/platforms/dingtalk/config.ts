import { z } from 'zod';
import { ConfigError } from '../../config.js';

const optional = z.string().optional();
const url = z.url().optional();
const flag = z.enum(['0', '1']).optional();

export const dingtalkEnvSchema = z.object({
  /** AppKey (now called Client ID) of the enterprise-internal app. */
  DINGTALK_CLIENT_ID: optional,
  /** AppSecret (Client Secret): signs HTTP callbacks and fetches access tokens. */
  DINGTALK_CLIENT_SECRET: optional,
  /** Robot code; for an internal-app robot it equals the AppKey (the default). */
  DINGTALK_ROBOT_CODE: optional,
  DINGTALK_API_BASE_URL: url,
  DINGTALK_OAPI_BASE_URL: url,
  DINGTALK_TRANSPORT: z.enum(['http', 'stream']).optional(),
  /** '1' when the organisation's paid edition allows DING (/v1.0/robot/ding/send). */
  DINGTALK_DING: flag,
  /** Card-platform template id (`<uuid>.schema`); unset → actionCards with signed links. */
  DINGTALK_CARD_TEMPLATE_ID: optional,
  /** callbackRouteKey registered with /v1.0/card/callbacks/register (HTTP card callbacks). */
  DINGTALK_CARD_CALLBACK_ROUTE_KEY: optional,
  /** apiSecret registered with the route key; DingTalk signs card callbacks with it (x-ddpaas-signature). */
  DINGTALK_CARD_CALLBACK_SECRET: optional,
  /** Stream gateway (POST …/connections/open); defaults to <DINGTALK_API_BASE_URL>/v1.0/gateway/connections/open. */
  DINGTALK_STREAM_GATEWAY_URL: url,
});

export type DingtalkEnv = z.infer<typeof dingtalkEnvSchema>;

export interface DingtalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  apiBaseUrl: string;
  oapiBaseUrl: string;
  transport: 'http' | 'stream';
  ding: boolean;
  card?: {
    templateId: string;
    /** HTTP callbacks only: the route key and the apiSecret registered for it. */
    callbackRouteKey: string;
    callbackSecret?: string;
  };
  streamGatewayUrl: string;
}

const trimSlash = (value: string) => value.replace(/\/+$/, '');

/** null when DingTalk is not configured; throws a ConfigError naming the variable otherwise. */
export function dingtalkConfigFrom(env: Record<string, string | undefined>): DingtalkConfig | null {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith('DINGTALK_') && value !== undefined && value !== ''),
  );
  if (Object.keys(present).length === 0) return null;
  const parsed = dingtalkEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    throw new ConfigError(`配置错误：${variable} ${issue.message}（当前值：${JSON.stringify(env[variable] ?? '')}）`);
  }
  const e = parsed.data;
  if (!e.DINGTALK_CLIENT_ID) throw new ConfigError('配置错误：DINGTALK_CLIENT_ID 未设置（设置了其他 DINGTALK_ 变量）');
  if (!e.DINGTALK_CLIENT_SECRET) {
    throw new ConfigError('配置错误：DINGTALK_CLIENT_SECRET 未设置（设置 DINGTALK_CLIENT_ID 时必须同时设置）');
  }
  const transport = e.DINGTALK_TRANSPORT ?? 'http';
  if (e.DINGTALK_CARD_TEMPLATE_ID && transport === 'http' && !e.DINGTALK_CARD_CALLBACK_SECRET) {
    throw new ConfigError(
      '配置错误：DINGTALK_CARD_CALLBACK_SECRET 未设置（HTTP 模式下使用卡片模板时，必须设置卡片回调签名密钥）',
    );
  }
  const apiBaseUrl = trimSlash(e.DINGTALK_API_BASE_URL ?? 'https://api.dingtalk.com');
  return {
    clientId: e.DINGTALK_CLIENT_ID,
    clientSecret: e.DINGTALK_CLIENT_SECRET,
    robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
    apiBaseUrl,
    oapiBaseUrl: trimSlash(e.DINGTALK_OAPI_BASE_URL ?? 'https://oapi.dingtalk.com'),
    transport,
    ding: e.DINGTALK_DING === '1',
    ...(e.DINGTALK_CARD_TEMPLATE_ID
      ? {
          card: {
            templateId: e.DINGTALK_CARD_TEMPLATE_ID,
            callbackRouteKey: e.DINGTALK_CARD_CALLBACK_ROUTE_KEY ?? 'xiaoan',
            ...(e.DINGTALK_CARD_CALLBACK_SECRET ? { callbackSecret: e.DINGTALK_CARD_CALLBACK_SECRET } : {}),
          },
        }
      : {}),
    streamGatewayUrl: e.DINGTALK_STREAM_GATEWAY_URL ?? `${apiBaseUrl}/v1.0/gateway/connections/open`,
  };
}
