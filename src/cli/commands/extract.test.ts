import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runExtract } from './extract.js';

async function run(input: string): Promise<Record<string, unknown>[]> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await runExtract(Readable.from([input]), output);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runExtract', () => {
  it('writes one line per input line, in order, with the four fields', async () => {
    const rows = await run(
      [
        JSON.stringify({ text: '@安全助手 二楼走廊的灭火器箱是空的' }),
        JSON.stringify({ text: '收到，谢谢' }),
        JSON.stringify({ text: '科学楼的天然气闻着有味道，好像哪里漏了' }),
      ].join('\n'),
    );
    expect(rows).toEqual([
      { intent: 'hazard', category: 'fire', level: 'general', location: '二楼走廊' },
      { intent: 'other', category: null, level: null, location: null },
      { intent: 'hazard', category: 'facility', level: 'major', location: '科学楼' },
    ]);
  });

  it('answers a malformed line with an error row instead of dropping it', async () => {
    const rows = await run(['{"text": "南门的伸缩门坏了"}', 'not json', '{"txt": 1}', '{"text": "好的"}'].join('\n'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ intent: 'hazard', category: 'security' });
    expect(rows[1]).toMatchObject({ intent: 'other', category: null, level: null, location: null });
    expect(rows[1]?.error).toEqual(expect.any(String));
    expect(rows[2]?.error).toEqual(expect.any(String));
    expect(rows[3]).toEqual({ intent: 'other', category: null, level: null, location: null });
  });

  it('handles CRLF line ends and a last line without a newline', async () => {
    const rows = await run('{"text": "好的"}\r\n{"text": "食堂蒸饭柜的压力表坏了"}');
    expect(rows.map((row) => row.category)).toEqual([null, 'equipment']);
  });
});
