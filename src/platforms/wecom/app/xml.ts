import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** WeCom never sends a DTD; any DOCTYPE/ENTITY is an XXE or entity-expansion attempt and is refused unparsed. */
const DTD = /<!\s*(DOCTYPE|ENTITY)/i;

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  ignoreAttributes: true,
  // Keep every value a string: MsgId is a 64-bit integer, and ids must not turn into numbers.
  parseTagValue: false,
  trimValues: true,
  maxNestedTags: 20,
});

export type XmlResult = { ok: true; root: Record<string, unknown> } | { ok: false; reason: string };

/** Parses `<xml>…</xml>` and returns the children of the `xml` root element. */
export function parseWecomXml(text: string): XmlResult {
  if (DTD.test(text)) return { ok: false, reason: 'XML with a DOCTYPE or ENTITY declaration' };
  if (XMLValidator.validate(text) !== true) return { ok: false, reason: 'malformed XML' };
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch {
    return { ok: false, reason: 'malformed XML' };
  }
  const root = (document as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object') return { ok: false, reason: 'no <xml> root element' };
  return { ok: true, root: root as Record<string, unknown> };
}
