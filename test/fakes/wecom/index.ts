import { type WecomAibotFake, type WecomAibotFakeOptions, startWecomAibotFake } from './aibot-server.js';
import { type WecomApiFake, type WecomApiFakeOptions, startWecomApiFake } from './api-server.js';

export type { WecomAibotFake, WecomApiFake };
export * from './callback-crypto.js';

export interface WecomFake extends WecomApiFake {
  /** The AI bot WebSocket endpoint: point WECOM_BOT_WS_URL here. */
  wsUrl: string;
  aibot: WecomAibotFake;
  /** Environment for wecomConfigFrom that points every channel at this fake. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/** Starts the WeCom API server and the AI bot WebSocket server on 127.0.0.1 random ports. */
export async function startWecomFake(
  options: WecomApiFakeOptions & { aibot?: WecomAibotFakeOptions } = {},
): Promise<WecomFake> {
  const api = await startWecomApiFake(options);
  const aibot = await startWecomAibotFake(options.aibot);
  const closeApi = api.close;
  return Object.assign(api, {
    wsUrl: aibot.wsUrl,
    aibot,
    env: (extra: Record<string, string> = {}) => ({
      WECOM_API_BASE_URL: api.baseUrl,
      WECOM_CORP_ID: api.corpId,
      WECOM_AGENT_ID: String(api.agentId),
      WECOM_SECRET: api.secret,
      WECOM_BOT_ID: aibot.botId,
      WECOM_BOT_SECRET: aibot.secret,
      WECOM_BOT_WS_URL: aibot.wsUrl,
      ...extra,
    }),
    close: async () => {
      await Promise.all([closeApi(), aibot.close()]);
    },
  });
}
