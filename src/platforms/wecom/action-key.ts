import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import type { ActionValue } from '../../model/card.js';

/** button_list[].key and submit_button.key: "最长支持 1024 字节" (Doc path/101032, SDK typings). */
export const BUTTON_KEY_MAX_BYTES = 1024;
/** task_id: ≤ 128 bytes of [0-9a-zA-Z_-@], unique per app / bot. */
export const TASK_ID_MAX_BYTES = 128;

const actionValueSchema = z
  .object({ flow: z.string().min(1), op: z.string().min(1) })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));

/**
 * The button key is the ActionValue itself as compact JSON, so a click carries everything the flow needs and no
 * server-side map is required. Returns null when it does not fit the 1024-byte limit (the caller degrades the
 * button to a signed link).
 */
export function encodeActionKey(value: ActionValue): string | null {
  const key = JSON.stringify(value);
  return Buffer.byteLength(key, 'utf8') <= BUTTON_KEY_MAX_BYTES ? key : null;
}

/** The ActionValue behind a clicked key, or null when the key is not one of ours. */
export function decodeActionKey(key: string): ActionValue | null {
  if (!key.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    return null;
  }
  const result = actionValueSchema.safeParse(parsed);
  return result.success ? (result.data as ActionValue) : null;
}

/**
 * A task_id for the card of one outbox delivery: stable across retries (so WeCom's duplicate check and the card
 * update both see the same id), within the allowed alphabet and length whatever the idempotency key looks like.
 */
export function taskIdFor(idempotencyKey: string): string {
  return `xa_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}

export function isValidTaskId(taskId: string): boolean {
  return /^[0-9a-zA-Z_\-@]+$/.test(taskId) && taskId.length <= TASK_ID_MAX_BYTES;
}
