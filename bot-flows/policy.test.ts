import { describe, expect, it } from 'vitest';
import { defaultPolicy, loadPolicy } from './policy.js';

describe('hazard policy data', () => {
  it('validates the defaults', () => {
    expect(loadPolicy()).toEqual(defaultPolicy);
  });

  it('follows DOMAIN.md defaults', () => {
    expect(defaultPolicy.permissions.assign.roles).toEqual(['safety_officer', 'principal']);
    expect(defaultPolicy.permissions.accept.relations).toEqual(['reporter']);
    expect(defaultPolicy.permissions.submit_fix.relations).toEqual(['owner']);
    expect(defaultPolicy.staffRoles).not.toContain('parent');
    expect(defaultPolicy.major).toEqual({ requireFiveImplementations: true, supervise: true });
  });

  it('lays a district override over the defaults', () => {
    const policy = loadPolicy({
      ownerMayVerify: true,
      permissions: { dismiss: { roles: ['principal'] } },
      closure: { reasonAcceptedBy: ['principal'] },
    });
    expect(policy.ownerMayVerify).toBe(true);
    expect(policy.permissions.dismiss).toEqual({ roles: ['principal'], relations: [] });
    expect(policy.permissions.assign).toEqual(defaultPolicy.permissions.assign);
    expect(policy.closure).toEqual({ requirePhotoOrReason: true, reasonAcceptedBy: ['principal'] });
  });

  it('rejects unknown roles, actions and keys', () => {
    expect(() => loadPolicy({ staffRoles: ['janitor'] })).toThrow();
    expect(() => loadPolicy({ permissions: { fly: { roles: [] } } })).toThrow();
    expect(() => loadPolicy({ ownerMayVerfy: true })).toThrow();
    expect(() => loadPolicy({ closure: { reasonAcceptedBy: [] } })).toThrow();
  });
});
