import { parseArgs } from 'node:util';
import { UsageError } from './context.js';

type Options = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** node:util parseArgs with Chinese usage errors and required flags. */
export function parseFlags<T extends Options>(args: string[], options: T, required: (keyof T & string)[] = []) {
  let parsed: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true; args: string[] }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`参数错误：${(error as Error).message}`);
  }
  const values = parsed.values as Record<string, unknown>;
  const missing = required.filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new UsageError(`缺少参数：${missing.map((name) => `--${name}`).join('、')}`);
  return parsed;
}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} 取值应为 ${allowed.join(' | ')}，收到「${value}」`);
  }
  return value as T;
}
