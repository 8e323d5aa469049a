import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findSchoolByCode } from '../../src/db/repos/org.js';
import { campaigns, classes, receipts } from '../../src/db/schema.js';
import { receiptPageUrl } from '../../src/flows/receipts/links.js';
import { renderLetterMarkdown } from '../../src/http/routes/h5-receipt-markdown.js';
import { createTestDb } from '../helpers/db.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';
import { createTestRuntime, testClock } from '../helpers/runtime.js';
import { receiptDriver } from './helpers.js';

describe('the H5 receipt page, the dashboard API and group action links', async () => {
  const database = await createTestDb();
  const clock = testClock('2026-06-01T02:00:00Z');
  const runtime = await createTestRuntime({ database, now: clock.now, clientAddressHeader: 'x-real-ip' });
  afterAll(() => database.close());
  const sandbox = receiptDriver(runtime, database);
  const db = database.db;

  await sandbox.say('staff', 'li', '@校安 回执 发起 防溺水 截止 6月30日');
  const card = (await sandbox.botMessages('parents-1')).find((m) => m.card)!.card!;
  const pageUrl = card.buttons.find((b) => b.id === 'receipt-read')!.url!;
  const pagePath = new URL(pageUrl).pathname;
  const confirm = card.buttons.find((b) => b.id === 'receipt-confirm')!.value!;
  const campaignId = String(confirm.campaign);

  const get = (path: string, headers: Record<string, string> = {}) => runtime.app.request(path, { headers });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    runtime.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';
  const count = async () =>
    Number(
      (await db.select({ n: sql<number>`count(*)::int` }).from(receipts).where(eq(receipts.campaignId, campaignId)))[0]!
        .n,
    );

  it('carries the same headers and device cookie over the Node server, where they go onto its response', async () => {
    const server = await serveOnLoopback(runtime.app);
    try {
      const page = await fetch(`${server.url}${pagePath}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-robots-tag')).toBe('noindex');
      expect(page.headers.get('set-cookie')).toMatch(/^xa_dev=dev(%3A|:)[0-9a-f]{32}; .*HttpOnly; SameSite=Lax$/);
      expect(await page.text()).toContain('我已阅读并承诺');

      const forged = await fetch(`${server.url}/h5/receipt/forged-token`);
      expect(forged.status).toBeGreaterThanOrEqual(400);
      expect(forged.headers.get('cache-control')).toBe('no-store');
      expect(forged.headers.get('set-cookie')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('shows the whole letter, the statement and the form, in Chinese, uncached, with a device cookie', async () => {
    const response = await get(pagePath);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(cookieOf(response)).toMatch(/^xa_dev=dev%3A[0-9a-f]{32}$|^xa_dev=dev:[0-9a-f]{32}$/);
    const html = await response.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('示范小学 · 三年级(1)班');
    expect(html).toContain('<h3>一、教育孩子牢记防溺水“六不”</h3>');
    expect(html).toContain('<li><strong>知时间</strong>：出去做什么、要多长时间；</li>');
    expect(html).toContain('我已阅读并承诺：教育孩子牢记防溺水“六不”');
    expect(html).toContain('name="studentName"');
    expect(html).toContain('inputmode="numeric"');
    expect(html).not.toContain('刘小雨');
  });

  it('renders letter markdown safely', () => {
    const html = renderLetterMarkdown('## 标题 <b>\n\n正文 **重点** <script>alert(1)</script>\n\n1. 一\n2. 二\n- 甲');
    expect(html).toBe(
      '<h3>标题 &lt;b&gt;</h3>\n<p>正文 <strong>重点</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n<ol><li>一</li><li>二</li></ol>\n<ul><li>甲</li></ul>',
    );
  });

  it('refuses forged, malformed, foreign and expired links with a clear page, counting nothing', async () => {
    const token = pagePath.split('/').at(-1)!;
    const [payload, mac] = token.split('.');
    const forged = await get(`/h5/receipt/${payload}.${mac!.slice(0, -2)}AA`);
    expect(forged.status).toBe(403);
    expect(forged.headers.get('cache-control')).toBe('no-store');
    expect(forged.headers.get('x-robots-tag')).toBe('noindex');
    expect(await forged.text()).toContain('链接校验失败');
    expect((await get('/h5/receipt/not-a-token')).status).toBe(400);
    expect(
      (await post(`/h5/receipt/${payload}.${mac!.slice(0, -2)}AA`, { studentName: '孙小杰', phoneDigits: '1010' }))
        .status,
    ).toBe(403);

    const [otherClass] = await db.select({ id: classes.id }).from(classes).where(eq(classes.name, '三年级(2)班'));
    const foreign = receiptPageUrl(runtime.links, campaignId, otherClass!.id, new Date('2026-06-30T15:59:59Z'));
    const notInCampaign = await get(new URL(foreign).pathname);
    expect(notInCampaign.status).toBe(404);
    expect(await notInCampaign.text()).toContain('已失效');

    clock.set('2026-07-01T00:00:00Z');
    const expired = await post(pagePath, { studentName: '孙小杰', phoneDigits: '1010' });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('已过期');
    clock.set('2026-06-01T02:00:00Z');
    expect(await count()).toBe(0);
  });

  it('binds by the roster, confirms once, and answers a double submit without counting it again', async () => {
    const opened = await get(pagePath);
    const cookie = cookieOf(opened);
    const wrong = await post(
      pagePath,
      { studentName: '孙小杰', phoneDigits: '9999' },
      { cookie, 'x-real-ip': '10.0.0.1' },
    );
    expect(wrong.status).toBe(422);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('信息不匹配');
    expect(wrongHtml).toContain('value="孙小杰"');
    expect(await count()).toBe(0);

    const [first, second] = await Promise.all([
      post(pagePath, { studentName: '孙小杰', phoneDigits: '1010' }, { cookie, 'x-real-ip': '10.0.0.1' }),
      post(pagePath, { studentName: '孙小杰', phoneDigits: '1010' }, { cookie, 'x-real-ip': '10.0.0.1' }),
    ]);
    const texts = [await first.text(), await second.text()];
    expect(texts.filter((t) => t.includes('已确认：孙小杰'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('已确认，无需重复'))).toHaveLength(1);
    const rows = await db.select().from(receipts).where(eq(receipts.campaignId, campaignId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'h5', relation: '父亲', personId: null });
  });

  it('echoes nothing unescaped', async () => {
    const response = await post(
      pagePath,
      { studentName: '<script>x</script>', phoneDigits: '1234' },
      { 'x-real-ip': '10.0.0.9' },
    );
    const html = await response.text();
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>x');
  });

  it('reads the same form sent as multipart (browsers that post FormData)', async () => {
    const form = new FormData();
    form.set('studentName', '<b>多部分</b>');
    form.set('phoneDigits', '1234');
    const response = await runtime.app.request(pagePath, {
      method: 'POST',
      headers: { 'x-real-ip': '10.0.0.8' },
      body: form,
    });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('value="&lt;b&gt;多部分&lt;/b&gt;"');
  });

  it('locks a device after five wrong answers, and an address after twenty across devices', async () => {
    const cookie = cookieOf(await get(pagePath));
    const ip = { 'x-real-ip': '10.0.0.2' };
    for (let i = 0; i < 5; i++)
      await post(pagePath, { studentName: '王一鸣', phoneDigits: `000${i}` }, { cookie, ...ip });
    const locked = await post(pagePath, { studentName: '王一鸣', phoneDigits: '3001' }, { cookie, ...ip });
    expect(await locked.text()).toContain('尝试次数过多');
    expect(await count()).toBe(1);

    const fresh = await post(pagePath, { studentName: '王一鸣', phoneDigits: '1021' }, ip);
    expect(await fresh.text()).toContain('已确认：王一鸣');
    expect(await count()).toBe(2);

    const crowd = { 'x-real-ip': '10.0.0.3' };
    for (let device = 0; device < 5; device++) {
      for (let i = 0; i < 4; i++)
        await post(pagePath, { studentName: '陈思远', phoneDigits: `99${device}${i}` }, crowd);
    }
    const afterTwenty = await post(pagePath, { studentName: '陈思远', phoneDigits: '1031' }, crowd);
    expect(await afterTwenty.text()).toContain('尝试次数过多');
    const elsewhere = await post(pagePath, { studentName: '陈思远', phoneDigits: '1031' }, { 'x-real-ip': '10.0.0.4' });
    expect(await elsewhere.text()).toContain('已确认：陈思远');
  });

  it('believes no address header it was not told to trust: inventing X-Real-IP escapes no limit', async () => {
    const direct = await createTestRuntime({ database, now: clock.now, seed: false });
    const submit = (digits: string, address: string) =>
      direct.app.request(pagePath, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-real-ip': address },
        body: new URLSearchParams({ studentName: '赵雨涵', phoneDigits: digits }).toString(),
      });
    for (let i = 0; i < 20; i++) await submit(`88${String(i).padStart(2, '0')}`, `192.0.2.${i}`);
    const afterTwenty = await submit('1051', '192.0.2.99');
    expect(await afterTwenty.text()).toContain('尝试次数过多');
    expect(await count()).toBe(3);
  });

  it('says the campaign has closed, and counts nothing, once it is closed', async () => {
    await db.update(campaigns).set({ status: 'closed' }).where(eq(campaigns.id, campaignId));
    const response = await post(pagePath, { studentName: '赵雨涵', phoneDigits: '1051' }, { 'x-real-ip': '10.0.0.5' });
    expect(response.status).toBe(410);
    expect(await response.text()).toContain('已于');
    await db.update(campaigns).set({ status: 'open' }).where(eq(campaigns.id, campaignId));
    expect(await count()).toBe(3);
  });

  it('sends a receipt button minted for a whole group to the receipt page', async () => {
    const link = runtime.links.actionUrl({
      platform: 'dingtalk',
      tenant: '',
      chatId: 'group-1',
      userId: '',
      value: confirm,
      label: '我已阅读并承诺',
      expiresAt: new Date('2026-06-30T15:59:59Z'),
    });
    const path = new URL(link).pathname;
    const opened = await get(path);
    expect(opened.status).toBe(302);
    expect(new URL(opened.headers.get('location')!).pathname).toMatch(/^\/h5\/receipt\//);
    expect((await runtime.app.request(path, { method: 'POST' })).status).toBe(303);
    const other = runtime.links.actionUrl({
      platform: 'dingtalk',
      tenant: '',
      chatId: 'group-1',
      userId: '',
      value: { flow: 'hazard', op: 'accept', id: 'x' },
      expiresAt: new Date('2026-06-30T15:59:59Z'),
    });
    expect((await get(new URL(other).pathname)).status).toBe(403);
  });

  it('serves progress to a signed dashboard token of the school or its district, nobody else', async () => {
    const school = (await findSchoolByCode(db, 'demo'))!;
    const until = new Date('2026-12-31T00:00:00Z');
    const tokenFor = (claims: Record<string, string>) =>
      runtime.links.url('/dashboard', claims, until).split('/').at(-1)!;
    const schoolToken = tokenFor({ scope: 'school', id: school.id, role: 'principal' });
    const one = await runtime.app.request(`/dashboard/api/receipts?campaign=${campaignId}&token=${schoolToken}`);
    expect(one.status).toBe(200);
    const body = (await one.json()) as {
      campaign: { title: string };
      progress: { studentCount: number; confirmedCount: number; classes: { className: string }[] };
    };
    expect(body.campaign.title).toBe('防溺水安全致家长的一封信');
    expect(body.progress).toMatchObject({ studentCount: 10, confirmedCount: 3 });
    expect(body.progress.classes.map((c) => c.className)).toEqual(['三年级(1)班']);
    expect(JSON.stringify(body)).not.toContain('孙小杰');

    const districtToken = tokenFor({ scope: 'district', id: school.districtId, role: 'bureau' });
    const list = await runtime.app.request('/dashboard/api/receipts', {
      headers: { authorization: `Bearer ${districtToken}` },
    });
    const listed = (await list.json()) as {
      campaigns: { id: string; confirmedCount: number }[];
      progress: { rate: number };
    };
    expect(listed.campaigns).toEqual([expect.objectContaining({ id: campaignId, confirmedCount: 3 })]);
    expect(listed.progress.rate).toBeCloseTo(0.3);

    const otherSchool = tokenFor({ scope: 'school', id: '00000000-0000-4000-8000-000000000000' });
    expect(
      (await runtime.app.request(`/dashboard/api/receipts?campaign=${campaignId}&token=${otherSchool}`)).status,
    ).toBe(404);
    expect((await runtime.app.request('/dashboard/api/receipts')).status).toBe(401);
    const [claims, mac] = schoolToken.split('.');
    const tampered = `${claims}.${mac![0] === 'A' ? 'B' : 'A'}${mac!.slice(1)}`;
    expect((await runtime.app.request(`/dashboard/api/receipts?token=${tampered}`)).status).toBe(401);
    const pageToken = pagePath.split('/').at(-1)!;
    expect((await runtime.app.request(`/dashboard/api/receipts?token=${pageToken}`)).status).toBe(401);
  });
});
