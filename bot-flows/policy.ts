import { z } from 'zod';
import { type HazardPolicy, POLICY_ACTIONS, type PolicyAction, RELATIONS } from '../src/domain/hazard/policy.js';
import { ROLES } from '../src/domain/hazard/types.js';

const role = z.enum(ROLES);
const permission = z.strictObject({
  roles: z.array(role),
  relations: z.array(z.enum(RELATIONS)).default([]),
});
const permissions = z.strictObject(
  Object.fromEntries(POLICY_ACTIONS.map((action) => [action, permission])) as {
    [K in PolicyAction]: typeof permission;
  },
);
const closure = z.strictObject({ requirePhotoOrReason: z.boolean(), reasonAcceptedBy: z.array(role).min(1) });
const major = z.strictObject({ requireFiveImplementations: z.boolean(), supervise: z.boolean() });

export const policySchema = z.strictObject({
  staffRoles: z.array(role).min(1),
  permissions,
  ownerMayVerify: z.boolean(),
  fixEvidence: z.enum(['photo', 'photo_or_note']),
  closure,
  assignRequiresDeadline: z.boolean(),
  major,
});

/** A district's changes: any top-level field, any single permission, any part of closure or major. */
export const policyOverrideSchema = z
  .strictObject({
    ...policySchema.shape,
    permissions: permissions.partial(),
    closure: closure.partial(),
    major: major.partial(),
  })
  .partial();

export type PolicyOverride = z.input<typeof policyOverrideSchema>;

const SCHOOL_STAFF = ['teacher', 'class_teacher', 'safety_officer', 'principal'] as const;
const MANAGERS = ['safety_officer', 'principal'] as const;

/**
 * Default hazard policy (DOMAIN.md): anyone on the school staff reports; the safety officer or the
 * principal assigns, dismisses and changes the level; the owner submits the fix (the safety officer or
 * principal may submit on the owner's behalf, and then may not verify it); the reporter, safety officer
 * or principal verifies (谁发现、谁销号), never whoever submitted the fix nor the owner.
 */
export const defaultPolicy: HazardPolicy = {
  staffRoles: [...SCHOOL_STAFF, 'bureau'],
  permissions: {
    report: { roles: [...SCHOOL_STAFF, 'bureau'], relations: [] },
    assign: { roles: MANAGERS, relations: [] },
    fix_on_spot: { roles: SCHOOL_STAFF, relations: [] },
    submit_fix: { roles: MANAGERS, relations: ['owner'] },
    accept: { roles: MANAGERS, relations: ['reporter'] },
    reject: { roles: MANAGERS, relations: ['reporter'] },
    dismiss: { roles: MANAGERS, relations: [] },
    reopen: { roles: MANAGERS, relations: ['reporter'] },
    change_level: { roles: MANAGERS, relations: [] },
    view: { roles: [...SCHOOL_STAFF, 'bureau'], relations: [] },
    ledger: { roles: [...SCHOOL_STAFF, 'bureau'], relations: [] },
    remind: { roles: ['class_teacher', ...MANAGERS], relations: [] },
    receipt_start: { roles: MANAGERS, relations: [] },
    receipt_progress: { roles: ['class_teacher', ...MANAGERS, 'bureau'], relations: [] },
  },
  ownerMayVerify: false,
  fixEvidence: 'photo_or_note',
  closure: { requirePhotoOrReason: true, reasonAcceptedBy: MANAGERS },
  assignRequiresDeadline: true,
  major: { requireFiveImplementations: true, supervise: true },
};

/** The default policy with a district's override laid over it, validated (run at start-up). */
export function loadPolicy(override: unknown = {}): HazardPolicy {
  const changes = policyOverrideSchema.parse(override);
  return policySchema.parse({
    ...defaultPolicy,
    ...changes,
    permissions: { ...defaultPolicy.permissions, ...changes.permissions },
    closure: { ...defaultPolicy.closure, ...changes.closure },
    major: { ...defaultPolicy.major, ...changes.major },
  });
}
