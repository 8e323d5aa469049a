/**
 * Every rule the tick runs, in this order. To add one: a file in this folder exporting a TickRule
 * (see ../rule.ts), and one line below. A rule that throws is logged and counted; the others still run.
 */
import type { TickRule } from '../rule.js';

export function tickRules(): TickRule[] {
  return [];
}
