import type { LinkClaims, SignedLinks } from '../../http/signed-links.js';

/**
 * The receipt page link: HMAC-signed, scoped to one campaign and one class, expiring at the deadline.
 * Posted with every letter card, so any parent of the class — on any platform — can read and confirm.
 */

export const RECEIPT_PAGE_PATH = '/h5/receipt';

export function receiptPageUrl(links: SignedLinks, campaignId: string, classId: string, expiresAt: Date): string {
  return links.url(RECEIPT_PAGE_PATH, { cp: campaignId, cl: classId }, expiresAt);
}

export function receiptPageClaims(claims: LinkClaims): { campaignId: string; classId: string } | null {
  const { cp, cl } = claims;
  return typeof cp === 'string' && typeof cl === 'string' && cp && cl ? { campaignId: cp, classId: cl } : null;
}
