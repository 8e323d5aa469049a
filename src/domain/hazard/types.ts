import type { Attachment } from '../../model/inbound.js';

/**
 * Plain shapes of the hazard ledger, mirroring the columns of src/db/tables/hazards.ts (the domain
 * may not import the db layer; a type test checks that a selected row still fits).
 */

export const HAZARD_STATUSES = ['reported', 'rectifying', 'verifying', 'closed', 'dismissed'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];

export const OPEN_STATUSES: readonly HazardStatus[] = ['reported', 'rectifying', 'verifying'];

export const HAZARD_LEVELS = ['general', 'major'] as const;
export type HazardLevel = (typeof HAZARD_LEVELS)[number];

export const ROLES = ['teacher', 'class_teacher', 'safety_officer', 'principal', 'bureau', 'parent'] as const;
export type Role = (typeof ROLES)[number];

export interface HazardFields {
  code: string;
  status: HazardStatus;
  category: string;
  level: HazardLevel;
  location: string;
  description: string;
  reporterId: string;
  reportedAt: Date;
  ownerId: string | null;
  deadline: Date | null;
  measures: string | null;
  funds: string | null;
  interimPlan: string | null;
  /** 挂牌督办. */
  supervised: boolean;
  fixedAt: Date | null;
  fixedBy: string | null;
  fixNote: string | null;
  verifiedAt: Date | null;
  verifiedBy: string | null;
  verifyResult: string | null;
  closedAt: Date | null;
  dismissReason: string | null;
  cycle: number;
}

/** What `decide` needs beyond the row: the attachments of the current fix (from its timeline entry). */
export interface HazardState extends HazardFields {
  fixAttachments?: readonly Attachment[];
}

/** The person acting, with the roles they hold for the hazard's school (empty for a stranger). */
export interface Actor {
  personId: string;
  roles: readonly Role[];
}

export type HazardAction =
  | 'report'
  | 'assign'
  | 'fix_on_spot'
  | 'submit_fix'
  | 'accept'
  | 'reject'
  | 'dismiss'
  | 'reopen'
  | 'change_level';

/** One immutable row of hazard_events, without the hazard id the flow adds. */
export interface TimelineEntry {
  at: Date;
  actorId: string | null;
  action: HazardAction;
  fromStatus: HazardStatus | null;
  toStatus: HazardStatus;
  note: string | null;
  detail: Record<string, unknown>;
  attachments: Attachment[];
}
