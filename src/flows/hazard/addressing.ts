import type { FlowContext } from '../types.js';

export interface Addressing {
  /** The person spoke to the bot: a mention, a direct chat, or a report tag. */
  explicit: boolean;
  /** Explicit, or the chat hands the bot every message (listenAll). */
  addressed: boolean;
  tagged: boolean;
  /** The message text without the report tags. */
  text: string;
}

export function addressingOf(ctx: FlowContext, tags: readonly string[]): Addressing {
  const tagged = tags.some((tag) => ctx.text.includes(tag));
  const text = tagged
    ? tags
        .reduce((rest, tag) => rest.split(tag).join(' '), ctx.text)
        .replace(/\s+/g, ' ')
        .trim()
    : ctx.text;
  const explicit = ctx.event.mentionsBot || ctx.event.chat.type === 'direct' || tagged;
  return { explicit, addressed: explicit || ctx.chat?.listenAll === true, tagged, text };
}
