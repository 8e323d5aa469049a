export type ExtractionIntent = 'hazard' | 'incident' | 'other';
export type ExtractionLevel = 'general' | 'major';

export interface Extraction {
  intent: ExtractionIntent;
  /** A taxonomy category code; null when intent is 'other'. */
  category: string | null;
  /** Suggested level; a safety officer or principal confirms it. Null when intent is 'other'. */
  level: ExtractionLevel | null;
  /** The place phrase as written in the message, or null. */
  location: string | null;
  /** The message without bot mentions, whitespace trimmed and collapsed. */
  description: string;
  /** A deadline phrase as written, e.g. "3天内", "下周五前". */
  deadlineHint?: string;
}
