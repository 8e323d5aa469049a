/** Finding a letter template by what a teacher types: its code, an alias, or its title, loosely spelled. */

export interface LetterRef {
  code: string;
  title: string;
  aliases: readonly string[];
}

const SUFFIXES = ['致家长的一封信', '家长的一封信', '的一封信', '一封信', '告家长书', '告知书', '回执', '通知', '信'];

function letterKey(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s《》〈〉“”"'‘’「」『』:：]/g, '');
}

function withoutSuffix(key: string): string {
  const suffix = SUFFIXES.find((s) => key.length > s.length && key.endsWith(s));
  return suffix ? key.slice(0, -suffix.length) : key;
}

export function findLetterIn<L extends LetterRef>(letters: readonly L[], query: string): L | undefined {
  const key = letterKey(query);
  if (!key) return undefined;
  const wanted = new Set([key, withoutSuffix(key)]);
  return letters.find((letter) =>
    [letter.code, letter.title, ...letter.aliases].some((name) => {
      const nameKey = letterKey(name);
      return wanted.has(nameKey) || wanted.has(withoutSuffix(nameKey));
    }),
  );
}

/** "防溺水、寒假安全、交通安全": the first alias of each letter, for help and error texts. */
export function letterNames(letters: readonly LetterRef[]): string {
  return letters.map((l) => l.aliases[0] ?? l.title).join('、');
}
