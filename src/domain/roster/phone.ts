import { createHmac } from 'node:crypto';

/**
 * Guardian phone numbers are personal data: the database keeps only an HMAC of the full number (to
 * recognise the same guardian on re-import and across siblings) and the last four digits (for the binding
 * check and masked display). The HMAC key is the service secret, passed in by the caller.
 */

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** 11-digit mainland mobile number, or null. Accepts spaces, dashes, dots, brackets, +86 / 0086 / 86. */
export function normalisePhone(raw: string): string | null {
  let digits = raw
    .normalize('NFKC')
    .trim()
    .replace(/^'/, '')
    .replace(/\.0+$/, '')
    .replace(/[\s\-().]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

function requireMobile(phone: string): string {
  const normalised = normalisePhone(phone);
  if (!normalised) throw new Error('not a mainland mobile number');
  return normalised;
}

/** HMAC-SHA256 (hex) of the normalised number: the same number in any spelling hashes the same. */
export function hashPhone(phone: string, salt: string): string {
  if (!salt) throw new Error('hashPhone needs a non-empty salt (the service secret)');
  return createHmac('sha256', salt).update(requireMobile(phone)).digest('hex');
}

/** The last four digits of a valid number; throws on anything else. */
export function last4(phone: string): string {
  return requireMobile(phone).slice(-4);
}

/** "****1234" from a full number or from the stored last four digits; never more than four digits. */
export function maskPhone(phoneOrLast4: string): string {
  const value = phoneOrLast4.normalize('NFKC').trim();
  if (/^\d{4}$/.test(value)) return `****${value}`;
  const normalised = normalisePhone(value);
  return normalised ? `****${normalised.slice(-4)}` : '****';
}
