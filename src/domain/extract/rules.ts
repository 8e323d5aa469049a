import type { TaxonomyRule } from '../../../bot-flows/taxonomy.js';

export type TextTest = (text: string) => boolean;

/** A rule holds when every `all` pattern matches and no `none` pattern does. */
export function compileRule(rule: TaxonomyRule): TextTest {
  const all = rule.all.map((source) => new RegExp(source));
  const none = rule.none.map((source) => new RegExp(source));
  return (text) => all.every((re) => re.test(text)) && !none.some((re) => re.test(text));
}
