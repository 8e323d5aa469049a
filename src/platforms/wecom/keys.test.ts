import { describe, expect, it } from 'vitest';
import { decodeActionKey, encodeActionKey, isValidTaskId, taskIdFor } from './action-key.js';
import { windowBucket, wecomBuckets } from './buckets.js';
import { parseWecomTenant } from './tenant.js';

describe('action keys', () => {
  it('round-trips an ActionValue and refuses what is not ours', () => {
    const value = { flow: 'hazard', op: 'close', hazardId: 'h-1', level: 2, urgent: true, note: null };
    expect(decodeActionKey(encodeActionKey(value) as string)).toEqual(value);
    expect(decodeActionKey('key111')).toBeNull();
    expect(decodeActionKey('{"flow":"x"}')).toBeNull();
    expect(decodeActionKey('{"flow":"x","op":"y","nested":{"a":1}}')).toBeNull();
    expect(decodeActionKey('{broken')).toBeNull();
  });

  it('refuses values that do not fit 1024 bytes', () => {
    expect(encodeActionKey({ flow: 'f', op: 'o', text: '隐'.repeat(400) })).toBeNull();
  });

  it('derives a stable, valid task_id from any idempotency key', () => {
    const key = 'nag:hazard:0b6f3c1e-1111-4c3a-9d55-7d8e0f1a2b3c:overdue:2026-05-06';
    expect(taskIdFor(key)).toBe(taskIdFor(key));
    expect(taskIdFor(key)).not.toBe(taskIdFor(`${key}x`));
    expect(isValidTaskId(taskIdFor(key))).toBe(true);
    expect(isValidTaskId('has:colon')).toBe(false);
  });
});

describe('tenants', () => {
  it('parses the three channel forms and nothing else', () => {
    expect(parseWecomTenant('aibot:aibAAAA')).toEqual({ channel: 'aibot', botId: 'aibAAAA' });
    expect(parseWecomTenant('app:ww_corp:1000002')).toEqual({ channel: 'app', corpId: 'ww_corp', agentId: 1000002 });
    expect(parseWecomTenant('robot:grade3')).toEqual({ channel: 'robot', name: 'grade3' });
    for (const bad of ['', 'aibot:', 'app:ww', 'app:ww:x', 'robot:a:b', 'feishu:x'])
      expect(parseWecomTenant(bad)).toBeNull();
  });
});

describe('rate buckets', () => {
  /** Most sends a bucket lets through in one window: what it holds at the start plus what refills. */
  const maxPerWindow = (b: { burst: number; ratePerSecond: number }, seconds: number) =>
    b.burst + b.ratePerSecond * seconds;

  it('never lets a window exceed its limit', () => {
    expect(maxPerWindow(windowBucket('k', 20, 60, 3), 60)).toBe(20);
  });

  it('keeps a robot under 20 per minute and an app member under 30/min and 1000/h', () => {
    const [robot] = wecomBuckets.robot('grade3');
    expect(maxPerWindow(robot!, 60)).toBeLessThan(20);
    const [perMinute, perHour] = wecomBuckets.appMember('ww', 1, 'lisi');
    expect(maxPerWindow(perMinute!, 60)).toBeLessThanOrEqual(30);
    expect(maxPerWindow(perHour!, 3600)).toBeLessThanOrEqual(1000);
  });
});
