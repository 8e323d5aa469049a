import type { HazardReplies, HazardReplyKey } from '../../../bot-flows/hazard-replies.js';

export type ReplyVars = Record<string, string | number>;

/** Fills `{name}` placeholders; an unknown placeholder is left empty rather than shown raw. */
export function fill(template: string, vars: ReplyVars = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => String(vars[name] ?? ''));
}

export function say(replies: HazardReplies, key: HazardReplyKey, vars?: ReplyVars): string {
  return fill(replies[key], vars);
}
