import { type Context, Hono } from 'hono';
import { findCampaign } from '../../db/repos/receipts.js';
import { campaignClassCounts, campaignsOfSchools, schoolsOfDistrict } from '../../db/repos/receipts-progress.js';
import type { Db } from '../../db/types.js';
import { rollupReceipts } from '../../domain/receipts/stats.js';
import type { SignedLinks } from '../signed-links.js';

/**
 * GET /dashboard/api/receipts — receipt completion for the dashboard, class → school → district.
 * Authorised by a signed dashboard token (links.url('/dashboard', { scope, id }, expiresAt)), passed as
 * `Authorization: Bearer <token>` or `?token=`: scope 'school' sees its school, 'district' every school of
 * the district. A campaign outside the scope is answered as not found.
 *
 *   ?campaign=<id>  → { campaign, progress: SchoolProgress }
 *   (none)          → { scope, campaigns: [campaign + totals], progress: DistrictProgress of each school's
 *                      current campaign of `letter` (default: the newest campaign's letter) }
 */

export interface DashboardScope {
  scope: 'school' | 'district';
  id: string;
}

export function dashboardScope(links: SignedLinks, token: string, now: Date): DashboardScope | null {
  const verified = links.verify(token, now);
  if (!verified.ok) return null;
  const { scope, id } = verified.claims;
  if ((scope !== 'school' && scope !== 'district') || typeof id !== 'string' || !id) return null;
  return { scope, id };
}

function tokenOf(c: Context): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return bearer?.[1] ?? c.req.query('token') ?? '';
}

const current = <C extends { status: string; deadline: Date }>(list: C[], now: Date) =>
  list.find((c) => c.status === 'open' && c.deadline.getTime() > now.getTime()) ?? list[0];

export function receiptsApiRoutes(deps: { db: Db; links: SignedLinks; now: () => Date }): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const now = deps.now();
    const scope = dashboardScope(deps.links, tokenOf(c), now);
    if (!scope) return c.json({ error: '看板令牌无效或已过期' }, 401);
    const schoolIds = scope.scope === 'school' ? [scope.id] : await schoolsOfDistrict(deps.db, scope.id);

    const campaignId = c.req.query('campaign');
    if (campaignId) {
      const campaign = await findCampaign(deps.db, campaignId);
      if (!campaign || !schoolIds.includes(campaign.schoolId)) return c.json({ error: '找不到这个回执活动' }, 404);
      const progress = rollupReceipts(await campaignClassCounts(deps.db, [campaign.id])).schools[0] ?? null;
      const { timezone: _timezone, ...summary } = campaign;
      return c.json({ campaign: summary, progress });
    }

    const campaigns = await campaignsOfSchools(deps.db, schoolIds);
    const counts = await campaignClassCounts(
      deps.db,
      campaigns.map((campaign) => campaign.id),
    );
    const totals = new Map<string, { studentCount: number; confirmedCount: number }>();
    for (const row of counts) {
      const total = totals.get(row.campaignId) ?? { studentCount: 0, confirmedCount: 0 };
      total.studentCount += row.studentCount;
      total.confirmedCount += Math.min(row.confirmedCount, row.studentCount);
      totals.set(row.campaignId, total);
    }
    const letter = c.req.query('letter') ?? campaigns[0]?.letter;
    const bySchool = new Map<string, typeof campaigns>();
    for (const campaign of campaigns.filter((item) => item.letter === letter)) {
      bySchool.set(campaign.schoolId, [...(bySchool.get(campaign.schoolId) ?? []), campaign]);
    }
    const chosen = new Set([...bySchool.values()].map((list) => current(list, now)!.id));
    return c.json({
      scope,
      campaigns: campaigns.map((campaign) => {
        const total = totals.get(campaign.id) ?? { studentCount: 0, confirmedCount: 0 };
        return {
          ...campaign,
          ...total,
          rate: total.studentCount === 0 ? 0 : total.confirmedCount / total.studentCount,
        };
      }),
      letter: letter ?? null,
      progress: rollupReceipts(counts.filter((row) => chosen.has(row.campaignId))),
    });
  });

  return app;
}
