import { describe, expect, it } from 'vitest';
import { WECOM_DEFAULT_API_BASE_URL, WECOM_DEFAULT_BOT_WS_URL, wecomConfigFrom } from './config.js';

const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const app = { WECOM_CORP_ID: 'ww_corp', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's3cret' };

describe('wecomConfigFrom', () => {
  it('is null when nothing is configured', () => {
    expect(wecomConfigFrom({})).toBeNull();
    expect(wecomConfigFrom({ WECOM_API_BASE_URL: 'http://127.0.0.1:9' })).toBeNull();
  });

  it('reads all three channels with their defaults', () => {
    expect(
      wecomConfigFrom({
        ...app,
        WECOM_TOKEN: 'tok',
        WECOM_ENCODING_AES_KEY: AES_KEY,
        WECOM_BOT_ID: 'aibAAAA',
        WECOM_BOT_SECRET: 'bot-secret',
        WECOM_ROBOT_WEBHOOK_KEYS: 'grade3=key-a, office=key-b',
      }),
    ).toEqual({
      apiBaseUrl: WECOM_DEFAULT_API_BASE_URL,
      app: {
        corpId: 'ww_corp',
        agentId: 1000002,
        secret: 's3cret',
        callback: { token: 'tok', encodingAesKey: AES_KEY },
      },
      aibot: { botId: 'aibAAAA', secret: 'bot-secret', wsUrl: WECOM_DEFAULT_BOT_WS_URL },
      robots: { grade3: 'key-a', office: 'key-b' },
    });
  });

  it('takes local URLs for the fakes', () => {
    const config = wecomConfigFrom({
      WECOM_API_BASE_URL: 'http://127.0.0.1:4000/',
      WECOM_BOT_ID: 'b',
      WECOM_BOT_SECRET: 's',
      WECOM_BOT_WS_URL: 'ws://127.0.0.1:4001',
    });
    expect(config?.apiBaseUrl).toBe('http://127.0.0.1:4000');
    expect(config?.aibot?.wsUrl).toBe('ws://127.0.0.1:4001');
  });

  it('lets the app send without a callback', () => {
    expect(wecomConfigFrom(app)?.app?.callback).toBeUndefined();
  });

  it('names the missing companion or the bad variable', () => {
    expect(() => wecomConfigFrom({ WECOM_CORP_ID: 'ww' })).toThrow(
      'WECOM_AGENT_ID is required when WECOM_CORP_ID is set',
    );
    expect(() => wecomConfigFrom({ ...app, WECOM_TOKEN: 't' })).toThrow('WECOM_ENCODING_AES_KEY is required');
    expect(() => wecomConfigFrom({ ...app, WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'short' })).toThrow(
      'WECOM_ENCODING_AES_KEY must be',
    );
    expect(() => wecomConfigFrom({ ...app, WECOM_AGENT_ID: 'abc' })).toThrow('WECOM_AGENT_ID');
    expect(() => wecomConfigFrom({ WECOM_BOT_ID: 'b' })).toThrow(
      'WECOM_BOT_SECRET is required when WECOM_BOT_ID is set',
    );
    expect(() => wecomConfigFrom({ WECOM_BOT_WS_URL: 'ws://127.0.0.1:1' })).toThrow('WECOM_BOT_ID');
    expect(() => wecomConfigFrom({ WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's', WECOM_BOT_WS_URL: 'http://x' })).toThrow(
      'WECOM_BOT_WS_URL',
    );
    expect(() => wecomConfigFrom({ WECOM_ROBOT_WEBHOOK_KEYS: 'nokey' })).toThrow('WECOM_ROBOT_WEBHOOK_KEYS');
    expect(() => wecomConfigFrom({ WECOM_ROBOT_WEBHOOK_KEYS: 'a=1,a=2' })).toThrow('names robot "a" twice');
    expect(() => wecomConfigFrom({ WECOM_API_BASE_URL: 'not a url', WECOM_ROBOT_WEBHOOK_KEYS: 'a=1' })).toThrow(
      'WECOM_API_BASE_URL',
    );
  });
});
