import type { Context } from 'hono';

/** Headers a reverse proxy or edge can be trusted to set to the client's address (XIAOAN_CLIENT_IP_HEADER). */
export const CLIENT_ADDRESS_HEADERS = ['x-real-ip', 'x-forwarded-for', 'cf-connecting-ip'] as const;
export type ClientAddressHeader = (typeof CLIENT_ADDRESS_HEADERS)[number];

/**
 * The client's address, for per-address limits. A client can send any of these headers itself, so only the
 * one the operator names is believed — the one its proxy overwrites — and otherwise the socket's peer. A
 * proxy appends the address it saw to X-Forwarded-For, so its last entry is the one to believe; earlier
 * entries came from the client. A request without the named header did not come through the proxy.
 */
export function clientAddress(c: Context, trusted: ClientAddressHeader | undefined): string {
  const reported = trusted ? c.req.header(trusted) : undefined;
  const address =
    trusted === 'x-forwarded-for'
      ? reported
          ?.split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .at(-1)
      : reported?.trim();
  return address || peerAddress(c) || 'unknown';
}

/** The Node server's socket peer (@hono/node-server passes the request as c.env.incoming). */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
