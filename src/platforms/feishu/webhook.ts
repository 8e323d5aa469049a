import type { Context } from 'hono';
import { keepAliveFor } from '../../http/background.js';
import type { InboundPipeline } from '../types.js';
import type { FeishuConfig } from './config.js';
import { createFeishuInbound, type FeishuInboundOptions } from './inbound.js';
import { verifyFeishuDelivery } from './verify.js';

export type FeishuWebhookOptions = Omit<FeishuInboundOptions, 'config'> & {
  config: Pick<FeishuConfig, 'appId' | 'verificationToken' | 'encryptKey'>;
};

/**
 * POST /webhooks/feishu: events and card callbacks (schema 2.0 and the old card format). Verification runs
 * first over the raw body; the URL challenge is answered at once (1 s budget), everything else within 3 s.
 */
export function createFeishuWebhook(options: FeishuWebhookOptions) {
  const inbound = createFeishuInbound(options);
  return async (c: Context, pipeline: InboundPipeline): Promise<Response> => {
    if (c.req.method !== 'POST') return c.json({ error: 'method not allowed' }, 405);
    const rawBody = await c.req.text();
    const verified = verifyFeishuDelivery(rawBody, (name) => c.req.header(name), options.config, options.now());
    if (!verified.ok) {
      options.log.warn({ status: verified.status, reason: verified.reason }, 'feishu webhook rejected');
      return c.json({ error: verified.status === 401 ? 'unauthorized' : 'bad request' }, verified.status);
    }
    if (verified.kind === 'challenge') return c.json({ challenge: verified.challenge });
    const answer = await inbound(verified.payload, pipeline, {
      requestTimestamp: c.req.header('x-lark-request-timestamp'),
      keepAlive: keepAliveFor(c),
    });
    return c.json(answer.body, answer.status);
  };
}
