import { escapeHtml } from '../h5/layout.js';

/**
 * The small Markdown subset letters use (bot-flows/letters): headings, **bold**, ordered and unordered
 * lists, paragraphs. Everything is escaped first, so a letter can never inject markup into the page.
 */
export function renderLetterMarkdown(markdown: string): string {
  const html: string[] = [];
  // An object, not a bare variable: the flush closures reassign it.
  const open: { list: { tag: 'ol' | 'ul'; items: string[] } | null } = { list: null };
  let paragraph: string[] = [];
  const inline = (text: string) => escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  const flushParagraph = () => {
    if (paragraph.length > 0) html.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    const { list } = open;
    if (list) html.push(`<${list.tag}>${list.items.map((item) => `<li>${item}</li>`).join('')}</${list.tag}>`);
    open.list = null;
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const ordered = /^\d+[.、]\s*(.*)$/.exec(line);
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    if (!line) {
      flushParagraph();
      flushList();
    } else if (heading) {
      flushParagraph();
      flushList();
      const level = Math.min(4, heading[1]!.length + 1);
      html.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (ordered || bullet) {
      flushParagraph();
      const tag = ordered ? 'ol' : 'ul';
      if (open.list?.tag !== tag) {
        flushList();
        open.list = { tag, items: [] };
      }
      open.list!.items.push(inline((ordered ?? bullet)![1]!));
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return html.join('\n');
}
