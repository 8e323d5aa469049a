/**
 * The neutral card: every platform renders this tree natively, or degrades it to text plus a
 * signed H5 link. Keep it small enough for the most limited renderer (WeCom template_card).
 */
export type Tone = 'info' | 'warning' | 'danger' | 'success';

/** What a button or form submit carries back; `flow` routes it, `op` names the use-case step. */
export interface ActionValue {
  flow: string;
  op: string;
  [key: string]: string | number | boolean | null;
}

export type CardBlock =
  | { type: 'markdown'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] };

export interface CardButton {
  id: string;
  label: string;
  style: 'primary' | 'default' | 'danger';
  /** Callback value; absent for pure link buttons. */
  value?: ActionValue;
  /** A link button (e.g. "查看全文"): opened, never called back. */
  url?: string;
}

export type FormInput =
  | {
      type: 'text';
      name: string;
      label: string;
      placeholder?: string;
      required?: boolean;
      multiline?: boolean;
      initial?: string;
    }
  | {
      type: 'select';
      name: string;
      label: string;
      options: { value: string; label: string }[];
      required?: boolean;
      initial?: string;
    }
  | { type: 'date'; name: string; label: string; required?: boolean; initial?: string };

export interface CardForm {
  id: string;
  inputs: FormInput[];
  submit: { id: string; label: string; value: ActionValue };
}

export interface Card {
  title: string;
  tone: Tone;
  blocks: CardBlock[];
  buttons: CardButton[];
  form?: CardForm;
  footer?: string;
}

export type MessageBody = { type: 'text'; text: string; mentionUserIds?: string[] } | { type: 'card'; card: Card };

/** The synchronous answer to a card click: a toast for the clicker and optionally the card redrawn. */
export interface ActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; text: string };
  card?: Card;
}

export function findButton(card: Card, buttonId: string): CardButton | undefined {
  if (card.form?.submit.id === buttonId) {
    return { id: buttonId, label: card.form.submit.label, style: 'primary', value: card.form.submit.value };
  }
  return card.buttons.find((button) => button.id === buttonId);
}
