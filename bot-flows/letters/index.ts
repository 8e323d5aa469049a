import { findLetterIn } from '../../src/domain/receipts/letter-match.js';
import { drowningLetter } from './drowning.js';
import { type LetterTemplate, type LetterTemplateInput, letterSetSchema } from './schema.js';
import { trafficLetter } from './traffic.js';
import { winterHolidayLetter } from './winter-holiday.js';

export {
  type LetterTemplate,
  type LetterTemplateInput,
  letterSetSchema,
  letterTemplateSchema,
  type ReminderPlan,
  reminderPlanSchema,
} from './schema.js';

export const LETTERS_FILE = 'bot-flows/letters';

/** The letters a campaign can send, in the order help texts list them. A district adds or edits files here. */
export const defaultLetters: LetterTemplateInput[] = [drowningLetter, winterHolidayLetter, trafficLetter];

/** Validates a set of letters; a bad one stops start-up with the file and field. */
export function parseLetters(input: unknown): LetterTemplate[] {
  const parsed = letterSetSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [index, ...path] = issue.path;
  const code = typeof index === 'number' ? (letterCodeAt(input, index) ?? `[${index}]`) : '';
  throw new Error(
    `${LETTERS_FILE}: ${[code, ...path.map(String)].filter(Boolean).join('.') || '(root)'}: ${issue.message}`,
  );
}

function letterCodeAt(input: unknown, index: number): string | undefined {
  const item = Array.isArray(input) ? (input[index] as { code?: unknown } | undefined) : undefined;
  return typeof item?.code === 'string' ? item.code : undefined;
}

/** Validated at import, so a broken letter fails start-up rather than a campaign. */
export const letters: readonly LetterTemplate[] = parseLetters(defaultLetters);

/** By code ("drowning"), alias ("防溺水") or title, loosely spelled ("《防溺水安全致家长的一封信》"). */
export function findLetter(aliasOrCode: string, from: readonly LetterTemplate[] = letters): LetterTemplate | undefined {
  return findLetterIn(from, aliasOrCode);
}
