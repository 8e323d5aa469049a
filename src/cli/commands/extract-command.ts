import type { Command } from '../context.js';

export const extractCommand: Command = {
  path: ['extract'],
  summary: '从标准输入逐行读取 {"text": …}，输出识别结果（隐患/事故、类别、等级、地点）',
  usage: 'xiaoan extract < messages.jsonl',
  usesDatabase: false,
  async run(ctx) {
    const { runExtract } = await import('./extract.js');
    await runExtract(ctx.io.stdin, ctx.io.stdout);
    return 0;
  },
};
