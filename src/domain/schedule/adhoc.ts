/**
 * Who an ad-hoc reminder (提醒 …) goes to, stored as JSON text in adhoc_reminders.audience: the chat it
 * was set in, or the people it named (@张三), privately.
 */
import { z } from 'zod';

export const adhocAudienceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('chat'),
    platform: z.string().min(1),
    tenant: z.string(),
    chatId: z.string().min(1),
  }),
  z.strictObject({ kind: z.literal('people'), ids: z.array(z.string().min(1)).min(1) }),
]);

export type AdhocAudience = z.output<typeof adhocAudienceSchema>;

export function encodeAdhocAudience(audience: AdhocAudience): string {
  return JSON.stringify(audience);
}

/** The stored audience, or null when the text is not one (an old or hand-edited row). */
export function decodeAdhocAudience(text: string): AdhocAudience | null {
  try {
    const parsed = adhocAudienceSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A reminder this late is dropped rather than sent ("检查灭火器" a day late helps nobody). */
export const ADHOC_STALE_MS = 12 * 3_600_000;
