import type { Taxonomy } from '../../../bot-flows/taxonomy.js';

export type DeadlineFinder = (text: string) => { start: number; end: number } | undefined;

/** The earliest deadline phrase ("3天内", "下周五前", "本周内"), as a span of the text. */
export function compileDeadline(taxonomy: Taxonomy): DeadlineFinder {
  const patterns = taxonomy.deadlinePatterns.map((source) => new RegExp(source));
  return (text) => {
    let found: { start: number; end: number } | undefined;
    for (const re of patterns) {
      const match = re.exec(text);
      if (match && (!found || match.index < found.start)) {
        found = { start: match.index, end: match.index + match[0].length };
      }
    }
    return found;
  };
}
