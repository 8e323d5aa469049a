import type { Context } from 'hono';
import { nodeBindingsOf } from './node-adapter.js';

interface NodeServerResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * Sets a header on whatever response this request gets. On Node it goes straight onto the adapter's
 * ServerResponse (c.env.outgoing): a header set through Hono's context gives the response a WHATWG Headers
 * object, which the adapter then converts on its slow path — a cost on every request, card callbacks included
 * (README, 性能). Elsewhere (Workers, app.request in tests) Hono's own c.header does it.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeBindingsOf(c)?.outgoing;
  if (isNodeServerResponse(outgoing)) outgoing.setHeader(name, value);
  else c.header(name, value);
}

function isNodeServerResponse(value: unknown): value is NodeServerResponse {
  return typeof value === 'object' && value !== null && 'setHeader' in value;
}
