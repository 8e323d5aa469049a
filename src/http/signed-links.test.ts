import { describe, expect, it } from 'vitest';
import { createSignedLinks } from './signed-links.js';

const links = createSignedLinks('k'.repeat(32), 'https://xiaoan.example.edu.cn/');
const now = new Date('2026-11-23T08:00:00Z');
const later = new Date('2026-11-24T08:00:00Z');

const tokenOf = (url: string) => url.split('/').at(-1)!;

describe('signed links', () => {
  it('signs scoped claims under the public URL and verifies them', () => {
    const url = links.url('/h5/receipt', { campaign: 'c1', class: 'k1' }, later);
    expect(url.startsWith('https://xiaoan.example.edu.cn/h5/receipt/')).toBe(true);
    const verified = links.verify(tokenOf(url), now);
    expect(verified).toEqual({ ok: true, claims: { campaign: 'c1', class: 'k1', exp: later.getTime() / 1000 } });
  });

  it('refuses a token whose claims were changed', () => {
    const [payload, signature] = tokenOf(links.url('/h5/receipt', { campaign: 'c1' }, later)).split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), campaign: 'c2' }),
    ).toString('base64url');
    expect(links.verify(`${forgedPayload}.${signature}`, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses another spelling of the same signature, so one link has one text', () => {
    const [payload, signature] = tokenOf(links.url('/h5/receipt', { campaign: 'c1' }, later)).split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature!.at(-1)!);
    const respelled = `${signature!.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(signature!, 'base64url'));
    expect(links.verify(`${payload}.${respelled}`, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a token signed with another secret, an expired one and garbage', () => {
    const other = createSignedLinks('x'.repeat(32), 'https://a');
    expect(links.verify(tokenOf(other.url('/p', { a: 1 }, later)), now).ok).toBe(false);
    expect(links.verify(tokenOf(links.url('/p', { a: 1 }, now)), later)).toEqual({ ok: false, reason: 'expired' });
    expect(links.verify('garbage', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(links.verify('a.b.c', now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('mints per-actor action links that carry the button value', () => {
    const url = links.actionUrl({
      platform: 'dingtalk',
      tenant: 'ding1',
      chatId: 'cid1',
      userId: 'staff1',
      value: { flow: 'hazard', op: 'confirm', draft: 'd1' },
      expiresAt: later,
    });
    expect(url).toContain('/h5/act/');
    const verified = links.verify(tokenOf(url), now);
    const claims = verified.ok ? links.actionClaims(verified.claims) : null;
    expect(claims?.value).toEqual({ flow: 'hazard', op: 'confirm', draft: 'd1' });
    expect(claims?.userId).toBe('staff1');
    expect(claims?.chatId).toBe('cid1');
    expect(url.length).toBeLessThan(300);
  });
});
