import type { Command } from '../context.js';

export const serveCommand: Command = {
  path: ['serve'],
  summary: '启动服务（迁移数据库；沙盒模式下首次启动自动写入演示数据）',
  usage: 'xiaoan serve',
  usesDatabase: false,
  async run(ctx) {
    const { startServer } = await import('../../entry-node.js');
    const server = await startServer(ctx.config);
    await new Promise<void>((resolve) => {
      const shutdown = () => resolve();
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
    ctx.io.out('正在停止服务…');
    await server.stop();
    return 0;
  },
};
