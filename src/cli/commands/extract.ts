import { createInterface } from 'node:readline';
import { extract } from '../../domain/extract/index.js';

interface ExtractLine {
  intent: string;
  category: string | null;
  level: string | null;
  location: string | null;
  error?: string;
}

function failure(error: string): ExtractLine {
  return { intent: 'other', category: null, level: null, location: null, error };
}

function extractLine(line: string): ExtractLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return failure('输入不是合法的 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { text?: unknown }).text !== 'string') {
    return failure('缺少字符串字段 text');
  }
  const { intent, category, level, location } = extract((parsed as { text: string }).text);
  return { intent, category, level, location };
}

/**
 * `xiaoan extract`: JSON lines `{"text": …}` in, one JSON line per input line out, same order.
 * A malformed line yields an 'other' row with an error, so line counts stay aligned.
 */
export async function runExtract(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let buffer = '';
  for await (const line of lines) {
    if (line.trim() === '') continue;
    buffer += `${JSON.stringify(extractLine(line))}\n`;
    if (buffer.length > 64_000) {
      await write(output, buffer);
      buffer = '';
    }
  }
  if (buffer) await write(output, buffer);
}

function write(output: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    output.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}
