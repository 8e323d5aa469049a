import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxStore } from '../../db/repos/sandbox.js';
import type { Dispatcher } from '../../delivery/dispatcher.js';
import { findButton } from '../../model/card.js';
import { actionEvent, messageEvent } from '../../platforms/sandbox/events.js';
import { sandboxPage } from '../../platforms/sandbox/page.js';
import type { InboundPipeline } from '../../platforms/types.js';
import { parseJson } from '../validation.js';

export interface SandboxDeps {
  store: SandboxStore;
  pipeline: InboundPipeline;
  dispatcher: Dispatcher;
  /** The scheduler tick; the sandbox lets anyone time-travel with it. */
  tick?: (now: Date) => Promise<unknown>;
  now: () => Date;
}

const attachmentSchema = z.object({
  kind: z.enum(['image', 'file']),
  key: z.string().min(1).max(500),
  url: z.string().max(2000).optional(),
  name: z.string().max(200).optional(),
});

const messageSchema = z.object({
  chat: z.string().min(1).max(200),
  user: z.string().min(1).max(200),
  text: z.string().max(5000).default(''),
  attachments: z.array(attachmentSchema).max(9).default([]),
  /** Wait until the bot's answers are delivered before responding (tests, the page). */
  wait: z.boolean().default(false),
});

const actionSchema = z.object({
  chat: z.string().min(1).max(200),
  user: z.string().min(1).max(200),
  messageId: z.string().regex(/^\d+$/, 'messageId 应为数字'),
  buttonId: z.string().min(1).max(200),
  form: z.record(z.string(), z.string().max(2000)).default({}),
  /** Same clickId = the same click redelivered (deduped like a platform callback). */
  clickId: z.string().min(1).max(100).optional(),
  wait: z.boolean().default(true),
});

const tickSchema = z.object({ now: z.iso.datetime({ offset: true }) });

export function sandboxRoutes(deps: SandboxDeps): Hono {
  const app = new Hono();

  async function knownParticipants(chat: string, user: string) {
    const state = await deps.store.state();
    const person = state.people.find((candidate) => candidate.id === user);
    const chatKnown = state.chats.some((candidate) => candidate.id === chat);
    return { state, person, chatKnown };
  }

  app.get('/', (c) => c.html(sandboxPage()));

  app.get('/api/state', async (c) => c.json(await deps.store.state()));

  app.get('/api/chats/:chat/messages', async (c) => {
    const chat = c.req.param('chat');
    const messages = await deps.store.history(chat, c.req.query('after'));
    return c.json({ chat, messages });
  });

  app.post('/api/messages', async (c) => {
    const input = await parseJson(c, messageSchema);
    if (!input.ok) return input.response;
    const { chat, user, text, attachments, wait } = input.data;
    if (!text.trim() && attachments.length === 0) return c.json({ error: '消息内容不能为空' }, 400);
    const { person, chatKnown } = await knownParticipants(chat, user);
    if (!chatKnown) return c.json({ error: `未知的群聊：${chat}` }, 404);
    if (!person) return c.json({ error: `未知的用户：${user}` }, 404);
    const message = await deps.store.postUserMessage({ chat, user, text, attachments });
    await deps.pipeline.handle(messageEvent(message, person.name, deps.now()));
    if (wait) await deps.dispatcher.drain();
    return c.json({ messageId: message.id });
  });

  app.post('/api/actions', async (c) => {
    const input = await parseJson(c, actionSchema);
    if (!input.ok) return input.response;
    const { chat, user, messageId, buttonId, form, clickId, wait } = input.data;
    const { person } = await knownParticipants(chat, user);
    if (!person) return c.json({ error: `未知的用户：${user}` }, 404);
    const message = await deps.store.message(messageId);
    if (!message || message.chat !== chat || !message.card) return c.json({ error: '找不到这张卡片' }, 404);
    const button = findButton(message.card, buttonId);
    if (!button?.value) return c.json({ error: `卡片上没有按钮 ${buttonId}` }, 404);
    const result = await deps.pipeline.handle(
      actionEvent({
        clickId: clickId ?? crypto.randomUUID(),
        chat,
        user,
        userName: person.name,
        messageId,
        value: button.value,
        form,
        receivedAt: deps.now(),
      }),
    );
    if (result.answer?.card) await deps.store.updateCard(messageId, result.answer.card);
    if (wait) await deps.dispatcher.drain();
    return c.json({
      duplicate: result.duplicate,
      toast: result.answer?.toast ?? null,
      card: result.answer?.card ?? null,
    });
  });

  app.post('/api/tick', async (c) => {
    const input = await parseJson(c, tickSchema);
    if (!input.ok) return input.response;
    if (!deps.tick) return c.json({ error: '调度器尚未启用' }, 501);
    const at = new Date(input.data.now);
    const summary = await deps.tick(at);
    await deps.dispatcher.drain();
    return c.json({ now: at.toISOString(), summary: summary ?? null });
  });

  return app;
}
