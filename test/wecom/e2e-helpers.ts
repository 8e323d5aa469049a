import { and, eq } from 'drizzle-orm';
import { findPersonByAccount } from '../../src/db/repos/identity.js';
import { findClass, findSchoolByCode } from '../../src/db/repos/org.js';
import { DEMO_SCHOOL_CODE } from '../../src/db/repos/seed-demo.js';
import { outbox } from '../../src/db/schema.js';
import type { Db } from '../../src/db/types.js';
import type { InboundEvent } from '../../src/model/inbound.js';
import type { HandleResult, InboundPipeline } from '../../src/platforms/types.js';

/** Polls an async probe until it returns something truthy; a synchronisation bound, not a speed assertion. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The real pipeline, with what it answered kept for the test to wait on (events arrive over sockets). */
export function observed(pipeline: InboundPipeline) {
  const handled: { event: InboundEvent; result: HandleResult }[] = [];
  return {
    handled,
    pipeline: {
      async handle(event: InboundEvent) {
        const result = await pipeline.handle(event);
        handled.push({ event, result });
        return result;
      },
    } satisfies InboundPipeline,
    /** Resolves with the result of the `nth` (1-based) handling of event `id`. */
    resultOf: (id: string, nth = 1) =>
      eventually(`event ${id} handled ${nth}×`, () => handled.filter((entry) => entry.event.id === id)[nth - 1]),
  };
}

export async function demoSchool(db: Db) {
  const school = (await findSchoolByCode(db, DEMO_SCHOOL_CODE))!;
  const classId = async (name: string) => (await findClass(db, school.id, name))!.id;
  return { schoolId: school.id, districtId: school.districtId, classId };
}

/** The person behind a demo sandbox user (seedDemo), to give them an account on another platform. */
export async function demoPerson(db: Db, sandboxUser: string): Promise<string> {
  const person = await findPersonByAccount(db, 'sandbox', '', sandboxUser);
  if (!person) throw new Error(`no demo person ${sandboxUser}`);
  return person.personId;
}

export async function outboxRows(db: Db, platform: string, tenant?: string) {
  return db
    .select()
    .from(outbox)
    .where(
      tenant === undefined
        ? eq(outbox.platform, platform)
        : and(eq(outbox.platform, platform), eq(outbox.tenant, tenant)),
    );
}

export const unixSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
