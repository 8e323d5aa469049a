import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { bindChat } from '../../src/db/repos/org.js';
import { rowsOf } from '../../src/db/rows.js';
import { outbox } from '../../src/db/schema.js';
import { enqueue } from '../../src/delivery/outbox.js';
import { platformsFromEnv } from '../../src/platforms/registry.js';
import { startWecomApiFake } from '../fakes/wecom/api-server.js';
import { createTestDb } from '../helpers/db.js';
import { testClock } from '../helpers/runtime.js';
import { demoSchool } from './e2e-helpers.js';
import { serveRuntime } from './serve.js';

const ROBOT_KEY = 'robot-key-staffroom-e2e';
const TENANT = 'robot:staffroom';
const MINUTE = 60_000;

describe('WeCom group robot end to end: reminders pushed through webhook/send at ≤ 20 per minute', async () => {
  const database = await createTestDb();
  const { db } = database;
  // Wednesday 2026-06-10 08:00 in Shanghai: the 07:50 一日一醒 is due.
  const clock = testClock('2026-06-10T00:00:00Z');
  const api = await startWecomApiFake({ robotKeys: [ROBOT_KEY], now: () => clock.now().getTime() });
  const env = { WECOM_API_BASE_URL: api.baseUrl, WECOM_ROBOT_WEBHOOK_KEYS: `staffroom=${ROBOT_KEY}` };
  const served = await serveRuntime({ database, now: clock.now, platforms: (deps) => platformsFromEnv(env, deps) });
  const { runtime } = served;
  afterAll(async () => {
    await served.close();
    await api.close();
    await database.close();
  });

  const { schoolId } = await demoSchool(db);
  // A staff group with no AI bot in it: the school added a 消息推送 robot, reachable only by its webhook.
  await bindChat(db, {
    platform: 'wecom',
    tenant: TENANT,
    chatId: 'staffroom',
    schoolId,
    classId: null,
    kind: 'staff',
  });

  const robotRows = () =>
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.platform, 'wecom'), eq(outbox.tenant, TENANT)));

  /** Runs the dispatcher, moving the injected clock to the next row that is due, until none is left. */
  async function dispatchUntilDone(onRound: () => void = () => {}): Promise<void> {
    for (let round = 0; round < 2_000; round++) {
      onRound();
      await runtime.dispatcher.runOnce();
      const [next] = rowsOf<{ at: string | Date | null }>(
        await db.execute(
          sql`select min(next_attempt_at) as at from outbox where platform = 'wecom' and tenant = ${TENANT} and status = 'pending'`,
        ),
      );
      if (!next?.at) return;
      const due = new Date(next.at).getTime();
      if (due > clock.now().getTime()) clock.set(new Date(due));
    }
    throw new Error('the robot rows never drained');
  }

  it("pushes the scheduler's 一日一醒 into the robot's group", async () => {
    await runtime.tick(clock.now());
    const [reminder] = await robotRows();
    expect(reminder).toMatchObject({ chatId: 'staffroom', status: 'pending' });
    await dispatchUntilDone();

    expect(api.robotSent).toHaveLength(1);
    const sent = api.robotSent[0]!;
    expect(sent.key).toBe(ROBOT_KEY);
    // Callback buttons cannot exist in a robot message: the card arrives as markdown with a hint instead.
    expect(sent.body).toMatchObject({ msgtype: 'markdown' });
    const content = (sent.body.markdown as { content: string }).content;
    expect(content).toContain('一日一醒');
    expect(content).toContain('请私聊校安机器人办理');
    expect((await robotRows())[0]?.status).toBe('sent');
  });

  it('delivers 60 queued reminders without exceeding 20 in any minute, retrying a 45009 later', async () => {
    api.reset();
    clock.advance(10 * MINUTE);
    await db.transaction(async (tx) => {
      for (let n = 1; n <= 60; n++) {
        await enqueue(
          tx,
          {
            target: { platform: 'wecom', tenant: TENANT, chatId: 'staffroom' },
            body: { type: 'text', text: `提醒 ${n}：请检查负责区域的消防器材。`, mentionUserIds: ['wangwei'] },
            urgency: 'normal',
            idempotencyKey: `e2e:robot-reminder:${n}`,
          },
          clock.now(),
        );
      }
    });

    let injected = false;
    await dispatchUntilDone(() => {
      if (!injected && api.robotSent.length === 10) {
        api.failNext('webhook/send', 45009, 'api freq out of limit');
        injected = true;
      }
    });

    const contents = api.robotSent.map((sent) => (sent.body.markdown as { content: string }).content);
    expect(contents).toHaveLength(60);
    expect(new Set(contents).size).toBe(60);
    expect(contents[0]).toMatch(/^<@wangwei> 提醒 \d+：/);

    const stamps = api.robotSent.map((sent) => sent.at);
    const busiest = Math.max(
      ...stamps.map((start) => stamps.filter((at) => at >= start && at < start + MINUTE).length),
    );
    expect(busiest).toBeLessThanOrEqual(20);

    const refused = api.calls.filter((call) => call.api === 'webhook/send' && call.response.errcode !== 0);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.response.errcode).toBe(45009);
    // The refused reminder was not lost, and the robot was left alone for the block WeCom reports (~10 minutes).
    const refusedContent = (refused[0]!.body.markdown as { content: string }).content;
    expect(contents).toContain(refusedContent);
    const resumed = api.robotSent.find((sent) => sent.at > refused[0]!.at);
    expect(resumed!.at - refused[0]!.at).toBeGreaterThanOrEqual(10 * MINUTE);

    const rows = (await robotRows()).filter((row) => row.idempotencyKey.startsWith('e2e:robot-reminder:'));
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  });
});
