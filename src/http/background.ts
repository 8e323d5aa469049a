import type { Context } from 'hono';

/**
 * Hands work that outlives the response to the runtime: Workers stop an isolate once the response is sent
 * unless the work is given to the request's ExecutionContext; on Node it simply keeps running.
 */
export function keepAliveFor(c: Context): ((work: Promise<unknown>) => void) | undefined {
  // The Node adapter's env carries the IncomingMessage; Hono's executionCtx getter would throw there, and
  // an exception per request is a real cost under a burst of card callbacks.
  if (typeof c.env === 'object' && c.env !== null && 'incoming' in c.env) return undefined;
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return undefined;
  }
}
