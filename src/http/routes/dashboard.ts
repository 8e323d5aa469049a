import type { Context } from 'hono';
import { Hono } from 'hono';
import { isIsoDate } from '../../domain/calendar/civil-date.js';
import { formatRate } from '../../domain/ledger/labels.js';
import { isYearMonth, monthOfInstant, monthPeriod } from '../../domain/ledger/period.js';
import { HAZARD_LEVELS, type HazardLevel } from '../../domain/hazard/types.js';
import {
  findLedgerDistrictById,
  findLedgerSchoolById,
  type LedgerSchool,
  schoolsOfDistrict,
} from '../../db/repos/ledger-scope.js';
import type { Db } from '../../db/types.js';
import { escapeHtml, h5Page } from '../h5/layout.js';
import type { SignedLinks } from '../signed-links.js';
import { ledgerOf, monthlyOf, statsOf } from './dashboard-data.js';
import { DASHBOARD_PATH, type DashboardScope, scopeOfClaims } from './dashboard-scope.js';

export interface DashboardDeps {
  db: Db;
  links: SignedLinks;
  now: () => Date;
  /** The service's zone: picks the current month for a district whose schools differ. */
  timezone: string;
}

/** Who the caller is, resolved from the signed token: the schools they may see. */
interface Viewer {
  scope: DashboardScope;
  /** The school or the district the link names. */
  subject: { code: string; name: string };
  schools: LedgerSchool[];
}

type Failure = { status: 400 | 401 | 403 | 404; error: string };

function tokenOf(c: Context): string | null {
  const query = c.req.query('token');
  if (query) return query;
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1] ?? null;
}

/** /dashboard/<token>: exactly one segment after the dashboard's path; anything else is no page. */
function pageTokenOf(path: string): string | null {
  const token = path.startsWith(`${DASHBOARD_PATH}/`) ? path.slice(DASHBOARD_PATH.length + 1) : '';
  return token !== '' && !token.includes('/') ? token : null;
}

async function viewerOf(deps: DashboardDeps, token: string | null): Promise<Viewer | Failure> {
  if (!token)
    return { status: 401, error: '缺少访问令牌：请使用看板链接，或带上 ?token= 或 Authorization: Bearer 请求头' };
  const verified = deps.links.verify(token, deps.now());
  if (!verified.ok) {
    return verified.reason === 'expired'
      ? { status: 401, error: '看板链接已过期，请向管理员重新获取' }
      : { status: 403, error: '看板链接无效（签名不符或已被篡改）' };
  }
  const scope = scopeOfClaims(verified.claims);
  if (!scope) return { status: 403, error: '该链接不是看板链接' };
  if (scope.scope === 'school') {
    const school = await findLedgerSchoolById(deps.db, scope.id);
    if (!school) return { status: 404, error: '链接对应的学校不存在' };
    return { scope, subject: { code: school.code, name: school.name }, schools: [school] };
  }
  const district = await findLedgerDistrictById(deps.db, scope.id);
  if (!district) return { status: 404, error: '链接对应的区县不存在' };
  return {
    scope,
    subject: { code: district.code, name: district.name },
    schools: await schoolsOfDistrict(deps.db, district.id),
  };
}

const isFailure = (value: Viewer | Failure): value is Failure => 'error' in value;

function dateParams(c: Context, required: boolean): { from?: string; to?: string } | Failure {
  const from = c.req.query('from') || undefined;
  const to = c.req.query('to') || undefined;
  if (required && (!from || !to)) return { status: 400, error: '请用 from 和 to 指定统计期（YYYY-MM-DD）' };
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value && !isIsoDate(value))
      return { status: 400, error: `${name} 应为 YYYY-MM-DD 格式的日期，收到「${value}」` };
  }
  if (from && to && from > to) return { status: 400, error: `开始日期 ${from} 晚于结束日期 ${to}` };
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** The scope part of every answer: a school link answers about its school, a bureau link about its district. */
function scopePart(viewer: Viewer) {
  return viewer.scope.scope === 'school'
    ? { scope: 'school' as const, school: viewer.subject }
    : { scope: 'district' as const, district: viewer.subject };
}

/**
 * Dashboard: JSON API under /dashboard/api/* (ledger, monthly, stats) and a small page at
 * /dashboard/<token>, the URL `xiaoan dashboard link` prints. The token alone decides what is visible.
 */
export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono();

  /** Each API handler authorises itself: no wildcard middleware, so other /dashboard/api routes stay untouched. */
  const api = (handler: (c: Context, viewer: Viewer) => Promise<Response>) => async (c: Context) => {
    const viewer = await viewerOf(deps, tokenOf(c));
    if (isFailure(viewer)) return c.json({ error: viewer.error }, viewer.status);
    return handler(c, viewer);
  };

  app.get(
    '/api/ledger',
    api(async (c, viewer) => {
      const range = dateParams(c, false);
      if ('error' in range) return c.json({ error: range.error }, range.status);
      const level = c.req.query('level') || undefined;
      if (level && !(HAZARD_LEVELS as readonly string[]).includes(level)) {
        return c.json({ error: `level 应为 ${HAZARD_LEVELS.join(' 或 ')}，收到「${level}」` }, 400);
      }
      const filter = { ...range, ...(level ? { level: level as HazardLevel } : {}) };
      const perSchool = await ledgerOf(deps.db, viewer.schools, filter, deps.now());
      if (viewer.scope.scope === 'school') return c.json({ ...scopePart(viewer), ...filter, ...perSchool[0]! });
      return c.json({ ...scopePart(viewer), ...filter, schools: perSchool });
    }),
  );

  app.get(
    '/api/monthly',
    api(async (c, viewer) => {
      const now = deps.now();
      const zone = viewer.scope.scope === 'school' ? viewer.schools[0]!.timezone : deps.timezone;
      const month = c.req.query('month') || monthOfInstant(now, zone);
      if (!isYearMonth(month))
        return c.json({ error: `month 应为 YYYY-MM 格式的月份（如 2026-11），收到「${month}」` }, 400);
      if (monthPeriod(month, zone).start.getTime() > now.getTime()) {
        return c.json({ error: `${month} 还没有开始` }, 400);
      }
      const { schools, combined } = await monthlyOf(deps.db, viewer.schools, month, now);
      if (viewer.scope.scope === 'school') return c.json({ ...scopePart(viewer), month, ...schools[0]! });
      return c.json({ ...scopePart(viewer), month, ...combined, schools });
    }),
  );

  app.get(
    '/api/stats',
    api(async (c, viewer) => {
      const range = dateParams(c, true);
      if ('error' in range) return c.json({ error: range.error }, range.status);
      const span = { from: range.from!, to: range.to! };
      const { schools, combined } = await statsOf(deps.db, viewer.schools, span, deps.now());
      if (viewer.scope.scope === 'school') return c.json({ ...scopePart(viewer), ...span, ...schools[0]! });
      return c.json({ ...scopePart(viewer), ...span, ...combined, schools });
    }),
  );

  // The page is this app's one wildcard route rather than '/:token': a parameter beside the static /api/…
  // paths is a shape Hono's RegExpRouter refuses, and the service's app is built on that router (app.ts).
  app.get('/*', async (c) => {
    const token = pageTokenOf(c.req.path);
    if (token === null) return c.notFound();
    const viewer = await viewerOf(deps, token);
    if (isFailure(viewer)) {
      return c.html(
        h5Page('校安看板', `<h1>校安看板</h1><div class="panel warn">${escapeHtml(viewer.error)}</div>`),
        viewer.status,
      );
    }
    const now = deps.now();
    const month = monthOfInstant(now, viewer.schools[0]?.timezone ?? deps.timezone);
    const { schools, combined } = await monthlyOf(deps.db, viewer.schools, month, now);
    const rows = schools
      .map(
        ({ school, summary }) =>
          `<tr><td>${escapeHtml(school.name)}</td><td>${summary.added}</td><td>${summary.carriedOver}</td>` +
          `<td>${summary.closed}</td><td>${summary.open}</td><td>${summary.overdue}</td>` +
          `<td>${formatRate(summary.closureRate)}</td></tr>`,
      )
      .join('');
    const api = (path: string) => `api/${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    const body = `<h1>${escapeHtml(viewer.subject.name)} · 隐患看板</h1>
<div class="panel"><p>${escapeHtml(month)} 月报（本月数据截至现在），销号率 ${formatRate(combined.totals.closureRate)}</p>
<table><tr><th>学校</th><th>新增</th><th>结转</th><th>销号</th><th>未销号</th><th>逾期</th><th>销号率</th></tr>${rows}</table></div>
<div class="panel muted">数据接口（JSON）：<a href="${escapeHtml(api('ledger'))}">台账</a> ·
<a href="${escapeHtml(api(`monthly?month=${month}`))}">月报</a></div>`;
    return c.html(h5Page(`${viewer.subject.name} · 隐患看板`, body));
  });

  return app;
}
