import { createDispatcher } from '../../delivery/dispatcher.js';
import { nodeLog } from '../../log.node.js';
import { createRuntime } from '../../runtime.js';
import type { Command } from '../context.js';

export const wechatyCommand: Command = {
  path: ['wechaty'],
  summary: '单独运行 Wechaty 账号及其发件进程（PostgreSQL 部署；内置数据库时 serve 会一并运行）',
  usage: 'xiaoan wechaty',
  usesDatabase: false,
  async run(ctx) {
    const { runWechaty } = await import('./wechaty.node.js');
    const { config } = ctx;
    if (!config.DATABASE_URL) {
      ctx.io.err('使用内置数据库时，请直接运行 xiaoan serve：配置了 WECHATY_PUPPET 时它会一并启动 Wechaty。');
      return 2;
    }
    const log = nodeLog(config.LOG_LEVEL);
    const database = await ctx.database();
    const runtime = createRuntime({
      db: database.db,
      log,
      secret: ctx.secret(),
      publicUrl: config.publicUrl,
      timezone: config.TZ,
      sandbox: false,
      maxBodyBytes: config.XIAOAN_MAX_BODY_BYTES,
    });
    const running = await runWechaty(config.env, {
      pipeline: runtime.pipeline,
      links: runtime.links,
      log,
      startDispatcher: (senders) => createDispatcher({ db: database.db, senders, log }).start(),
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.stop();
    await database.close();
    return 0;
  },
};
