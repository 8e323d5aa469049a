import { describe, expect, it } from 'vitest';
import { loadBotFlows } from '../../bot-flows/index.js';
import type { Db } from '../db/types.js';
import { createSignedLinks } from '../http/signed-links.js';
import type { Log } from '../platforms/types.js';
import { createRuntime } from '../runtime.js';
import { emptyResult, type TickContext, type TickRule } from './rule.js';
import { createTick } from './tick.js';

/** The rules below never touch the database: the tick itself reads it only when a rule asks. */
const noDatabase = {} as unknown as Db;

function recordingLog() {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
    };
  const log: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

const botFlows = loadBotFlows();

function tickWith(rules: TickRule[], log: Log) {
  return createTick({
    db: noDatabase,
    services: {
      links: createSignedLinks('unit-secret-unit-secret-unit-secret-0123', 'http://127.0.0.1:8787'),
      log,
      timezone: 'Asia/Shanghai',
      publicUrl: 'http://127.0.0.1:8787',
      secret: 'unit-secret-unit-secret-unit-secret-0123',
    },
    calendar: botFlows.calendar,
    reminders: botFlows.reminders,
    escalation: botFlows.escalation,
    rules,
  });
}

describe('tick', () => {
  it('adds up what its rules did and keeps going past a rule that throws', async () => {
    const { log, lines } = recordingLog();
    const ran: string[] = [];
    const rules: TickRule[] = [
      {
        name: 'first',
        async run() {
          ran.push('first');
          return { enqueued: 2, alreadyFired: 1, noAccount: 1, errors: 0 };
        },
      },
      {
        name: 'broken',
        async run() {
          throw new Error('boom');
        },
      },
      {
        name: 'last',
        async run() {
          ran.push('last');
          return { ...emptyResult(), enqueued: 3, stale: 1 };
        },
      },
    ];
    const summary = await tickWith(rules, log)(new Date('2026-09-28T00:00:00Z'));
    expect(ran).toEqual(['first', 'last']);
    expect(summary.rules.broken).toMatchObject({ errors: 1, failed: 'boom' });
    expect(summary.totals).toEqual({ enqueued: 5, alreadyFired: 1, noAccount: 1, stale: 1, errors: 1 });
    expect(lines.some((line) => line.level === 'error' && line.msg === 'scheduler rule failed')).toBe(true);
  });

  it('gives rules the injected clock and holds non-urgent messages in quiet hours', async () => {
    let seen: TickContext | undefined;
    const rule: TickRule = {
      name: 'probe',
      async run(ctx) {
        seen = ctx;
        return emptyResult();
      },
    };
    const night = new Date('2026-09-28T22:15:00+08:00');
    await tickWith([rule], recordingLog().log)(night);
    expect(seen?.now).toEqual(night);
    expect(seen?.notBefore('normal', 'Asia/Shanghai')).toEqual(new Date('2026-09-29T07:00:00+08:00'));
    expect(seen?.notBefore('urgent', 'Asia/Shanghai')).toBeUndefined();
    expect(seen?.notBefore('normal', 'Europe/London')).toBeUndefined(); // 15:15 there
    expect(seen?.calendarFor({ districtCode: 'anywhere' })).toBe(seen?.calendarFor({ districtCode: 'anywhere' }));
  });
});

describe('start-up', () => {
  it('warns when next year’s national holidays are not in the calendar yet', () => {
    const { log, lines } = recordingLog();
    const runtime = createRuntime({
      db: noDatabase,
      log,
      secret: 'unit-secret-unit-secret-unit-secret-0123',
      publicUrl: 'http://127.0.0.1:8787',
      timezone: 'Asia/Shanghai',
      sandbox: false,
      maxBodyBytes: 1024,
      now: () => new Date('2031-06-01T08:00:00+08:00'),
    });
    expect(typeof runtime.tick).toBe('function');
    const warning = lines.find((line) => line.level === 'warn');
    expect(warning?.obj).toEqual({ years: [2031, 2032] });
    expect(warning?.msg).toContain('bot-flows/calendar.ts: 2031、2032 年的法定节假日与调休尚未录入');
  });
});
