import type { HazardLevel, HazardStatus } from '../hazard/types.js';

/** One timeline entry that sets a status, reduced to what the ledger maths needs. */
export interface StatusChange {
  at: Date;
  fromStatus: HazardStatus | null;
  toStatus: HazardStatus;
  /**
   * The deadline in force after this entry when the entry names one (assign, reject, reopen carry it);
   * `undefined` when the entry says nothing about the deadline.
   */
  deadline?: Date | null;
}

/**
 * The facts of one hazard the monthly and statistics maths reads: the current row plus its status
 * history. Category and level are taken as they are now.
 */
export interface HazardFacts {
  id: string;
  code: string;
  category: string;
  level: HazardLevel;
  status: HazardStatus;
  reportedAt: Date;
  deadline: Date | null;
  closedAt: Date | null;
  /** Used only to date a dismissal when the timeline is missing. */
  updatedAt?: Date | null;
  /**
   * Status changes, any order. Empty when the timeline is missing (rows imported without one): the
   * history is then inferred from the row (reported at reportedAt, closed at closedAt).
   */
  history: readonly StatusChange[];
}

/** A category of the taxonomy, in the order reports list them. */
export interface CategoryName {
  code: string;
  name: string;
}
