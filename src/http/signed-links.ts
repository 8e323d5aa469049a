import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ActionValue } from '../model/card.js';
import type { Platform } from '../model/platform.js';

export type LinkClaims = Record<string, string | number | boolean | null>;

export interface ActionLinkInput {
  platform: Platform;
  tenant: string;
  chatId: string;
  /** The platform user the action is performed as; links are minted per intended actor. */
  userId: string;
  messageId?: string;
  value: ActionValue;
  /** The button's label, shown on the confirmation page. */
  label?: string;
  expiresAt: Date;
}

/** What an action link carries, decoded. */
export interface ActionLinkClaims {
  platform: string;
  tenant: string;
  chatId: string;
  userId: string;
  messageId: string | null;
  value: ActionValue;
  label: string | null;
}

export interface SignedLinks {
  /** An HMAC-signed, expiring URL under XIAOAN_PUBLIC_URL: `<base><path>/<token>`. */
  url(path: string, claims: LinkClaims, expiresAt: Date): string;
  /** A link that replays a card button as an action event (platforms without card callbacks). */
  actionUrl(input: ActionLinkInput): string;
  /** Decodes an action link's claims (after verify). */
  actionClaims(claims: LinkClaims): ActionLinkClaims | null;
  /** The claims of a token this service signed, or why it is refused. */
  verify(
    token: string,
    now: Date,
  ): { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** 128-bit MACs keep links short enough for DingTalk's 500-character button URLs. */
const MAC_BYTES = 16;

export function createSignedLinks(secret: string, publicUrl: string): SignedLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);

  const token = (claims: LinkClaims, expiresAt: Date) => {
    const payload = base64url(JSON.stringify({ ...claims, exp: Math.floor(expiresAt.getTime() / 1000) }));
    return `${payload}.${base64url(mac(payload))}`;
  };

  return {
    url: (path, claims, expiresAt) => `${base}${path}/${token(claims, expiresAt)}`,
    actionUrl: ({ platform, tenant, chatId, userId, messageId, value, label, expiresAt }) =>
      `${base}/h5/act/${token(
        {
          p: platform,
          t: tenant,
          c: chatId,
          u: userId,
          ...(messageId ? { m: messageId } : {}),
          ...(label ? { l: label } : {}),
          v: JSON.stringify(value),
        },
        expiresAt,
      )}`,
    actionClaims(claims) {
      if (typeof claims.p !== 'string' || typeof claims.v !== 'string') return null;
      let value: ActionValue;
      try {
        value = JSON.parse(claims.v) as ActionValue;
      } catch {
        return null;
      }
      if (typeof value?.flow !== 'string' || typeof value.op !== 'string') return null;
      return {
        platform: claims.p,
        tenant: String(claims.t ?? ''),
        chatId: String(claims.c ?? ''),
        userId: String(claims.u ?? ''),
        messageId: typeof claims.m === 'string' ? claims.m : null,
        value,
        label: typeof claims.l === 'string' ? claims.l : null,
      };
    },
    verify(tokenText, now) {
      const [payload, signature, extra] = tokenText.split('.');
      if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
      // The last base64url character has bits no byte uses: only the canonical spelling is this token, or one
      // link would have several texts (and an action link, keyed by its text, several dedupe keys).
      if (given.toString('base64url') !== signature) return { ok: false, reason: 'forged' };
      let claims: LinkClaims;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (typeof claims.exp !== 'number' || claims.exp * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    },
  };
}
