import { describe, expect, it } from 'vitest';
import { wechatyConfigFrom } from './config.js';

describe('wechatyConfigFrom', () => {
  it('is null when no puppet is configured', () => {
    expect(wechatyConfigFrom({})).toBeNull();
    expect(wechatyConfigFrom({ WECHATY_PUPPET: '  ' })).toBeNull();
  });

  it('reads the puppet service with its token and defaults the bot name', () => {
    expect(
      wechatyConfigFrom({ WECHATY_PUPPET: 'Wechaty-Puppet-Service', WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_workpro_x' }),
    ).toEqual({ puppet: 'wechaty-puppet-service', puppetToken: 'puppet_workpro_x', name: '校安' });
  });

  it('accepts a scoped puppet module without a token and a custom name', () => {
    expect(wechatyConfigFrom({ WECHATY_PUPPET: '@juzi/wechaty-puppet-service', WECHATY_NAME: '安全小助手' })).toEqual({
      puppet: '@juzi/wechaty-puppet-service',
      name: '安全小助手',
    });
  });

  it.each([
    [{ WECHATY_PUPPET: 'wechaty-puppet-service' }, /WECHATY_PUPPET_SERVICE_TOKEN/],
    [{ WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_workpro_x' }, /WECHATY_PUPPET /],
    [{ WECHATY_PUPPET: 'not a module!' }, /WECHATY_PUPPET /],
    [{ WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_NAME: '名'.repeat(33) }, /WECHATY_NAME/],
  ])('rejects %o naming the variable', (env, pattern) => {
    expect(() => wechatyConfigFrom(env)).toThrow(pattern);
  });
});
