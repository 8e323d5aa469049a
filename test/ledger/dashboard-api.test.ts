import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { dashboardUrl, tokenOfUrl } from '../../src/http/routes/dashboard-scope.js';
import { createTestDb } from '../helpers/db.js';
import { call, createTestRuntime, TEST_SECRET, testClock } from '../helpers/runtime.js';
import { at, seedLedger } from './seed.js';

type Json = Record<string, unknown> & { error?: string };
type LedgerBody = Json & { hazards: { code: string; description: string; overdue: boolean }[] };

describe('dashboard API', async () => {
  const database = await createTestDb();
  const clock = testClock(at('2026-11-23T10:00:00'));
  const runtime = await createTestRuntime({ database, now: clock.now });
  const seeded = await seedLedger(database.db);
  afterAll(() => database.close());

  const inAMonth = at('2026-12-23T10:00:00');
  const token = (scope: 'school' | 'district', id: string, expiresAt = inAMonth) =>
    tokenOfUrl(
      dashboardUrl(runtime.links, { scope, id, role: scope === 'school' ? 'principal' : 'bureau' }, expiresAt),
    );
  const schoolA = token('school', seeded.schoolA);
  const schoolC = token('school', seeded.schoolC);
  const district = token('district', seeded.districtId);

  it('shows a school link its own ledger only, whatever the query asks for', async () => {
    const response = await call<LedgerBody>(runtime, 'GET', `/dashboard/api/ledger?token=${schoolA}&school=other-c`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ scope: 'school', school: { code: 'ledger-a', name: '测试一中' }, count: 5 });
    expect(response.body.hazards.map((hazard) => hazard.code)).toEqual([
      'YH-2026-0001',
      'YH-2026-0002',
      'YH-2026-0003',
      'YH-2026-0004',
      'YH-2026-0005',
    ]);
    expect(JSON.stringify(response.body)).not.toContain('别区学校的隐患');
    const second = response.body.hazards[1] as unknown as Json;
    expect(second).toMatchObject({
      statusLabel: '整改中',
      levelLabel: '重大隐患',
      categoryLabel: '设施设备与校园运行',
      owner: '刘师傅',
      overdue: true,
    });

    const other = await call<LedgerBody>(runtime, 'GET', `/dashboard/api/ledger?token=${schoolC}`);
    expect(other.body.hazards.map((hazard) => hazard.description)).toEqual(['别区学校的隐患']);
  });

  it('accepts the token as a Bearer header and filters by date and level', async () => {
    const response = await runtime.app.request('/dashboard/api/ledger?from=2026-10-01&to=2026-10-31&level=major', {
      headers: { authorization: `Bearer ${schoolA}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as LedgerBody;
    expect(body.hazards.map((hazard) => hazard.code)).toEqual(['YH-2026-0002']);
  });

  it('gives a district link every school of its district, one row per school, and no other district', async () => {
    const ledger = await call<Json & { schools: { school: { code: string }; count: number }[] }>(
      runtime,
      'GET',
      `/dashboard/api/ledger?token=${district}`,
    );
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({ scope: 'district', district: { code: 'ledger-d' } });
    expect(ledger.body.schools.map((entry) => [entry.school.code, entry.count])).toEqual([
      ['ledger-a', 5],
      ['ledger-b', 1],
    ]);
    expect(JSON.stringify(ledger.body)).not.toContain('别区学校的隐患');

    const monthly = await call<Json & { totals: Json; schools: { school: { code: string }; summary: Json }[] }>(
      runtime,
      'GET',
      `/dashboard/api/monthly?month=2026-10&token=${district}`,
    );
    expect(monthly.status).toBe(200);
    expect(monthly.body.totals).toMatchObject({
      carriedOver: 1,
      added: 5,
      closed: 2,
      dismissed: 1,
      open: 3,
      overdue: 1,
    });
    expect(monthly.body.totals.closureRate).toBeCloseTo(2 / 6);
    expect(monthly.body.schools.map((entry) => [entry.school.code, entry.summary.added])).toEqual([
      ['ledger-a', 4],
      ['ledger-b', 1],
    ]);

    const stats = await call<Json & { totals: Json }>(
      runtime,
      'GET',
      `/dashboard/api/stats?from=2026-10-01&to=2026-10-31&token=${district}`,
    );
    expect(stats.body.totals).toMatchObject({ found: 5, dismissed: 1, fixed: 1, closed: 1, outstanding: 3 });
  });

  it('answers a school link with its month summary and Chinese text', async () => {
    const response = await call<Json & { summary: Json; text: string }>(
      runtime,
      'GET',
      `/dashboard/api/monthly?month=2026-10&token=${schoolA}`,
    );
    expect(response.body.summary).toMatchObject({ carriedOver: 1, added: 4, closed: 1, open: 3, overdue: 1 });
    expect(response.body.text).toContain('销号率 20.0%');
    const current = await call<Json & { month: string; summary: Json }>(
      runtime,
      'GET',
      `/dashboard/api/monthly?token=${schoolA}`,
    );
    expect(current.body).toMatchObject({ month: '2026-11', summary: { carriedOver: 3, closed: 1, complete: false } });
  });

  it('refuses missing, forged and expired tokens in Chinese', async () => {
    const missing = await call<Json>(runtime, 'GET', '/dashboard/api/ledger');
    expect(missing.status).toBe(401);
    expect(missing.body.error).toContain('缺少访问令牌');

    const [payload, signature] = schoolA.split('.');
    const forgedClaims = Buffer.from(
      JSON.stringify({ scope: 'school', id: seeded.schoolC, role: 'principal', exp: 1_900_000_000 }),
    ).toString('base64url');
    for (const forged of [`${forgedClaims}.${signature}`, `${payload}.${'A'.repeat(signature!.length)}`]) {
      const response = await call<Json>(runtime, 'GET', `/dashboard/api/ledger?token=${forged}`);
      expect(response.status).toBe(403);
      expect(response.body.error).toContain('看板链接无效');
    }

    const expired = token('school', seeded.schoolA, at('2026-11-01T00:00:00'));
    const response = await call<Json>(runtime, 'GET', `/dashboard/api/monthly?token=${expired}`);
    expect(response.status).toBe(401);
    expect(response.body.error).toContain('已过期');

    const actionLink = tokenOfUrl(runtime.links.url('/h5/act', { p: 'sandbox' }, inAMonth));
    expect((await call<Json>(runtime, 'GET', `/dashboard/api/ledger?token=${actionLink}`)).status).toBe(403);
  });

  it('refuses bad parameters with 400 and a Chinese reason', async () => {
    const cases: [string, string][] = [
      [`/dashboard/api/monthly?month=2026-13&token=${schoolA}`, 'month 应为 YYYY-MM'],
      [`/dashboard/api/monthly?month=2027-01&token=${schoolA}`, '还没有开始'],
      [`/dashboard/api/stats?from=2026-10-01&token=${schoolA}`, '请用 from 和 to'],
      [`/dashboard/api/stats?from=2026-10-31&to=2026-10-01&token=${schoolA}`, '晚于结束日期'],
      [`/dashboard/api/ledger?level=huge&token=${schoolA}`, 'level 应为'],
    ];
    for (const [path, reason] of cases) {
      const response = await call<Json>(runtime, 'GET', path);
      expect(response.status, path).toBe(400);
      expect(response.body.error).toContain(reason);
    }
  });

  it('mints a working link with xiaoan dashboard link, and serves the page it points to', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
      stdin: process.stdin,
      stdout: process.stdout,
      isTty: false,
    };
    const env = {
      XIAOAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'xiaoan-dashboard-')),
      XIAOAN_SECRET: TEST_SECRET,
      XIAOAN_PUBLIC_URL: 'http://127.0.0.1:8787',
    };
    expect(await runCli(['dashboard', 'link', '--district', 'ledger-d', '--days', '7'], io, env, { database })).toBe(0);
    const url = out[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/dashboard\/[\w-]+\.[\w-]+$/);
    expect(out.join('\n')).toContain('范围：测试区教育局；有效期 7 天');
    const page = await call<string>(runtime, 'GET', new URL(url).pathname);
    expect(page.status).toBe(200);
    expect(page.body).toContain('测试区教育局 · 隐患看板');
    expect(page.body).toContain('测试二小');
    const api = await call<Json>(runtime, 'GET', `/dashboard/api/ledger?token=${tokenOfUrl(url)}`);
    expect(api.body).toMatchObject({ scope: 'district', district: { code: 'ledger-d' } });

    const misuse = [
      [['dashboard', 'link'], '二选一'],
      [['dashboard', 'link', '--school', 'ledger-a', '--district', 'ledger-d'], '二选一'],
      [['dashboard', 'link', '--school', 'nope'], '找不到学校代码「nope」'],
      [['dashboard', 'link', '--district', 'nope'], '找不到区县代码「nope」'],
      [['dashboard', 'link', '--school', 'ledger-a', '--days', '0'], '--days 应为 1 到 366'],
    ] as const;
    for (const [argv, reason] of misuse) {
      err.length = 0;
      expect(await runCli([...argv], io, env, { database }), argv.join(' ')).toBe(2);
      expect(err.join('\n')).toContain(reason);
    }
  });

  it('serves the page only at one segment after /dashboard/: unknown API paths and deeper paths are 404', async () => {
    for (const path of ['/dashboard/api/nothing', `/dashboard/${schoolA}/more`, '/dashboard/', '/dashboard']) {
      const response = await call<Json>(runtime, 'GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body.error, path).toBe('未找到');
    }
    const page = await call<string>(runtime, 'GET', `/dashboard/${schoolA}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('测试一中 · 隐患看板');
  });

  it('shows an invalid link page in Chinese', async () => {
    const page = await call<string>(runtime, 'GET', '/dashboard/not-a-token');
    expect(page.status).toBe(403);
    expect(page.body).toContain('看板链接无效');
  });
});
