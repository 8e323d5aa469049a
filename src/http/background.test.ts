import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { keepAliveFor } from './background.js';

describe('keepAliveFor', () => {
  const app = new Hono();
  app.get('/', (c) => {
    const keepAlive = keepAliveFor(c);
    keepAlive?.(Promise.resolve('late work'));
    return c.json({ kept: Boolean(keepAlive) });
  });

  it('hands late work to the Workers ExecutionContext', async () => {
    const handed: Promise<unknown>[] = [];
    const ctx = { waitUntil: (work: Promise<unknown>) => handed.push(work), passThroughOnException() {}, props: {} };
    const response = await app.request('/', {}, {}, ctx);
    expect(await response.json()).toEqual({ kept: true });
    expect(await Promise.all(handed)).toEqual(['late work']);
  });

  it('has nothing to hand it to on Node, where the work simply keeps running', async () => {
    const nodeEnv = { incoming: {}, outgoing: {} };
    expect(await (await app.request('/', {}, nodeEnv)).json()).toEqual({ kept: false });
    expect(await (await app.request('/')).json()).toEqual({ kept: false });
  });
});
