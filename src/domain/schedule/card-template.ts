/** Reminder card templates (bot-flows/reminders.ts `cards`) and their rendering into the neutral Card. */
import { z } from 'zod';
import type { ActionValue, Card } from '../../model/card.js';
import { isSchoolOccasion, type Occasion, SCHOOL_OCCASIONS, slugSchema } from './topics.js';

/** Values the scheduler fills in; a template naming anything else is refused at start-up. */
export const CARD_PLACEHOLDERS = [
  'title',
  'date',
  'weekday',
  'school',
  'topic',
  'points',
  'minutes',
  'summary',
] as const;
export type CardPlaceholder = (typeof CARD_PLACEHOLDERS)[number];
export type CardVariables = Partial<Record<CardPlaceholder, string>>;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

const templateText = z.string().superRefine((text, ctx) => {
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!(CARD_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) {
      ctx.addIssue({
        code: 'custom',
        message: `未知占位符 {${match[1]}}，可用：${CARD_PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}`,
      });
    }
  }
});

export const cardButtonSchema = z.strictObject({
  id: slugSchema,
  label: z.string().min(1, { error: '按钮文字不能为空' }),
  style: z.enum(['primary', 'default', 'danger']).default('default'),
  /** The use-case step the click runs (e.g. daily_check_ok, talk_given). */
  op: slugSchema,
});

export const cardTemplateSchema = z.strictObject({
  title: templateText.pipe(z.string().min(1, { error: '标题不能为空' })),
  tone: z.enum(['info', 'warning', 'danger', 'success']).default('info'),
  body: templateText,
  /** A different body on some occasions (the 30-minute pre-holiday lesson, the Friday talk). */
  bodyByOccasion: z.partialRecord(z.enum(SCHOOL_OCCASIONS), templateText).optional(),
  buttons: z.array(cardButtonSchema).default([]),
  footer: templateText.optional(),
});

export type CardTemplate = z.output<typeof cardTemplateSchema>;

/** Replaces {name} placeholders; a value not given becomes empty. */
export function fillTemplate(text: string, variables: Readonly<Partial<Record<string, string>>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => variables[name] ?? '');
}

export interface CardContext {
  /** The occurrence key the clicks refer back to. */
  slotKey: string;
  programmeId: string;
  occasion: Occasion;
  topicId?: string;
  variables: CardVariables;
}

/** Renders a template; each button carries the slot key so a click is recorded against its reminder. */
export function renderReminderCard(template: CardTemplate, context: CardContext): Card {
  const occasionBody = isSchoolOccasion(context.occasion) ? template.bodyByOccasion?.[context.occasion] : undefined;
  const body = occasionBody ?? template.body;
  const card: Card = {
    title: fillTemplate(template.title, context.variables).trim(),
    tone: template.tone,
    blocks: [{ type: 'markdown', text: fillTemplate(body, context.variables).trim() }],
    buttons: template.buttons.map((button) => {
      const value: ActionValue = {
        flow: 'reminder',
        op: button.op,
        slot: context.slotKey,
        programme: context.programmeId,
        topic: context.topicId ?? null,
      };
      return { id: button.id, label: button.label, style: button.style, value };
    }),
  };
  if (template.footer !== undefined) card.footer = fillTemplate(template.footer, context.variables);
  return card;
}
