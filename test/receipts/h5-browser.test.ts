import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { receipts, students } from '../../src/db/schema.js';
import { browserTestbed } from '../helpers/browser.js';
import { testClock } from '../helpers/runtime.js';
import { receiptDriver } from './helpers.js';

/**
 * The receipt page in a real browser (Debian's chromium through playwright-core) at a phone's viewport:
 * read the letter, answer wrongly, then bind and confirm. Screenshots go to /tmp for a human look.
 */
describe('the receipt page in chromium on a phone screen', async () => {
  const clock = testClock('2026-06-01T02:00:00Z');
  const { database, runtime, url: serverUrl, phone } = await browserTestbed({ now: clock.now });
  const sandbox = receiptDriver(runtime, database);

  it('reads well at 375×740, refuses a wrong answer, then binds and confirms', { timeout: 120_000 }, async () => {
    await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月30日');
    const card = (await sandbox.botMessages('parents-1')).find((m) => m.card)!.card!;
    const url = card.buttons.find((b) => b.id === 'receipt-web')!.url!;
    expect(url.startsWith(`${serverUrl}/h5/receipt/`)).toBe(true);

    const context = await phone();
    const page = await context.newPage();
    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('防溺水安全致家长的一封信');
    expect(await page.locator('article').textContent()).toContain('不私自下水游泳');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/receipt-h5-form.png' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: '/tmp/receipt-h5-letter.png' });

    await page.getByLabel('孩子姓名').fill('孙小杰');
    await page.getByLabel('在学校登记的手机号后 4 位').fill('9999');
    await page.getByRole('button', { name: '我已阅读并承诺' }).click();
    await page.waitForSelector('.alert');
    expect(await page.locator('.alert').textContent()).toContain('信息不匹配');
    expect(await page.getByLabel('孩子姓名').inputValue()).toBe('孙小杰');
    await page.locator('#confirm').screenshot({ path: '/tmp/receipt-h5-wrong.png' });

    await page.getByLabel('在学校登记的手机号后 4 位').fill('1010');
    await page.getByRole('button', { name: '我已阅读并承诺' }).click();
    await page.waitForSelector('.done');
    expect(await page.locator('h1').textContent()).toBe('已确认');
    expect(await page.locator('.done').textContent()).toContain('已确认：孙小杰');
    await page.screenshot({ path: '/tmp/receipt-h5-done.png' });

    const rows = await database.db
      .select({ channel: receipts.channel, name: students.name })
      .from(receipts)
      .innerJoin(students, eq(students.id, receipts.studentId));
    expect(rows).toEqual([{ channel: 'h5', name: '孙小杰' }]);

    await page.goto(url.replace('#confirm', ''));
    await page.getByLabel('孩子姓名').fill('孙小杰');
    await page.getByLabel('在学校登记的手机号后 4 位').fill('1010');
    await page.getByRole('button', { name: '我已阅读并承诺' }).click();
    await page.waitForSelector('.done');
    expect(await page.locator('.done').textContent()).toContain('已确认，无需重复');
    expect(await sandbox.receiptCount()).toBe(1);
    await context.close();
  });
});
