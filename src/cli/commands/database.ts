import { seedDemo } from '../../db/repos/seed-demo.js';
import type { Command } from '../context.js';

export const migrateCommand: Command = {
  path: ['migrate'],
  summary: '执行数据库迁移',
  usage: 'xiaoan migrate',
  usesDatabase: true,
  async run(ctx) {
    await ctx.database();
    ctx.io.out('数据库迁移已完成');
    return 0;
  },
};

export const seedDemoCommand: Command = {
  path: ['seed-demo'],
  summary: '写入演示数据（学校代码 demo，沙盒群聊）',
  usage: 'xiaoan seed-demo',
  usesDatabase: true,
  async run(ctx) {
    const { db } = await ctx.database();
    await seedDemo(db, { secret: ctx.secret() });
    ctx.io.out('演示数据已写入：学校代码 demo（示范小学），沙盒群聊：教师群、校领导群、各班家长群');
    return 0;
  },
};
