import type { Context } from 'hono';
import type { z } from 'zod';

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Parses a JSON body with a zod schema; malformed JSON or a bad field → 400 naming the field. */
export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return { ok: false, response: c.json({ error: '请求体不是有效的 JSON' }, 400) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(body)';
    return { ok: false, response: c.json({ error: `字段 ${field} 无效：${issue.message}`, field }, 400) };
  }
  return { ok: true, data: parsed.data };
}
