import type { PlatformSender } from '../../delivery/sender.js';
import type { SignedLinks } from '../../http/signed-links.js';
import type { InboundPipeline, Log } from '../../platforms/types.js';
import { wechatyConfigFrom } from '../../platforms/wechaty/config.js';
import { createWechatyPlatform } from '../../platforms/wechaty/index.js';
import type { WechatyBotRegistry } from '../../platforms/wechaty/registry.js';
import { createWechatyTransport, type WechatyPuppet } from '../../platforms/wechaty/transport-wechaty.js';

export interface StartedDispatcher {
  stop(): Promise<void>;
}

export interface RunWechatyDeps {
  pipeline: InboundPipeline;
  links: SignedLinks;
  log: Log;
  /**
   * Starts the outbox dispatcher loop in this process with the given senders (the Wechaty sender must live
   * where the account is logged in). Wire the delivery layer's dispatcher start here.
   */
  startDispatcher: (senders: PlatformSender[]) => StartedDispatcher | Promise<StartedDispatcher>;
  now?: () => Date;
  registry?: WechatyBotRegistry;
  /** Tests pass a PuppetMock; otherwise the module named by WECHATY_PUPPET is loaded. */
  puppet?: WechatyPuppet;
}

export interface RunningWechaty {
  stop(): Promise<void>;
}

/**
 * `xiaoan wechaty`: runs the configured WeChat/WeCom account (log in by scanning the QR code printed in the
 * log) and the outbox dispatcher that sends through it. Returns once both run; the caller stops it on a signal.
 */
export async function runWechaty(
  env: Record<string, string | undefined>,
  deps: RunWechatyDeps,
): Promise<RunningWechaty> {
  const config = wechatyConfigFrom(env);
  if (!config) {
    throw new Error(
      '未配置 Wechaty：请设置 WECHATY_PUPPET（例如 wechaty-puppet-service）及其 token 后再运行 xiaoan wechaty',
    );
  }
  const platformDeps = {
    links: deps.links,
    log: deps.log,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.registry ? { registry: deps.registry } : {}),
  };
  const transport = createWechatyTransport(config, {
    ...platformDeps,
    ...(deps.puppet ? { puppet: deps.puppet } : {}),
  });
  const platform = createWechatyPlatform(config, platformDeps);

  await transport.start(deps.pipeline);
  let dispatcher: StartedDispatcher;
  try {
    dispatcher = await deps.startDispatcher([platform.sender]);
  } catch (error) {
    await transport.stop();
    throw error;
  }
  deps.log.info({ puppet: config.puppet, name: config.name }, 'wechaty runner started; waiting for login');

  return {
    async stop() {
      await dispatcher.stop();
      await transport.stop();
    },
  };
}
