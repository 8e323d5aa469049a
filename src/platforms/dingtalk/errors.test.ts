import { describe, expect, it } from 'vitest';
import { classifyResponse } from './errors.js';

const none = new Headers();

describe('classifyResponse', () => {
  it('treats 2xx without an errcode, and errcode 0, as success', () => {
    expect(classifyResponse(200, { processQueryKey: 'k' }, none)).toBeNull();
    expect(classifyResponse(200, { errcode: 0, errmsg: 'ok' }, none)).toBeNull();
  });

  it('maps legacy throttling errcodes (HTTP 200) to rate_limited with a wait', () => {
    expect(classifyResponse(200, { errcode: 90018, errmsg: 'qps' }, none)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 1000,
    });
    expect(classifyResponse(200, { errcode: 90006, errmsg: 'qpm' }, none)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
    expect(classifyResponse(200, { errcode: 90002 }, none)).toMatchObject({ kind: 'rate_limited' });
  });

  it('maps new-API throttling codes and HTTP 429 to rate_limited, honouring Retry-After', () => {
    const qps = { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '超限', requestid: 'r1' };
    expect(classifyResponse(403, qps, none)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(classifyResponse(403, { code: 'Forbidden.AccessDenied.QpsLimitForApi' }, none)).toMatchObject({
      kind: 'rate_limited',
    });
    expect(classifyResponse(400, { code: 'send.too.fast' }, none)).toMatchObject({ kind: 'rate_limited' });
    expect(classifyResponse(400, { code: 'toomuch.msg' }, none)).toMatchObject({ kind: 'rate_limited' });
    expect(classifyResponse(429, {}, new Headers({ 'retry-after': '7' }))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(classifyResponse(403, { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg' }, none)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 3_600_000,
    });
  });

  it('maps the per-IP flood guard body to rate_limited for its wait in minutes', () => {
    expect(classifyResponse(403, { status: 1111, wait: 5, source: 'x5', punish: 'deny' }, none)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 300_000,
    });
  });

  it('flags refused tokens for one refresh', () => {
    expect(
      classifyResponse(401, { code: 'InvalidAuthentication', message: '不合法的access_token' }, none),
    ).toMatchObject({
      kind: 'transient',
      tokenInvalid: true,
    });
    expect(classifyResponse(200, { errcode: 40014, errmsg: 'invalid access_token' }, none)).toMatchObject({
      tokenInvalid: true,
    });
  });

  it('retries server trouble and dead-letters the rest', () => {
    expect(classifyResponse(500, { code: 'system.error' }, none)).toMatchObject({ kind: 'transient' });
    expect(classifyResponse(504, null, none)).toMatchObject({ kind: 'transient' });
    expect(classifyResponse(200, { errcode: -1, errmsg: '系统繁忙' }, none)).toMatchObject({ kind: 'transient' });
    const notInGroup = { code: 'invalidParameter.robotCode.notExsit', message: '机器人不存在', requestid: 'r2' };
    expect(classifyResponse(400, notInGroup, none)).toEqual({
      ok: false,
      kind: 'permanent',
      error: 'HTTP 400 invalidParameter.robotCode.notExsit: 机器人不存在 (requestid r2)',
    });
    expect(classifyResponse(200, { errcode: 310000, errmsg: 'sign not match' }, none)).toMatchObject({
      kind: 'permanent',
    });
  });
});
