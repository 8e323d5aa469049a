/**
 * What the fake enforces about card JSON 2.0: unknown properties are rejected (feishu.md §2.5, "传入不支持的属性将
 * 报错"), forms only at the root, and form fields named uniquely. The property lists follow the JSON 2.0
 * component pages on open.feishu.cn for the components this service renders; anything not listed is refused.
 */

const COMMON = ['tag', 'element_id', 'margin'];

const ALLOWED: Record<string, string[]> = {
  markdown: [...COMMON, 'text_align', 'text_size', 'icon', 'content', 'i18n_content', 'href'],
  div: [...COMMON, 'width', 'text', 'icon'],
  plain_text: ['tag', 'content', 'i18n_content', 'text_size', 'text_color', 'text_align', 'lines'],
  lark_md: ['tag', 'content', 'i18n_content', 'text_size', 'text_color', 'text_align', 'lines'],
  hr: COMMON,
  column_set: [
    ...COMMON,
    'horizontal_spacing',
    'horizontal_align',
    'flex_mode',
    'background_style',
    'columns',
    'action',
  ],
  column: [
    ...COMMON,
    'background_style',
    'width',
    'weight',
    'vertical_align',
    'vertical_spacing',
    'direction',
    'padding',
    'elements',
    'action',
  ],
  button: [
    ...COMMON,
    'type',
    'size',
    'width',
    'text',
    'icon',
    'hover_tips',
    'disabled',
    'disabled_tips',
    'confirm',
    'behaviors',
    'name',
    'form_action_type',
  ],
  form: [...COMMON, 'name', 'elements', 'direction', 'padding', 'horizontal_spacing', 'vertical_spacing'],
  input: [
    ...COMMON,
    'name',
    'required',
    'disabled',
    'placeholder',
    'default_value',
    'width',
    'max_length',
    'input_type',
    'show_icon',
    'rows',
    'auto_resize',
    'max_rows',
    'label',
    'label_position',
    'value',
    'confirm',
  ],
  select_static: [
    ...COMMON,
    'type',
    'name',
    'required',
    'disabled',
    'width',
    'placeholder',
    'initial_option',
    'options',
    'value',
    'confirm',
  ],
  date_picker: [...COMMON, 'name', 'required', 'disabled', 'width', 'placeholder', 'initial_date', 'value', 'confirm'],
};

const TOP = ['schema', 'config', 'header', 'body', 'card_link'];
const CONFIG = ['update_multi', 'width_mode', 'enable_forward', 'streaming_mode', 'summary', 'locales', 'style'];
const HEADER = ['title', 'subtitle', 'template', 'icon', 'text_tag_list', 'padding'];
const BODY = ['elements', 'direction', 'padding', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align'];
const BEHAVIOR: Record<string, string[]> = {
  callback: ['type', 'value'],
  open_url: ['type', 'default_url', 'android_url', 'ios_url', 'pc_url'],
};
const TEMPLATES = new Set([
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
  'default',
]);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Returns why Feishu would refuse this card, or undefined when it is acceptable. */
export function checkCard(card: unknown): string | undefined {
  if (!isObject(card)) return 'card is not an object';
  if (card.schema !== '2.0') return undefined;
  try {
    only(card, TOP, 'card');
    if (card.config !== undefined) only(card.config, CONFIG, 'config');
    if (isObject(card.config) && card.config.update_multi === false) throw new Error('update_multi must be true');
    if (card.header !== undefined) {
      only(card.header, HEADER, 'header');
      const header = card.header as Json;
      if (header.template !== undefined && !TEMPLATES.has(String(header.template))) throw new Error('bad template');
      if (header.title !== undefined) element(header.title, { root: false, inForm: false, names: new Set() });
    }
    only(card.body, BODY, 'body');
    const names = new Set<string>();
    for (const child of list((card.body as Json).elements)) element(child, { root: true, inForm: false, names });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

interface Where {
  root: boolean;
  inForm: boolean;
  names: Set<string>;
}

function element(value: unknown, where: Where): void {
  if (!isObject(value)) throw new Error('element is not an object');
  const tag = String(value.tag);
  const allowed = ALLOWED[tag];
  if (!allowed) throw new Error(`unsupported component ${tag}`);
  only(value, allowed, tag);
  if (tag === 'form') {
    if (!where.root) throw new Error('form container must be at the root');
    if (typeof value.name !== 'string' || !value.name) throw new Error('form needs a name');
  }
  if (value.form_action_type !== undefined && !where.inForm) throw new Error('form_action_type outside a form');
  if (where.inForm && ['input', 'select_static', 'date_picker', 'button'].includes(tag)) {
    if (typeof value.name !== 'string' || !value.name) throw new Error(`${tag} in a form needs a name`);
    if (where.names.has(value.name)) throw new Error(`duplicate name ${value.name}`);
    where.names.add(value.name);
  }
  for (const behavior of list(value.behaviors)) {
    if (!isObject(behavior)) throw new Error('behavior is not an object');
    const keys = BEHAVIOR[String(behavior.type)];
    if (!keys) throw new Error(`unsupported behavior ${String(behavior.type)}`);
    only(behavior, keys, `behavior ${String(behavior.type)}`);
  }
  for (const option of list(value.options)) {
    only(option, ['text', 'value', 'icon'], 'option');
    element((option as Json).text, { ...where, root: false });
  }
  for (const key of ['text', 'placeholder', 'label']) {
    if (value[key] !== undefined) element(value[key], { ...where, root: false });
  }
  const inner = { root: false, inForm: where.inForm || tag === 'form', names: where.names };
  for (const child of list(value.elements)) element(child, inner);
  for (const column of list(value.columns)) element(column, inner);
}

function only(value: unknown, keys: string[], what: string): void {
  if (!isObject(value)) throw new Error(`${what} is not an object`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new Error(`unsupported property ${what}.${key}`);
  }
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
