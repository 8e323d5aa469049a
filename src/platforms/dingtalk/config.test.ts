import { describe, expect, it } from 'vitest';
import { dingtalkConfigFrom } from './config.js';

describe('dingtalkConfigFrom', () => {
  it('is null when no DINGTALK_ variable is set', () => {
    expect(dingtalkConfigFrom({ FEISHU_APP_ID: 'x', DINGTALK_CLIENT_ID: '' })).toBeNull();
  });

  it('fills the documented defaults', () => {
    expect(dingtalkConfigFrom({ DINGTALK_CLIENT_ID: 'dingappkey', DINGTALK_CLIENT_SECRET: 's' })).toEqual({
      clientId: 'dingappkey',
      clientSecret: 's',
      robotCode: 'dingappkey',
      apiBaseUrl: 'https://api.dingtalk.com',
      oapiBaseUrl: 'https://oapi.dingtalk.com',
      transport: 'http',
      ding: false,
      streamGatewayUrl: 'https://api.dingtalk.com/v1.0/gateway/connections/open',
    });
  });

  it('reads every variable', () => {
    const config = dingtalkConfigFrom({
      DINGTALK_CLIENT_ID: 'dingappkey',
      DINGTALK_CLIENT_SECRET: 's',
      DINGTALK_ROBOT_CODE: 'robot-1',
      DINGTALK_API_BASE_URL: 'http://127.0.0.1:9000/',
      DINGTALK_OAPI_BASE_URL: 'http://127.0.0.1:9001',
      DINGTALK_TRANSPORT: 'stream',
      DINGTALK_DING: '1',
      DINGTALK_CARD_TEMPLATE_ID: 'tpl.schema',
      DINGTALK_CARD_CALLBACK_ROUTE_KEY: 'school',
      DINGTALK_STREAM_GATEWAY_URL: 'http://127.0.0.1:9002/open',
    });
    expect(config).toMatchObject({
      robotCode: 'robot-1',
      apiBaseUrl: 'http://127.0.0.1:9000',
      oapiBaseUrl: 'http://127.0.0.1:9001',
      transport: 'stream',
      ding: true,
      card: { templateId: 'tpl.schema', callbackRouteKey: 'school' },
      streamGatewayUrl: 'http://127.0.0.1:9002/open',
    });
  });

  it('names the variable that is wrong or missing', () => {
    expect(() => dingtalkConfigFrom({ DINGTALK_CLIENT_SECRET: 's' })).toThrow(/DINGTALK_CLIENT_ID/);
    expect(() => dingtalkConfigFrom({ DINGTALK_CLIENT_ID: 'k' })).toThrow(/DINGTALK_CLIENT_SECRET/);
    expect(() =>
      dingtalkConfigFrom({ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_TRANSPORT: 'ws' }),
    ).toThrow(/DINGTALK_TRANSPORT/);
    expect(() =>
      dingtalkConfigFrom({ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_DING: 'yes' }),
    ).toThrow(/DINGTALK_DING/);
    expect(() =>
      dingtalkConfigFrom({ DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_API_BASE_URL: 'not a url' }),
    ).toThrow(/DINGTALK_API_BASE_URL/);
  });

  it('needs the card callback secret for a template over HTTP, not over Stream', () => {
    const base = { DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's', DINGTALK_CARD_TEMPLATE_ID: 'tpl.schema' };
    expect(() => dingtalkConfigFrom(base)).toThrow(/DINGTALK_CARD_CALLBACK_SECRET/);
    expect(dingtalkConfigFrom({ ...base, DINGTALK_TRANSPORT: 'stream' })?.card?.templateId).toBe('tpl.schema');
    expect(dingtalkConfigFrom({ ...base, DINGTALK_CARD_CALLBACK_SECRET: 'cb' })?.card).toEqual({
      templateId: 'tpl.schema',
      callbackRouteKey: 'xiaoan',
      callbackSecret: 'cb',
    });
  });
});
