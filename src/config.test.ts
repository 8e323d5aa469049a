import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults and turns the sandbox on when no platform is configured', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8787);
    expect(config.TZ).toBe('Asia/Shanghai');
    expect(config.sandbox).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:8787');
  });

  it('keeps the sandbox off once a platform is configured, unless forced', () => {
    expect(loadConfig({ FEISHU_APP_ID: 'cli_x' }).sandbox).toBe(false);
    expect(loadConfig({ FEISHU_APP_ID: 'cli_x', XIAOAN_SANDBOX: '1' }).sandbox).toBe(true);
    expect(loadConfig({ FEISHU_APP_ID: 'cli_x' }).configuredPlatforms).toEqual(['feishu']);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ TZ: 'Mars/Olympus' }, /TZ .*时区/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ XIAOAN_SECRET: 'short' }, /XIAOAN_SECRET/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ XIAOAN_PUBLIC_URL: 'not a url' }, /XIAOAN_PUBLIC_URL/],
    [{ XIAOAN_CLIENT_IP_HEADER: 'x-client' }, /XIAOAN_CLIENT_IP_HEADER 应为 x-real-ip、x-forwarded-for 或/],
  ])('rejects %o with one line naming the variable', (env, pattern) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  });

  it('trusts no client address header unless one is named, in any case', () => {
    expect(loadConfig({}).XIAOAN_CLIENT_IP_HEADER).toBeUndefined();
    expect(loadConfig({ XIAOAN_CLIENT_IP_HEADER: 'X-Forwarded-For' }).XIAOAN_CLIENT_IP_HEADER).toBe('x-forwarded-for');
  });

  it('requires a secret with PostgreSQL, where nothing can be generated into a data dir', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x' })).toThrow(/XIAOAN_SECRET/);
  });
});
