import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.js';
import { createLeaseStore } from './leases.js';

describe('lease store', async () => {
  const database = await createTestDb();
  const leases = createLeaseStore(database.db);
  afterAll(() => database.close());

  it('lets one holder at a time take a lease, renew it and hand it over on release', async () => {
    expect(await leases.tryAcquire('wecom-aibot:b1', 'a', 60_000)).toBe(true);
    expect(await leases.tryAcquire('wecom-aibot:b1', 'b', 60_000)).toBe(false);
    expect(await leases.tryAcquire('wecom-aibot:b1', 'a', 60_000)).toBe(true);
    expect(await leases.renew('wecom-aibot:b1', 'a', 60_000)).toBe(true);
    expect(await leases.renew('wecom-aibot:b1', 'b', 60_000)).toBe(false);
    await leases.release('wecom-aibot:b1', 'b');
    expect(await leases.tryAcquire('wecom-aibot:b1', 'b', 60_000)).toBe(false);
    await leases.release('wecom-aibot:b1', 'a');
    expect(await leases.tryAcquire('wecom-aibot:b1', 'b', 60_000)).toBe(true);
  });

  it('lets another holder take an expired lease, and the old holder can no longer renew it', async () => {
    expect(await leases.tryAcquire('wecom-aibot:b2', 'a', 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await leases.tryAcquire('wecom-aibot:b2', 'b', 60_000)).toBe(true);
    expect(await leases.renew('wecom-aibot:b2', 'a', 60_000)).toBe(false);
  });

  it('never gives one lease to two concurrent takers', async () => {
    const results = await Promise.all(['x', 'y', 'z', 'w'].map((holder) => leases.tryAcquire('race', holder, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
