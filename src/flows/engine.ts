import { createBurstCommitter, createGroupCommitter } from '../db/group-commit.js';
import {
  type BoundChat,
  ensurePersonForAccount,
  findBoundChat,
  findPersonByAccount,
  grantsOf,
} from '../db/repos/identity.js';
import { claimInboundKeys } from '../db/repos/inbound-events.js';
import type { BurstPool, Db } from '../db/types.js';
import { enqueue } from '../delivery/outbox.js';
import type { ActionAnswer, MessageBody } from '../model/card.js';
import type { InboundEvent } from '../model/inbound.js';
import type { HandleResult, InboundPipeline } from '../platforms/types.js';
import type { Actor } from './actor.js';
import { cleanText } from './text.js';
import { type FlowContext, type FlowHandler, FlowRefusal, type FlowServices } from './types.js';

export interface FlowEngineOptions {
  db: Db;
  /** Own connections for each batched kind of action (Database.burstPool); unset: batches run on `db`. */
  burstPool?: BurstPool;
  handlers: FlowHandler[];
  services: FlowServices;
  now?: () => Date;
  /** Bot display names to strip from text (the platforms strip their own mention markup). */
  botNames?: string[];
  onEvent?: (event: InboundEvent, outcome: 'handled' | 'duplicate' | 'failed') => void;
  /** Batching of concurrent events into shared transactions (see createGroupCommitter). */
  groupCommit?: { maxBatch: number; maxInFlight: number };
}

const FAILURE_TEXT = '抱歉，处理这条消息时出错了。请稍后重试；如果一直出错，请联系学校的系统管理员。';

export function createFlowEngine(options: FlowEngineOptions): InboundPipeline {
  const handlers = [...options.handlers].sort((a, b) => a.priority - b.priority);
  const byName = new Map(handlers.map((handler) => [handler.name, handler]));
  const now = options.now ?? (() => new Date());
  const log = options.services.log;

  async function claim(db: Db, event: InboundEvent): Promise<boolean> {
    const keys = [event.id, ...(event.extraDedupeKeys ?? [])].map((eventId) => ({ platform: event.platform, eventId }));
    return (await claimInboundKeys(db, keys)).size === keys.length;
  }

  async function resolveActor(db: Db, event: InboundEvent, chat: BoundChat | null): Promise<Actor> {
    const { platformUserId, name } = event.actor;
    const known = await findPersonByAccount(db, event.platform, event.tenant, platformUserId);
    const member = chat && (chat.kind === 'staff' || chat.kind === 'leaders');
    const person =
      known ??
      (member
        ? await ensurePersonForAccount(db, {
            platform: event.platform,
            tenant: event.tenant,
            userId: platformUserId,
            name: name ?? platformUserId,
          })
        : null);
    return {
      personId: person?.personId ?? null,
      name: person?.name ?? name ?? platformUserId,
      platformUserId,
      grants: person ? await grantsOf(db, person.personId) : [],
    };
  }

  function contextFor(db: Db, event: InboundEvent, chat: BoundChat | null, actor: Actor, at: Date): FlowContext {
    let replies = 0;
    const ctx: FlowContext = {
      db,
      now: at,
      event,
      text: cleanText(event.text, options.botNames),
      chat,
      actor,
      services: options.services,
      async reply(body, replyOptions) {
        const message: MessageBody = typeof body === 'string' ? { type: 'text', text: body } : body;
        replies += 1;
        const target =
          event.chat.type === 'direct'
            ? { platform: event.platform, tenant: event.tenant, userId: event.actor.platformUserId }
            : { platform: event.platform, tenant: event.tenant, chatId: event.chat.id };
        await enqueue(
          db,
          {
            target,
            body: message,
            urgency: replyOptions?.urgency ?? 'normal',
            idempotencyKey: `reply:${event.platform}:${event.id}:${replyOptions?.key ?? replies}`,
            ...(event.messageId ? { replyTo: event.messageId } : {}),
            ...(event.replyChannel
              ? { replyChannel: { url: event.replyChannel.url, expiresAt: event.replyChannel.expiresAt.toISOString() } }
              : {}),
          },
          at,
        );
      },
      async send(message) {
        await enqueue(db, message, at);
      },
    };
    return ctx;
  }

  async function route(ctx: FlowContext): Promise<ActionAnswer | undefined> {
    const { event } = ctx;
    if (event.kind === 'action') {
      const value = event.action?.value;
      const handler = value ? byName.get(value.flow) : undefined;
      if (!value || !handler?.onAction) return { toast: { type: 'error', text: '这个按钮已失效，请重新发起。' } };
      return handler.onAction(ctx, value, event.action?.form ?? {});
    }
    if (event.kind === 'join') {
      for (const handler of handlers) if (await handler.onJoin?.(ctx)) return undefined;
      return undefined;
    }
    if (event.kind !== 'message') return undefined;
    for (const handler of handlers) if (await handler.onMessage?.(ctx)) return undefined;
    return undefined;
  }

  async function process(db: Db, event: InboundEvent, at: Date): Promise<HandleResult> {
    if (!(await claim(db, event))) return { duplicate: true };
    const chat = event.chat.id ? await findBoundChat(db, event.platform, event.tenant, event.chat.id) : null;
    const actor = await resolveActor(db, event, chat);
    const answer = await route(contextFor(db, event, chat, actor, at));
    return answer ? { duplicate: false, answer } : { duplicate: false };
  }

  /** A refused or failed handler rolled back whole; the event is then recorded with only the answer. */
  async function answerInstead(
    db: Db,
    event: InboundEvent,
    text: string,
    tone: 'warning' | 'error',
    at: Date,
  ): Promise<HandleResult> {
    if (!(await claim(db, event))) return { duplicate: true };
    if (event.kind === 'action') return { duplicate: false, answer: { toast: { type: tone, text } } };
    const chat = await findBoundChat(db, event.platform, event.tenant, event.chat.id);
    await contextFor(db, event, chat, await resolveActor(db, event, chat), at).reply(text, { key: tone });
    return { duplicate: false };
  }

  /**
   * One event in its own transaction — or, inside a group commit, its own savepoint — so a refusal or a bug
   * undoes exactly this event's writes.
   */
  async function runEvent(db: Db, event: InboundEvent): Promise<HandleResult> {
    const at = now();
    try {
      const result = await db.transaction((tx) => process(tx, event, at));
      options.onEvent?.(event, result.duplicate ? 'duplicate' : 'handled');
      return result;
    } catch (error) {
      const refused = error instanceof FlowRefusal;
      if (!refused) {
        log.error(
          { err: error, platform: event.platform, eventId: event.id },
          'flow failed; answering with an apology',
        );
      }
      const result = await db.transaction((tx) =>
        answerInstead(tx, event, refused ? error.userMessage : FAILURE_TEXT, refused ? 'warning' : 'error', at),
      );
      options.onEvent?.(event, refused ? (result.duplicate ? 'duplicate' : 'handled') : 'failed');
      return result;
    }
  }

  /**
   * Group commit: events arriving while a commit is in flight share the next transaction (each in a savepoint),
   * so a burst of card taps costs a few commits instead of one each. A lone event commits at once.
   */
  const commit = createGroupCommitter<InboundEvent, HandleResult>(
    async (events) => {
      if (events.length === 1) return [await runEvent(options.db, events[0]!)];
      return options.db.transaction(async (tx) => {
        const results: HandleResult[] = [];
        for (const event of events) results.push(await runEvent(tx, event));
        return results;
      });
    },
    { maxBatch: options.groupCommit?.maxBatch ?? 64, maxInFlight: options.groupCommit?.maxInFlight ?? 4 },
  );

  const batched = handlers.flatMap(({ batchActions }) =>
    batchActions
      ? [
          {
            accepts: (event: InboundEvent) => batchActions.accepts(event),
            submit: createBurstCommitter<InboundEvent, HandleResult | null>(options, (db, events) =>
              batchActions.handleBatch(db, events, now()),
            ),
          },
        ]
      : [],
  );

  /** A batched kind of action goes to its batch; what the batch leaves or fails goes the general way. */
  async function handle(event: InboundEvent): Promise<HandleResult> {
    const batch = event.kind === 'action' ? batched.find((candidate) => candidate.accepts(event)) : undefined;
    if (batch) {
      const result = await batch.submit(event).catch((error: unknown) => {
        log.error({ err: error, platform: event.platform, eventId: event.id }, 'batched action failed; trying alone');
        return null;
      });
      if (result) {
        options.onEvent?.(event, result.duplicate ? 'duplicate' : 'handled');
        return result;
      }
    }
    return commit(event);
  }

  return { handle };
}
