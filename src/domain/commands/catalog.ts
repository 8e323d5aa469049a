/** The shape of the chat-command vocabulary; the data lives in bot-flows/commands.ts. */

export const COMMAND_NAMES = [
  'help',
  'assign',
  'fix',
  'verify',
  'dismiss',
  'reopen',
  'change_level',
  'show',
  'mine',
  'ledger',
  'overdue',
  'remind',
  'receipt',
  'bind',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const KEYWORD_FIELDS = [
  'owner',
  'deadline',
  'measures',
  'funds',
  'interimPlan',
  'note',
  'pass',
  'reject',
  'major',
  'general',
  'start',
  'progress',
  'classes',
  'duplicate',
  'time',
] as const;
export type KeywordField = (typeof KEYWORD_FIELDS)[number];

export interface CommandSpec {
  name: CommandName;
  /** Words that start the command; matched as a whole word, longest first. */
  aliases: readonly string[];
  /** One-line usage example shown with errors. */
  usage: string;
  /** verify: aliases that mean "passed" when no verdict is given (销号). */
  passAliases?: readonly string[];
  /** dismiss: aliases that are themselves the kind of reason (不属实), prefixed to the reason. */
  reasonAliases?: readonly string[];
}

export interface CommandCatalog {
  commands: readonly CommandSpec[];
  /** Words that introduce an argument (截止, 措施 …) or a choice (通过, 退回, 重大 …). */
  keywords: Record<KeywordField, readonly string[]>;
  /** Local time a reminder given only a day ("明天") fires at, HH:MM. */
  remindTime: string;
  /** Local time a deadline given only a day falls at, HH:MM; 23:59 means the whole day (23:59:59). */
  deadlineTime: string;
}
