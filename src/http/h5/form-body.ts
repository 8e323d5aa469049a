import type { Context } from 'hono';

/**
 * A posted form's fields. The pages post urlencoded, read here directly: Hono's parseBody goes through a
 * WHATWG FormData, which costs more than the rest of a receipt submission's handling. Other encodings go to
 * parseBody; a request without a form body has no fields.
 */
export async function formFields(c: Context): Promise<Record<string, unknown>> {
  if (c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(await c.req.text()));
  }
  return c.req.parseBody();
}
