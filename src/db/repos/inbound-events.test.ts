import { describe, expect, it } from 'vitest';
import { ACTION_LINK_TTL_MS } from '../../platforms/dingtalk/render.js';
import { WECHATY_LINK_TTL_MS } from '../../platforms/wechaty/sender.js';
import { WECOM_LINK_TTL_MS } from '../../platforms/wecom/render.js';
import { INBOUND_KEY_KEEP_MS } from './inbound-events.js';

describe('how long inbound dedupe keys are kept', () => {
  it('outlives every signed action link several times over, so a valid link never finds its key forgotten', () => {
    for (const ttl of [ACTION_LINK_TTL_MS, WECHATY_LINK_TTL_MS, WECOM_LINK_TTL_MS]) {
      expect(INBOUND_KEY_KEEP_MS).toBeGreaterThanOrEqual(4 * ttl);
    }
  });

  it('outlives the longest platform redelivery (Feishu, about 7 hours) by far', () => {
    expect(INBOUND_KEY_KEEP_MS).toBeGreaterThan(30 * 86_400_000);
  });
});
