import { z } from 'zod';
import type { CardForm } from '../../model/card.js';
import { escapeHtml } from './layout.js';

/**
 * A card's form as an H5 page, for platforms whose cards cannot hold inputs (DingTalk actionCard, WeCom and
 * Wechaty links). The page carries its own description in a hidden field, so a refused submission can be
 * shown again with what was typed and why; the flow never sees that field and checks every value itself, so
 * a tampered description changes only what its sender sees.
 */

export const FORM_SPEC_FIELD = '_form';

const name = z.string().regex(/^[A-Za-z][\w-]{0,39}$/);
const label = z.string().max(100);
const text = z.string().max(4000);
const inputSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    name,
    label,
    placeholder: z.string().max(200).optional(),
    required: z.boolean().optional(),
    multiline: z.boolean().optional(),
    initial: text.optional(),
  }),
  z.object({
    type: z.literal('select'),
    name,
    label,
    options: z.array(z.object({ value: z.string().max(100), label })).max(50),
    required: z.boolean().optional(),
    initial: text.optional(),
  }),
  z.object({ type: z.literal('date'), name, label, required: z.boolean().optional(), initial: text.optional() }),
]);
const specSchema = z.object({
  title: z.string().max(200),
  submitLabel: label,
  inputs: z.array(inputSchema).min(1).max(20),
});

export type FormSpec = z.infer<typeof specSchema>;

export function formSpecOf(title: string, form: CardForm): FormSpec {
  return { title, submitLabel: form.submit.label, inputs: form.inputs };
}

/** The description a page posted back, if it is one this page could have written. */
export function parseFormSpec(posted: unknown): FormSpec | undefined {
  if (typeof posted !== 'string') return undefined;
  try {
    const parsed = specSchema.safeParse(JSON.parse(posted));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const STYLE = '<style>label{display:block;font-size:15px}.required{color:#d83931}</style>';

function field(input: FormSpec['inputs'][number], value: string | undefined): string {
  const id = `f-${input.name}`;
  const required = input.required ? ' required' : '';
  const mark = input.required ? ' <span class="required">*</span>' : '';
  const current = value ?? input.initial ?? '';
  const labelHtml = `<label for="${id}">${escapeHtml(input.label)}${mark}</label>`;
  const attributes = `id="${id}" name="${escapeHtml(input.name)}"${required}`;
  switch (input.type) {
    case 'select': {
      const options = input.options.map(
        (option) =>
          `<option value="${escapeHtml(option.value)}"${option.value === current ? ' selected' : ''}>${escapeHtml(option.label)}</option>`,
      );
      const blank =
        current && input.options.some((option) => option.value === current) ? '' : '<option value="">请选择</option>';
      return `${labelHtml}<select ${attributes}>${blank}${options.join('')}</select>`;
    }
    case 'date':
      return `${labelHtml}<input type="date" ${attributes} value="${escapeHtml(current)}">`;
    case 'text': {
      const placeholder = input.placeholder ? ` placeholder="${escapeHtml(input.placeholder)}"` : '';
      return input.multiline
        ? `${labelHtml}<textarea rows="4" ${attributes}${placeholder}>${escapeHtml(current)}</textarea>`
        : `${labelHtml}<input ${attributes}${placeholder} value="${escapeHtml(current)}" autocomplete="off">`;
    }
  }
}

/** The form as a panel posting to `action`; `values` and `error` when a submission is shown again. */
export function formPanel(
  spec: FormSpec,
  action: string,
  options: { values?: Record<string, string>; error?: string; note?: string } = {},
): string {
  const alert = options.error ? `<p class="alert" role="alert">${escapeHtml(options.error)}</p>` : '';
  const note = options.note ? `<p class="muted">${escapeHtml(options.note)}</p>` : '';
  const fields = spec.inputs.map((input) => field(input, options.values?.[input.name]));
  return `${STYLE}<div class="panel"><h1>${escapeHtml(spec.title)}</h1>${note}${alert}
<form method="post" action="${escapeHtml(action)}">
${fields.join('\n')}
<input type="hidden" name="${FORM_SPEC_FIELD}" value="${escapeHtml(JSON.stringify(spec))}">
<button type="submit">${escapeHtml(spec.submitLabel)}</button>
</form></div>`;
}
