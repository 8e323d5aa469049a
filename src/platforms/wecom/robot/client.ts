import { type SendFailure, failureFromErrcode } from '../errcode.js';
import { callWecom } from '../http.js';
import type { TemplateCard } from '../render.js';

export type RobotMessage =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[] } }
  | { msgtype: 'template_card'; template_card: TemplateCard };

/** Going over 20/min blocks the robot; reports say for about 10 minutes (wecom.md §3.5). */
export const ROBOT_BLOCK_MS = 10 * 60_000;

/** POST /cgi-bin/webhook/send?key=… — the key is the credential, so the URL is never logged. */
export async function sendRobotMessage(
  fetchFn: typeof fetch,
  baseUrl: string,
  key: string,
  message: RobotMessage,
): Promise<{ ok: true } | SendFailure> {
  const url = `${baseUrl.replace(/\/+$/, '')}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
  const result = await callWecom(fetchFn, url, message);
  if (!result.ok) return result;
  const { errcode, errmsg } = result.envelope;
  return errcode === 0 ? { ok: true } : failureFromErrcode(errcode, errmsg, { freqLimitRetryMs: ROBOT_BLOCK_MS });
}
