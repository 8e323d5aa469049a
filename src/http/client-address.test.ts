import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ClientAddressHeader, clientAddress } from './client-address.js';

async function addressOf(trusted: ClientAddressHeader | undefined, headers: Record<string, string>, peer?: string) {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, trusted)));
  const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : undefined;
  const response = await app.request('/', { headers }, env);
  return response.text();
}

const spoofed = { 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.7', 'cf-connecting-ip': '6.6.6.8' };

describe('clientAddress', () => {
  it('believes no header unless one is named: the socket peer is the client', async () => {
    expect(await addressOf(undefined, spoofed, '203.0.113.5')).toBe('203.0.113.5');
    expect(await addressOf(undefined, spoofed)).toBe('unknown');
  });

  it('takes the named header and only that one', async () => {
    expect(await addressOf('x-real-ip', { ...spoofed, 'x-real-ip': ' 198.51.100.7 ' }, '10.0.0.1')).toBe(
      '198.51.100.7',
    );
    expect(await addressOf('cf-connecting-ip', spoofed, '10.0.0.1')).toBe('6.6.6.8');
  });

  it('takes the entry the proxy appended to X-Forwarded-For, not the ones the client sent', async () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 1.1.1.1, 198.51.100.9' };
    expect(await addressOf('x-forwarded-for', headers, '10.0.0.1')).toBe('198.51.100.9');
  });

  it('falls back to the socket peer when the request did not come through the proxy', async () => {
    expect(await addressOf('x-real-ip', {}, '203.0.113.6')).toBe('203.0.113.6');
    expect(await addressOf('x-forwarded-for', { 'x-forwarded-for': ' , ' }, '203.0.113.6')).toBe('203.0.113.6');
  });
});
