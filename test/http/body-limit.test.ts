import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../helpers/db.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';
import { createTestRuntime } from '../helpers/runtime.js';

/**
 * The body limit over a real Node server, both ways a client can send a body: a declared Content-Length is
 * refused before anything is read, and a chunked body is counted as it streams.
 */
describe('request body limit on the Node server', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  const server = await serveOnLoopback(runtime.app);
  const port = Number(new URL(server.url).port);
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const post = (body: string, chunked: boolean) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/json' };
      if (!chunked) headers['content-length'] = Buffer.byteLength(body);
      const outgoing = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/sandbox/api/messages', headers },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      outgoing.on('error', reject);
      if (chunked) {
        for (let start = 0; start < body.length; start += 16 * 1024)
          outgoing.write(body.slice(start, start + 16 * 1024));
      } else {
        outgoing.write(body);
      }
      outgoing.end();
    });
  const message = (text: string) => JSON.stringify({ chat: 'staff', user: 'wang', text });

  it('refuses an oversized body by its declared length, and one sent in chunks as it arrives', async () => {
    for (const chunked of [false, true]) {
      const huge = await post(message('x'.repeat(300 * 1024)), chunked);
      expect(huge.status).toBe(413);
      expect(JSON.parse(huge.text).error).toContain('请求体过大');
    }
  });

  it('lets a body within the limit through, declared or chunked', async () => {
    for (const chunked of [false, true]) {
      const small = await post(message('帮助'), chunked);
      expect(small.status).toBe(200);
    }
  });
});
