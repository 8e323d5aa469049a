import type { Context } from 'hono';
import { nodeBindingsOf } from './node-adapter.js';

/**
 * Hands work that outlives the response to the runtime: Workers stop an isolate once the response is sent
 * unless the work is given to the request's ExecutionContext; on Node it simply keeps running.
 */
export function keepAliveFor(c: Context): ((work: Promise<unknown>) => void) | undefined {
  // Hono's executionCtx getter would throw on Node, and an exception per request is a real cost under a burst
  // of card callbacks.
  if (nodeBindingsOf(c)) return undefined;
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return undefined;
  }
}
