import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../../src/db/repos/sandbox.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime } from '../helpers/runtime.js';

describe('signed action links (/h5/act)', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  afterAll(() => database.close());
  const inAnHour = new Date(Date.now() + 3600_000);

  const link = (userId = 'wang', expiresAt = inAnHour) =>
    new URL(
      runtime.links.actionUrl({
        platform: 'sandbox',
        tenant: '',
        chatId: 'staff',
        userId,
        value: { flow: 'help', op: 'show' },
        expiresAt,
      }),
    ).pathname;

  it('shows a confirmation page, then replays the button as that user exactly once', async () => {
    const path = link();
    const page = await runtime.app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const first = await runtime.app.request(path, { method: 'POST' });
    expect(await first.text()).toContain('已刷新');
    const second = await runtime.app.request(path, { method: 'POST' });
    expect(await second.text()).toContain('已经完成过了');
  });

  it('refuses a link sent to a whole group, where nobody can be identified', async () => {
    const response = await runtime.app.request(link(''), { method: 'POST' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('无法确认你的身份');
  });

  it('refuses forged and expired links without running anything', async () => {
    const forged = `${link().slice(0, -4)}AAAA`;
    expect((await runtime.app.request(forged, { method: 'POST' })).status).toBe(403);
    const expired = link('wang', new Date(Date.now() - 1000));
    const response = await runtime.app.request(expired, { method: 'POST' });
    expect(response.status).toBe(410);
    expect(await response.text()).toContain('链接已过期');
    const history = (await (await runtime.app.request('/sandbox/api/chats/staff/messages')).json()) as {
      messages: SandboxMessage[];
    };
    expect(history.messages).toHaveLength(0);
  });
});
