import type { LinkClaims, SignedLinks } from '../signed-links.js';

/**
 * Who a dashboard link is for: one school, or a district bureau that sees all its schools. The scope
 * travels as signed claims `{ scope, id, role }` (id = the school's or district's uuid).
 */
export type DashboardScope = { scope: 'school' | 'district'; id: string; role: string };

export const DASHBOARD_PATH = '/dashboard';

export function dashboardUrl(links: SignedLinks, scope: DashboardScope, expiresAt: Date): string {
  return links.url(DASHBOARD_PATH, { scope: scope.scope, id: scope.id, role: scope.role }, expiresAt);
}

/** The token is the last path segment of a dashboard URL. */
export function tokenOfUrl(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

export function scopeOfClaims(claims: LinkClaims): DashboardScope | null {
  const { scope, id, role } = claims;
  if ((scope !== 'school' && scope !== 'district') || typeof id !== 'string' || id === '') return null;
  return { scope, id, role: typeof role === 'string' ? role : '' };
}
