/**
 * tick(now): every rule looks at what is due at `now` and writes outbox rows under occurrence keys.
 * node-cron calls it every minute on Node, the Workers cron trigger on Workers, the sandbox on demand.
 * A rule that throws is logged and counted; the others still run. The tick reads the wall clock only
 * to report its own duration.
 */
import type { LoadedCalendar } from '../../bot-flows/calendar.js';
import type { LoadedReminders } from '../../bot-flows/reminders.js';
import { listSchools, type SchoolRef } from '../db/repos/schedule.js';
import type { Db } from '../db/types.js';
import type { SchoolCalendar } from '../domain/calendar/school-calendar.js';
import type { EscalationPolicy } from '../domain/escalation/ladder.js';
import { releaseTime } from '../domain/schedule/quiet-hours.js';
import type { FlowServices } from '../flows/types.js';
import { enqueueMany, enqueueOnce, firedKeys } from './occurrences.js';
import type { TickContext, TickRule, TickRuleResult } from './rule.js';
import { tickRules } from './rules/index.js';

export interface TickDeps {
  db: Db;
  services: FlowServices;
  calendar: LoadedCalendar;
  reminders: LoadedReminders;
  escalation: EscalationPolicy;
  /** Defaults to every rule in rules/index.ts. */
  rules?: TickRule[];
}

export interface RuleSummary extends Required<TickRuleResult> {
  /** The rule threw: its message (the rule's partial work stays, keys make the next tick finish it). */
  failed?: string;
}

export interface TickSummary {
  at: string;
  durationMs: number;
  rules: Record<string, RuleSummary>;
  totals: Required<TickRuleResult>;
}

export type Tick = (now: Date) => Promise<TickSummary>;

function blank(): Required<TickRuleResult> {
  return { enqueued: 0, alreadyFired: 0, noAccount: 0, stale: 0, errors: 0 };
}

function add(into: Required<TickRuleResult>, result: TickRuleResult): void {
  into.enqueued += result.enqueued;
  into.alreadyFired += result.alreadyFired;
  into.noAccount += result.noAccount;
  into.stale += result.stale ?? 0;
  into.errors += result.errors;
}

function contextFor(deps: TickDeps, now: Date): TickContext {
  const { db, reminders } = deps;
  let schools: Promise<SchoolRef[]> | undefined;
  const calendars = new Map<string, SchoolCalendar>();
  return {
    db,
    now,
    services: deps.services,
    schools: () => {
      schools ??= listSchools(db);
      return schools;
    },
    calendarFor(school) {
      let calendar = calendars.get(school.districtCode);
      if (!calendar) {
        calendar = deps.calendar.forDistrict(school.districtCode);
        calendars.set(school.districtCode, calendar);
      }
      return calendar;
    },
    programmes: reminders.programmes,
    reminders,
    escalation: deps.escalation,
    quietHours: reminders.quietHours,
    notBefore(urgency, timezone) {
      const release = releaseTime(now, urgency, reminders.quietHours, timezone);
      return release > now ? release : undefined;
    },
    enqueueOnce: (key, rule, message, options) =>
      enqueueOnce(db, now, { key, rule, messages: Array.isArray(message) ? message : [message] }, options),
    enqueueMany: (batch) => enqueueMany(db, now, batch),
    firedKeys: (keys) => firedKeys(db, keys),
  };
}

export function createTick(deps: TickDeps): Tick {
  const rules = deps.rules ?? tickRules(deps.reminders.programmes);
  const log = deps.services.log;
  return async (now) => {
    const started = Date.now();
    const ctx = contextFor(deps, now);
    const summary: TickSummary = { at: now.toISOString(), durationMs: 0, rules: {}, totals: blank() };
    for (const rule of rules) {
      const own = blank();
      try {
        add(own, await rule.run(ctx));
        summary.rules[rule.name] = own;
      } catch (error) {
        own.errors += 1;
        const message = error instanceof Error ? error.message : String(error);
        summary.rules[rule.name] = { ...own, failed: message };
        log.error({ err: error, rule: rule.name, at: summary.at }, 'scheduler rule failed');
      }
      add(summary.totals, own);
    }
    summary.durationMs = Date.now() - started;
    const { enqueued, errors, noAccount, stale } = summary.totals;
    if (enqueued + errors + noAccount + stale > 0) {
      log.info({ at: summary.at, durationMs: summary.durationMs, ...summary.totals }, 'scheduler tick');
    }
    return summary;
  };
}
