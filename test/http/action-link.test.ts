import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../../src/db/repos/sandbox.js';
import { hazardDrafts } from '../../src/db/schema.js';
import type { ActionValue } from '../../src/model/card.js';
import { sandboxDriver } from '../hazards/helpers.js';
import { createTestDb } from '../helpers/db.js';
import { createTestRuntime } from '../helpers/runtime.js';

describe('signed action links (/h5/act)', async () => {
  const database = await createTestDb();
  const runtime = await createTestRuntime({ database });
  afterAll(() => database.close());
  const inAnHour = new Date(Date.now() + 3600_000);

  const link = (userId = 'wang', expiresAt = inAnHour, value: ActionValue = { flow: 'help', op: 'show' }) =>
    new URL(runtime.links.actionUrl({ platform: 'sandbox', tenant: '', chatId: 'staff', userId, value, expiresAt }))
      .pathname;

  const decodeHtml = (html: string) =>
    html.replace(
      /&(quot|amp|lt|gt|#39);/g,
      (_, name: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'" })[name]!,
    );
  /** What a browser would post from the page's form: its action and hidden description. */
  const formOf = (html: string) => ({
    action: decodeHtml(/<form method="post" action="([^"]+)">/.exec(html)![1]!),
    spec: decodeHtml(/<input type="hidden" name="_form" value="([^"]+)">/.exec(html)![1]!),
  });
  const submit = (action: string, fields: Record<string, string>) =>
    runtime.app.request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  it('shows a confirmation page, then replays the button as that user exactly once, showing a repeat the same answer', async () => {
    const path = link();
    const page = await runtime.app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const first = await runtime.app.request(path, { method: 'POST' });
    expect(await first.text()).toContain('已刷新');
    const second = await (await runtime.app.request(path, { method: 'POST' })).text();
    expect(second).toContain('已经完成过了');
    expect(second).toContain('已刷新');
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

  it('shows the form a button answers with, and submits what was typed through a link of its own', async () => {
    const sandbox = sandboxDriver(runtime, database);
    await sandbox.say('staff', 'wang', '@校安 二楼饮水机漏电，摸上去麻手');
    const card = (await sandbox.lastBot('staff')).card!;
    const edit = card.buttons.find((button) => button.id === 'draft-edit')!.value!;
    const draftId = String(edit.draft);
    const draft = async () => (await database.db.select().from(hazardDrafts).where(eq(hazardDrafts.id, draftId)))[0]!;

    const opened = await runtime.app.request(link('wang', inAnHour, edit), { method: 'POST' });
    const page = await opened.text();
    expect(opened.status).toBe(200);
    expect(page).toContain('<select id="f-category" name="category" required>');
    expect(page).toMatch(/<textarea rows="4" id="f-description" name="description" required>二楼饮水机漏电/);
    const { action, spec } = formOf(page);
    expect(action).toMatch(/^\/h5\/act\//);
    // An in-app browser reloads the page (posting the link again): the same form comes back, not a dead end.
    const reopened = await runtime.app.request(link('wang', inAnHour, edit), { method: 'POST' });
    expect(reopened.status).toBe(200);
    expect(formOf(await reopened.text())).toEqual({ action, spec });
    const { category, level } = await draft();

    const wrong = await submit(action, {
      category: 'nonsense',
      level,
      location: '二楼东侧',
      description: '饮水机漏电',
      _form: spec,
    });
    expect(wrong.status).toBe(422);
    const again = await wrong.text();
    expect(again).toContain('请选择隐患类别。');
    expect(again).toContain('value="二楼东侧"');
    expect(formOf(again).action).toBe(action);
    expect((await draft()).description).not.toBe('饮水机漏电');

    const fields = { category, level, location: '二楼东侧', description: '二楼东侧饮水机漏电', _form: spec };
    const saved = await (await submit(action, fields)).text();
    const botMessagesAfterSave = (await sandbox.botMessages('staff')).length;
    expect(saved).toContain('已保存修改，请确认登记。');
    expect(saved).toContain('确认登记</button>');
    expect(await draft()).toMatchObject({ location: '二楼东侧', description: '二楼东侧饮水机漏电' });
    const resubmitted = await (await submit(action, fields)).text();
    expect(resubmitted).toContain('已经完成过了');
    expect(resubmitted).toContain('已保存修改，请确认登记。');
    expect(await sandbox.botMessages('staff')).toHaveLength(botMessagesAfterSave);
  });
});
