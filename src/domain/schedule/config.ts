/**
 * Start-up validation of bot-flows data: a bad entry stops the process with one line per problem
 * naming the file and the field, e.g. "bot-flows/reminders.ts: programmes[2].at: 时间格式应为 HH:MM".
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(根)' : text;
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '缺少此字段' : `类型应为 ${issue.expected}`;
    case 'unrecognized_keys':
      return `未知字段：${issue.keys.join('、')}`;
    case 'invalid_key':
      return issue.issues.map((inner) => inner.message).join('；');
    default:
      return issue.message;
  }
}

export function formatIssues(file: string, issues: readonly Issue[]): string {
  return issues.map((issue) => `${file}: ${formatPath(issue.path)}: ${describe(issue)}`).join('\n');
}

/** Parses `value` with `schema` or throws an Error listing every problem with its file and field. */
export function parseConfig<Schema extends z.ZodType>(schema: Schema, value: unknown, file: string): z.output<Schema> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new Error(formatIssues(file, result.error.issues));
  return result.data;
}
