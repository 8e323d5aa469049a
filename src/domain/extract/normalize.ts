const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const BROADCAST_MENTIONS = ['所有人', '全体成员', 'all', 'everyone'];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Removes "@bot" mentions (with or without a following space) and "@someone " mentions of people. */
export function compileMentionStripper(botNames: readonly string[]): (text: string) => string {
  const names = [...botNames, ...BROADCAST_MENTIONS].sort((a, b) => b.length - a.length).map(escapeRegex);
  const known = new RegExp(`[@＠](?:${names.join('|')})\\s*`, 'gi');
  const person = /[@＠][^\s@＠]{1,30}(?:\s+|$)/g;
  return (text) => text.replace(known, ' ').replace(person, ' ');
}

/** The description the user sees: mentions stripped, whitespace collapsed and trimmed. */
export function cleanMessage(text: string, stripMentions: (text: string) => string): string {
  return stripMentions(text.replace(ZERO_WIDTH, '')).replace(/\s+/g, ' ').trim();
}

/**
 * Full-width ASCII to half-width and lower case, one character for one character,
 * so positions found in the normalised text index the description too.
 */
export function normalizeForMatching(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ascii = code >= 0xff01 && code <= 0xff5e ? code - 0xfee0 : code === 0x3000 ? 0x20 : code;
    out += String.fromCharCode(ascii >= 0x41 && ascii <= 0x5a ? ascii + 0x20 : ascii);
  }
  return out;
}
