/**
 * A card JSON 2.0 as a Feishu user sees it: its title, its texts and the buttons they can tap — what a
 * card-callback driver needs to tap "确认登记" the way the Feishu client would (feishu.md §2.1, §2.5).
 */

type Json = Record<string, unknown>;

export interface CardButtonView {
  label: string;
  /** The `behaviors[{type:'callback'}].value` Feishu sends back as `action.value`. */
  value?: unknown;
  /** An `open_url` behaviour. */
  url?: string;
  /** The button's `name` (`action.name` on a form submit). */
  name?: string;
  /** The form container this button submits. */
  form?: string;
  disabled: boolean;
}

export interface CardView {
  title: string;
  template: string;
  /** Every markdown / div / plain text in reading order. */
  texts: string[];
  buttons: CardButtonView[];
  /** Form containers by name, with the names of their fields. */
  forms: { name: string; fields: string[] }[];
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textOf = (value: unknown) => (isObject(value) && typeof value.content === 'string' ? value.content : '');

/** Reads a card from a message `content` string or a parsed card object. */
export function viewCard(card: unknown): CardView {
  const json = typeof card === 'string' ? (JSON.parse(card) as unknown) : card;
  if (!isObject(json) || json.schema !== '2.0') throw new Error('not a card JSON 2.0');
  const header = isObject(json.header) ? json.header : {};
  const view: CardView = {
    title: textOf(header.title),
    template: String(header.template ?? ''),
    texts: [],
    buttons: [],
    forms: [],
  };
  const walk = (element: unknown, form?: { name: string; fields: string[] }) => {
    if (!isObject(element)) return;
    switch (element.tag) {
      case 'markdown':
        view.texts.push(String(element.content ?? ''));
        return;
      case 'div':
        view.texts.push(textOf(element.text));
        return;
      case 'button': {
        const callback = list(element.behaviors).find((b) => isObject(b) && b.type === 'callback') as Json | undefined;
        const link = list(element.behaviors).find((b) => isObject(b) && b.type === 'open_url') as Json | undefined;
        view.buttons.push({
          label: textOf(element.text),
          ...(callback ? { value: callback.value } : {}),
          ...(link ? { url: String(link.default_url) } : {}),
          ...(typeof element.name === 'string' ? { name: element.name } : {}),
          ...(form && element.form_action_type === 'submit' ? { form: form.name } : {}),
          disabled: element.disabled === true,
        });
        return;
      }
      case 'form': {
        const inner = { name: String(element.name), fields: [] as string[] };
        view.forms.push(inner);
        for (const child of list(element.elements)) walk(child, inner);
        return;
      }
      case 'input':
      case 'select_static':
      case 'date_picker':
        if (form && typeof element.name === 'string') form.fields.push(element.name);
        return;
      default:
        for (const child of list(element.elements)) walk(child, form);
        for (const column of list(element.columns)) walk(column, form);
    }
  };
  for (const element of list(isObject(json.body) ? json.body.elements : [])) walk(element);
  return view;
}

export function buttonLabelled(card: CardView, label: string): CardButtonView {
  const button = card.buttons.find((candidate) => candidate.label === label);
  if (!button) {
    const labels = card.buttons.map((candidate) => candidate.label).join(', ');
    throw new Error(`no button "${label}" on card "${card.title}" (has: ${labels})`);
  }
  return button;
}
