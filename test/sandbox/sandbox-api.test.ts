import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxMessage, SandboxState } from '../../src/db/repos/sandbox.js';
import { createTestDb } from '../helpers/db.js';
import { call, createTestRuntime } from '../helpers/runtime.js';

describe('sandbox API end to end', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  afterAll(() => database.close());

  const history = async (chat: string) =>
    (await call<{ messages: SandboxMessage[] }>(runtime, 'GET', `/sandbox/api/chats/${chat}/messages`)).body.messages;

  it('lists the demo school, its chats and personas', async () => {
    const { status, body } = await call<SandboxState>(runtime, 'GET', '/sandbox/api/state');
    expect(status).toBe(200);
    expect(body.schools.map((school) => school.code)).toContain('demo');
    expect(body.chats.map((chat) => chat.id)).toEqual(expect.arrayContaining(['staff', 'leaders', 'parents-1']));
    const principal = body.people.find((person) => person.id === 'chen');
    expect(principal?.roles).toContain('principal');
  });

  it('answers @bot 帮助 with the help card once the dispatcher delivers it', async () => {
    const sent = await call<{ messageId: string }>(runtime, 'POST', '/sandbox/api/messages', {
      chat: 'staff',
      user: 'wang',
      text: '@校安 帮助',
    });
    expect(sent.status).toBe(200);
    expect((await history('staff')).filter((message) => message.sender === 'bot')).toHaveLength(0);
    await runtime.dispatcher.drain();
    const bot = (await history('staff')).filter((message) => message.sender === 'bot');
    expect(bot).toHaveLength(1);
    expect(bot[0]!.card?.title).toContain('我能做什么');
    expect(bot[0]!.replyTo).toBe(sent.body.messageId);
  });

  it('answers a button click synchronously, like a platform card callback', async () => {
    const card = (await history('staff')).find((message) => message.card)!;
    const answer = await call<{ toast: { text: string }; card: { title: string } | null }>(
      runtime,
      'POST',
      '/sandbox/api/actions',
      { chat: 'staff', user: 'wang', messageId: card.id, buttonId: 'help-refresh' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.toast.text).toBe('已刷新');
    expect(answer.body.card?.title).toContain('我能做什么');
  });

  it('handles the same click redelivered only once', async () => {
    const card = (await history('staff')).find((message) => message.card)!;
    const click = { chat: 'staff', user: 'wang', messageId: card.id, buttonId: 'help-mine', clickId: 'click-1' };
    const first = await call<{ duplicate: boolean }>(runtime, 'POST', '/sandbox/api/actions', click);
    const second = await call<{ duplicate: boolean }>(runtime, 'POST', '/sandbox/api/actions', click);
    expect(first.body.duplicate).toBe(false);
    expect(second.body.duplicate).toBe(true);
  });

  it('replies to addressed text it does not understand instead of staying silent', async () => {
    await call(runtime, 'POST', '/sandbox/api/messages', {
      chat: 'staff',
      user: 'wang',
      text: '@校安 今天天气',
      wait: true,
    });
    const last = (await history('staff')).at(-1)!;
    expect(last.sender).toBe('bot');
    expect(last.text).toContain('帮助');
  });

  it.each([
    ['malformed JSON', 'not json', 400, /JSON/],
    ['a missing field', { chat: 'staff', text: 'hi' }, 400, /user/],
    ['an unknown chat', { chat: 'nowhere', user: 'wang', text: 'hi' }, 404, /未知的群聊/],
    ['an unknown user', { chat: 'staff', user: 'ghost', text: 'hi' }, 404, /未知的用户/],
    ['an empty message', { chat: 'staff', user: 'wang', text: '   ' }, 400, /不能为空/],
  ])('refuses %s with a clear 4xx', async (_name, body, status, error) => {
    const before = (await history('staff')).length;
    const response = await call<{ error: string }>(runtime, 'POST', '/sandbox/api/messages', body);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatch(error);
    expect((await history('staff')).length).toBe(before);
  });

  it('refuses clicks on unknown cards and buttons', async () => {
    const card = (await history('staff')).find((message) => message.card)!;
    const noCard = await call(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'staff',
      user: 'wang',
      messageId: '999999',
      buttonId: 'x',
    });
    expect(noCard.status).toBe(404);
    const noButton = await call(runtime, 'POST', '/sandbox/api/actions', {
      chat: 'staff',
      user: 'wang',
      messageId: card.id,
      buttonId: 'x',
    });
    expect(noButton.status).toBe(404);
  });

  it('answers unknown routes with 404 JSON and oversized bodies with 413', async () => {
    const missing = await call<{ error: string }>(runtime, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('未找到');
    const huge = await call(runtime, 'POST', '/sandbox/api/messages', {
      chat: 'staff',
      user: 'wang',
      text: 'x'.repeat(300 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  it('serves the simulator page, health, readiness and metrics', async () => {
    const page = await runtime.app.request('/sandbox');
    expect(await page.text()).toContain('校安 · 沙盒');
    expect((await call(runtime, 'GET', '/healthz')).status).toBe(200);
    expect((await call<{ migrations: boolean }>(runtime, 'GET', '/readyz')).body.migrations).toBe(true);
    const metrics = await (await runtime.app.request('/metrics')).text();
    expect(metrics).toContain('xiaoan_events_in_total');
    expect(metrics).toMatch(/xiaoan_outbox_depth\{status="pending"\} \d+/);
  });
});
