import { createSignedLinks } from '../../src/http/signed-links.js';
import type { InboundEvent } from '../../src/model/inbound.js';
import type { HandleResult, InboundPipeline, Log } from '../../src/platforms/types.js';

export const LINK_SECRET = 'test-link-secret-0123456789abcdef0123';
export const PUBLIC_URL = 'http://127.0.0.1:8787';
export const testLinks = () => createSignedLinks(LINK_SECRET, PUBLIC_URL);

/**
 * A test double for the pipeline interface: records every event, reports a repeated id as a duplicate
 * (as the inbound_events key does) and answers with a canned HandleResult.
 */
export function recordingPipeline(answer: (event: InboundEvent) => Omit<HandleResult, 'duplicate'> = () => ({})) {
  const seen = new Set<string>();
  const events: InboundEvent[] = [];
  const results: HandleResult[] = [];
  const pipeline: InboundPipeline & { events: InboundEvent[]; results: HandleResult[]; handled: () => InboundEvent[] } =
    {
      events,
      results,
      handled: () => events.filter((_, index) => !results[index]?.duplicate),
      async handle(event) {
        events.push(event);
        const duplicate = seen.has(`${event.platform}:${event.id}`);
        seen.add(`${event.platform}:${event.id}`);
        const result: HandleResult = duplicate ? { duplicate } : { duplicate, ...answer(event) };
        results.push(result);
        return result;
      },
    };
  return pipeline;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export function memoryLog(): Log & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: object | string, msg?: string): void => {
      entries.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
