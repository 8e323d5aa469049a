import { describe, expect, it } from 'vitest';
import { feishuConfigFrom } from './config.js';

const base = {
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718',
  FEISHU_APP_SECRET: 'secret',
  FEISHU_VERIFICATION_TOKEN: 'token',
};

describe('feishuConfigFrom', () => {
  it('is null when Feishu is not configured', () => {
    expect(feishuConfigFrom({})).toBeNull();
  });

  it('applies defaults', () => {
    expect(feishuConfigFrom(base)).toEqual({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 'secret',
      verificationToken: 'token',
      encryptKey: undefined,
      baseUrl: 'https://open.feishu.cn',
      transport: 'http',
      urgent: 'app',
    });
  });

  it('reads every variable and trims the base URL', () => {
    const config = feishuConfigFrom({
      ...base,
      FEISHU_ENCRYPT_KEY: 'key',
      FEISHU_BASE_URL: 'http://127.0.0.1:9999/',
      FEISHU_TRANSPORT: 'ws',
      FEISHU_URGENT: 'sms',
    });
    expect(config).toMatchObject({
      encryptKey: 'key',
      baseUrl: 'http://127.0.0.1:9999',
      transport: 'ws',
      urgent: 'sms',
    });
  });

  it('names the variable that is missing or bad', () => {
    expect(() => feishuConfigFrom({ FEISHU_APP_SECRET: 'x' })).toThrow(/FEISHU_APP_ID/);
    expect(() => feishuConfigFrom({ ...base, FEISHU_APP_SECRET: '' })).toThrow(/FEISHU_APP_SECRET/);
    expect(() => feishuConfigFrom({ ...base, FEISHU_VERIFICATION_TOKEN: undefined })).toThrow(
      /FEISHU_VERIFICATION_TOKEN/,
    );
    expect(() => feishuConfigFrom({ ...base, FEISHU_TRANSPORT: 'grpc' })).toThrow(/FEISHU_TRANSPORT/);
    expect(() => feishuConfigFrom({ ...base, FEISHU_URGENT: 'pager' })).toThrow(/FEISHU_URGENT/);
    expect(() => feishuConfigFrom({ ...base, FEISHU_BASE_URL: 'open.feishu.cn' })).toThrow(/FEISHU_BASE_URL/);
    expect(() => feishuConfigFrom({ ...base, FEISHU_APP_ID: 'app1' })).toThrow(/FEISHU_APP_ID/);
  });

  it('lets the long connection run without a verification token but insists on an app id the SDK accepts', () => {
    const ws = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's', FEISHU_TRANSPORT: 'ws' };
    expect(feishuConfigFrom(ws)?.verificationToken).toBeUndefined();
    expect(() => feishuConfigFrom({ ...ws, FEISHU_APP_ID: 'cli_short' })).toThrow(/16 hex/);
  });
});
