import type { Context } from 'hono';

/** What @hono/node-server hands the app as c.env: the request's IncomingMessage and ServerResponse. */
export interface NodeBindings {
  incoming: unknown;
  /** Absent on a WebSocket upgrade. */
  outgoing?: unknown;
}

/** The Node adapter's bindings, or undefined on Workers and in app.request(). */
export function nodeBindingsOf(c: Context): NodeBindings | undefined {
  const env: unknown = c.env;
  return typeof env === 'object' && env !== null && 'incoming' in env ? (env as NodeBindings) : undefined;
}
