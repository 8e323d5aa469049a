import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hazards } from '../../src/db/schema.js';
import { browserTestbed } from '../helpers/browser.js';
import { sandboxDriver } from '../hazards/helpers.js';

/**
 * A button whose answer is a form, opened from a link as on DingTalk, WeCom or Wechaty, in a real browser
 * at a phone's viewport: the form appears, a refused value comes back with the reason and what was typed,
 * and the answer card's next step is one tap away.
 */
describe('a card form on a signed action link, in chromium on a phone screen', async () => {
  const { database, runtime, phone } = await browserTestbed();
  const sandbox = sandboxDriver(runtime, database);

  it('edits a hazard report through the form and registers it from the result page', { timeout: 120_000 }, async () => {
    await sandbox.say('staff', 'wang', '@校安 二楼饮水机漏电，摸上去麻手');
    const edit = (await sandbox.lastBot('staff')).card!.buttons.find((button) => button.id === 'draft-edit')!;
    const url = runtime.links.actionUrl({
      platform: 'sandbox',
      tenant: '',
      chatId: 'staff',
      userId: 'wang',
      label: edit.label,
      value: edit.value!,
      expiresAt: new Date(Date.now() + 3600_000),
    });

    const context = await phone();
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: '修改' }).click();
    await page.waitForSelector('form select');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.getByLabel('描述').inputValue()).toContain('二楼饮水机漏电');
    await page.getByLabel('部位').fill('二楼东侧开水间');
    await page.getByLabel('描述').fill('');
    await page.getByLabel('描述').fill(' ');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForSelector('.alert');
    expect(await page.locator('.alert').textContent()).toContain('描述');
    expect(await page.getByLabel('部位').inputValue()).toBe('二楼东侧开水间');
    await page.screenshot({ path: '/tmp/action-form-refused.png' });

    await page.getByLabel('描述').fill('二楼东侧开水间饮水机漏电');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForSelector('.next');
    expect(await page.locator('h1').first().textContent()).toBe('已保存修改，请确认登记。');
    await page.screenshot({ path: '/tmp/action-form-saved.png' });

    await page.getByRole('button', { name: '确认登记' }).click();
    await page.waitForURL(/\/h5\/act\//);
    await page.waitForFunction(() => /YH-\d{4}-\d{4}/.test(document.querySelector('h1')?.textContent ?? ''));
    const [row] = await database.db.select().from(hazards).where(eq(hazards.location, '二楼东侧开水间'));
    expect(row?.description).toBe('二楼东侧开水间饮水机漏电');
    await context.close();
  });
});
