import type { Hono } from 'hono';
import { loadBotFlows } from '../bot-flows/index.js';
import { createSandboxStore } from './db/repos/sandbox.js';
import type { BurstPool, Db } from './db/types.js';
import { createDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import type { PlatformSender } from './delivery/sender.js';
import { createFlowEngine } from './flows/engine.js';
import { createHandlers } from './flows/registry.js';
import type { FlowServices } from './flows/types.js';
import { createApp } from './http/app.js';
import { areaRoutes } from './http/areas.js';
import type { ClientAddressHeader } from './http/client-address.js';
import { Metrics } from './http/metrics.js';
import { createSignedLinks, type SignedLinks } from './http/signed-links.js';
import { createSandboxSender } from './platforms/sandbox/sender.js';
import { uncoveredYears } from './domain/calendar/national.js';
import { localDate } from './domain/calendar/zoned.js';
import { createTick, type Tick } from './scheduler/tick.js';
import type { InboundPipeline, Log, PlatformDeps, PlatformModule } from './platforms/types.js';

export interface RuntimeOptions {
  db: Db;
  /** Own connections for bursts of receipt confirmations (Database.burstPool); unset: they run on `db`. */
  burstPool?: BurstPool;
  log: Log;
  secret: string;
  publicUrl: string;
  timezone: string;
  sandbox: boolean;
  maxBodyBytes: number;
  /** The header the proxy in front of the service sets to the client's address; unset: the socket peer. */
  clientAddressHeader?: ClientAddressHeader;
  /** Real platforms, built once the runtime's signed links exist (see platforms/registry). */
  platforms?: (deps: PlatformDeps) => PlatformModule[];
  now?: () => Date;
  random?: () => number;
  /** Extra senders (long-connection platforms register theirs here). */
  senders?: PlatformSender[];
  /** Replaces the scheduler tick the runtime builds (tests of other areas). */
  tick?: (now: Date) => Promise<unknown>;
  mounts?: { path: string; app: Hono }[];
}

export interface Runtime {
  app: Hono;
  platforms: PlatformModule[];
  pipeline: InboundPipeline;
  dispatcher: Dispatcher;
  links: SignedLinks;
  metrics: Metrics;
  services: FlowServices;
  /** The scheduler: node-cron, the Workers cron trigger and the sandbox call it. */
  tick: Tick;
}

/** Wires one service instance: shared by the Node server, the Worker and the tests. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const clock = options.now ?? (() => new Date());
  /**
   * Sandbox time travel: POST /sandbox/api/tick {now} moves this runtime's clock there (and on from
   * there), so the cards it produces are delivered and answered "on that day".
   */
  let travel = 0;
  const now = () => new Date(clock().getTime() + travel);
  const metrics = new Metrics();
  const links = createSignedLinks(options.secret, options.publicUrl);
  const services: FlowServices = {
    links,
    log: options.log,
    timezone: options.timezone,
    publicUrl: options.publicUrl,
    secret: options.secret,
  };
  const botFlows = loadBotFlows();
  const year = Number(localDate(now(), options.timezone).slice(0, 4));
  const missing = uncoveredYears(botFlows.calendar.national, year, year + 1);
  if (missing.length > 0) {
    options.log.warn(
      { years: missing },
      `bot-flows/calendar.ts: ${missing.join('、')} 年的法定节假日与调休尚未录入，将只按周末计算上学日；请在国务院公布安排后补充`,
    );
  }
  const pipeline = createFlowEngine({
    db: options.db,
    burstPool: options.burstPool,
    handlers: createHandlers(botFlows),
    services,
    now,
    botNames: ['校安', '安全助手'],
    onEvent: (event, outcome) => {
      metrics.inc('xiaoan_events_in_total', 'Inbound events by platform and outcome', {
        platform: event.platform,
        outcome,
      });
      if (outcome === 'duplicate')
        metrics.inc('xiaoan_dedupe_hits_total', 'Redelivered events dropped', { platform: event.platform });
    },
  });
  const platforms = options.platforms?.({ links, log: options.log, now }) ?? [];
  const sandboxStore = options.sandbox ? createSandboxStore(options.db) : undefined;
  const senders = [
    ...platforms.map((platform) => platform.sender),
    ...(options.senders ?? []),
    ...(sandboxStore ? [createSandboxSender(sandboxStore)] : []),
  ];
  const dispatcher = createDispatcher({
    db: options.db,
    senders,
    log: options.log,
    now,
    ...(options.random ? { random: options.random } : {}),
    onResult: (platform, outcome) => {
      metrics.inc('xiaoan_outbox_results_total', 'Outbox send outcomes', { platform, outcome });
      if (outcome !== 'sent')
        metrics.inc('xiaoan_send_failures_total', 'Failed or deferred sends', { platform, outcome });
    },
  });
  const built = createTick({
    db: options.db,
    services,
    calendar: botFlows.calendar,
    reminders: botFlows.reminders,
    escalation: botFlows.escalation,
  });
  const tick: Tick = async (at) => {
    const summary = await built(at);
    metrics.set('xiaoan_tick_duration_ms', 'Duration of the last scheduler tick', {}, summary.durationMs);
    metrics.inc('xiaoan_tick_enqueued_total', 'Occurrences the scheduler enqueued', {}, summary.totals.enqueued);
    if (summary.totals.errors > 0)
      metrics.inc('xiaoan_tick_errors_total', 'Scheduler subjects or rules that failed', {}, summary.totals.errors);
    return summary;
  };
  const travelTo = (at: Date) => {
    travel += at.getTime() - now().getTime();
    return (options.tick ?? tick)(at);
  };
  const mounts = [
    ...areaRoutes({
      db: options.db,
      burstPool: options.burstPool,
      links,
      pipeline,
      dispatcher,
      services,
      now,
      clientAddressHeader: options.clientAddressHeader,
    }),
    ...(options.mounts ?? []),
  ];
  const app = createApp({
    db: options.db,
    pipeline,
    platforms,
    links,
    log: options.log,
    metrics,
    maxBodyBytes: options.maxBodyBytes,
    now,
    mounts,
    ...(sandboxStore ? { sandbox: { store: sandboxStore, dispatcher, tick: travelTo } } : {}),
  });
  return { app, platforms, pipeline, dispatcher, links, metrics, services, tick };
}
