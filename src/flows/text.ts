/** Strips @-mentions of the bot (and leading @names) and collapses whitespace. */
export function cleanText(text: string, botNames: readonly string[] = []): string {
  let result = text.replace(/\u00a0|\u2005|\u3000/g, ' ');
  for (const name of botNames) result = result.split(`@${name}`).join(' ');
  return result.replace(/\s+/g, ' ').trim();
}
