import type { ActionAnswer } from '../../../src/model/card.js';
import type { InboundEvent } from '../../../src/model/inbound.js';
import type { HandleResult, InboundPipeline, Log } from '../../../src/platforms/types.js';

/**
 * A test double for the inbound pipeline: records every event, dedupes on (platform, id) the way the database key
 * does, and answers card clicks with a canned ActionAnswer.
 */
export class RecordingPipeline implements InboundPipeline {
  readonly events: InboundEvent[] = [];
  readonly handled: InboundEvent[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly answer: (event: InboundEvent) => ActionAnswer | undefined = () => undefined) {}

  async handle(event: InboundEvent): Promise<HandleResult> {
    this.events.push(event);
    const key = `${event.platform}\u0000${event.id}`;
    if (this.seen.has(key)) return { duplicate: true };
    this.seen.add(key);
    this.handled.push(event);
    const answer = this.answer(event);
    return answer ? { duplicate: false, answer } : { duplicate: false };
  }
}

/** A Log that keeps entries for assertions (and for proving secrets stay out of logs). */
export function recordingLog(): Log & { entries: { level: string; obj: object | string; msg?: string }[] } {
  const entries: { level: string; obj: object | string; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      entries.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
