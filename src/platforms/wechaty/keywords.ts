import type { ActionValue } from '../../model/card.js';

/**
 * Replies that confirm a receipt where no card can be shown (WeChat groups through Wechaty). The first is the
 * one the bot suggests; the rest are what parents commonly type instead.
 */
export const RECEIPT_KEYWORDS = ['确认', '已确认', '我已阅读并承诺', '收到'] as const;

export const RECEIPT_KEYWORD_ACTION: ActionValue = { flow: 'receipt', op: 'confirm_keyword' };

/** Trailing punctuation and spaces people add to a one-word reply ("确认！", "收到。"). */
const DECORATION = /[\s。.!！~～、,，]+$/u;

/** The keyword a whole message amounts to, or undefined when it says anything more. */
export function matchReceiptKeyword(text: string): string | undefined {
  const normalized = text.trim().replace(DECORATION, '');
  return RECEIPT_KEYWORDS.find((keyword) => keyword === normalized);
}
