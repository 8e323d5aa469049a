import { type ClockTime, type DeadlineOptions, findDeadline, parseDeadline } from '../dates/deadline.js';
import type { CivilDate } from '../dates/tz.js';
import { CODE_PATTERN_SOURCE, normaliseCode } from '../hazard/codes.js';
import type { HazardLevel } from '../hazard/types.js';
import type { CommandCatalog, CommandName, CommandSpec, KeywordField } from './catalog.js';
import { splitByKeywords, takeWord, trimSeparators } from './keywords.js';

export interface ParsedDate {
  at: Date;
  /** The phrase as written. */
  text: string;
  /** Local display, e.g. 6月19日（周五）23:59. */
  label: string;
}

/** A person named in a command: "@张三" (mentioned: true) or plain "张三". */
export interface PersonRef {
  name: string;
  mentioned: boolean;
}

export type ParsedCommand =
  | { name: 'help'; topic?: string }
  | {
      name: 'assign';
      code: string;
      owner: PersonRef;
      deadline?: ParsedDate;
      measures?: string;
      funds?: string;
      interimPlan?: string;
      note?: string;
    }
  | { name: 'fix'; code: string; note?: string }
  | { name: 'verify'; code: string; verdict: 'pass'; note?: string }
  | { name: 'verify'; code: string; verdict: 'reject'; reason: string; deadline?: ParsedDate }
  | { name: 'dismiss'; code: string; reason: string; duplicateOf?: string }
  | { name: 'reopen'; code: string; reason: string; deadline?: ParsedDate }
  | { name: 'change_level'; code: string; level: HazardLevel }
  | { name: 'show'; code: string }
  | { name: 'mine' }
  | { name: 'ledger' }
  | { name: 'overdue' }
  | { name: 'remind'; text: string; at: ParsedDate; mentions: PersonRef[] }
  | { name: 'receipt_start'; letter: string; deadline: ParsedDate; classes: string[] }
  | { name: 'receipt_progress'; letter?: string }
  | { name: 'bind'; schoolCode: string };

/** A command was recognised but cannot run as written; `error` is the Chinese hint for the user. */
export interface CommandError {
  error: string;
  command: CommandName;
}

export type CommandParseResult = ParsedCommand | CommandError | null;

export interface CommandParseOptions {
  catalog: CommandCatalog;
  now: Date;
  timeZone?: string;
  isWorkingDay?: (date: CivilDate) => boolean;
}

interface Context {
  spec: CommandSpec;
  alias: string;
  options: CommandParseOptions;
  keywords: CommandCatalog['keywords'];
}

const CODE_AT_START = new RegExp(`^${CODE_PATTERN_SOURCE}`, 'i');
const CODE_ANYWHERE = new RegExp(CODE_PATTERN_SOURCE, 'i');
const MENTION = /@([^\s@,，;；:：]+)/g;
/** What may follow an alias for it to count as a command word. */
const AFTER_ALIAS = new RegExp(`^(?:$|[\\s:：,，;；@]|${CODE_PATTERN_SOURCE})`, 'i');

function fail(context: Context, message: string): CommandError {
  return { error: `${message}\n用法：${context.spec.usage}`, command: context.spec.name };
}

function pick<K extends KeywordField>(context: Context, ...fields: K[]): Record<K, readonly string[]> {
  return Object.fromEntries(fields.map((field) => [field, context.keywords[field]])) as Record<K, readonly string[]>;
}

function dateOptions(context: Context, extra: DeadlineOptions = {}): DeadlineOptions {
  const { timeZone, isWorkingDay } = context.options;
  return { ...(timeZone ? { timeZone } : {}), ...(isWorkingDay ? { isWorkingDay } : {}), ...extra };
}

function clockTime(text: string, endOfDay: boolean): ClockTime {
  const [hour = 0, minute = 0] = text.split(':').map(Number);
  return { hour, minute, second: endOfDay && hour === 23 && minute === 59 ? 59 : 0 };
}

function readDeadline(context: Context, text: string): ParsedDate | CommandError {
  const dayTime = clockTime(context.options.catalog.deadlineTime, true);
  const result = parseDeadline(text, context.options.now, dateOptions(context, { dayTime }));
  return result.ok ? { at: result.at, text: result.text, label: result.label } : fail(context, result.reason);
}

const isError = (value: unknown): value is CommandError =>
  typeof value === 'object' && value !== null && 'error' in value;

/** Splits off the hazard code every ledger command starts with. */
function takeCode(context: Context, text: string): { code: string; rest: string } | CommandError {
  const match = CODE_AT_START.exec(text);
  const code = match ? normaliseCode(match[0]) : null;
  if (!match || !code) return fail(context, '请写明隐患编号（如 YH-2026-0001）。');
  return { code, rest: trimSeparators(text.slice(match[0].length)) };
}

function personRef(token: string): PersonRef {
  return token.startsWith('@') ? { name: token.slice(1), mentioned: true } : { name: token, mentioned: false };
}

function optional(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

function parseAssign(context: Context, args: string): ParsedCommand | CommandError {
  const coded = takeCode(context, args);
  if (isError(coded)) return coded;
  const { head, fields } = splitByKeywords(
    coded.rest,
    pick(context, 'owner', 'deadline', 'measures', 'funds', 'interimPlan', 'note'),
  );
  const [first = '', ...others] = head.split(/\s+/).filter(Boolean);
  const ownerText = fields.owner ?? first;
  if (!ownerText || ownerText === '@') return fail(context, '请指定整改责任人（@某人 或 写姓名）。');
  const noteFromHead = fields.owner === undefined ? others.join(' ') : head;
  const command: ParsedCommand = {
    name: 'assign',
    code: coded.code,
    owner: personRef(ownerText.split(/\s+/)[0] ?? ''),
  };
  if (fields.deadline !== undefined) {
    const deadline = readDeadline(context, fields.deadline);
    if (isError(deadline)) return deadline;
    command.deadline = deadline;
  }
  command.measures = optional(fields.measures);
  command.funds = optional(fields.funds);
  command.interimPlan = optional(fields.interimPlan);
  command.note = optional(fields.note ?? noteFromHead);
  return withoutUndefined(command);
}

function parseVerify(context: Context, args: string): ParsedCommand | CommandError {
  const coded = takeCode(context, args);
  if (isError(coded)) return coded;
  const verdicts = [...context.keywords.pass, ...context.keywords.reject].sort((a, b) => b.length - a.length);
  const verdictWord = verdicts.find((word) => coded.rest.startsWith(word));
  const rest = verdictWord ? trimSeparators(coded.rest.slice(verdictWord.length)) : coded.rest;
  if (verdictWord && context.keywords.reject.includes(verdictWord)) {
    const { head, fields } = splitByKeywords(rest, pick(context, 'deadline', 'note'));
    const reason = [head, fields.note].filter(Boolean).join(' ');
    if (!reason) return fail(context, '退回须写明原因。');
    const command: ParsedCommand = { name: 'verify', code: coded.code, verdict: 'reject', reason };
    if (fields.deadline !== undefined) {
      const deadline = readDeadline(context, fields.deadline);
      if (isError(deadline)) return deadline;
      command.deadline = deadline;
    }
    return command;
  }
  if (!verdictWord && !(context.spec.passAliases ?? []).includes(context.alias)) {
    return fail(context, '请写明复查结果：通过，或 退回 加原因。');
  }
  const { head, fields } = splitByKeywords(rest, pick(context, 'note'));
  const note = [head, fields.note].filter(Boolean).join(' ');
  return withoutUndefined({ name: 'verify', code: coded.code, verdict: 'pass', note: optional(note) });
}

function parseDismiss(context: Context, args: string): ParsedCommand | CommandError {
  const coded = takeCode(context, args);
  if (isError(coded)) return coded;
  const stated = coded.rest;
  if (!stated) return fail(context, '请写明驳回原因（如：不属实、重复 YH-…）。');
  const reasonAlias = (context.spec.reasonAliases ?? []).includes(context.alias) && !stated.startsWith(context.alias);
  const reason = reasonAlias ? `${context.alias}：${stated}` : stated;
  const duplicateWord = context.keywords.duplicate.find((word) => stated.includes(word));
  const duplicateCode = duplicateWord ? CODE_ANYWHERE.exec(stated) : null;
  const duplicateOf = duplicateCode ? (normaliseCode(duplicateCode[0]) ?? undefined) : undefined;
  return withoutUndefined({ name: 'dismiss', code: coded.code, reason, duplicateOf });
}

function parseReopen(context: Context, args: string): ParsedCommand | CommandError {
  const coded = takeCode(context, args);
  if (isError(coded)) return coded;
  const { head, fields } = splitByKeywords(coded.rest, pick(context, 'deadline', 'note'));
  const reason = [head, fields.note].filter(Boolean).join(' ');
  if (!reason) return fail(context, '请写明重开原因。');
  const command: ParsedCommand = { name: 'reopen', code: coded.code, reason };
  if (fields.deadline !== undefined) {
    const deadline = readDeadline(context, fields.deadline);
    if (isError(deadline)) return deadline;
    command.deadline = deadline;
  }
  return command;
}

function parseChangeLevel(context: Context, args: string): ParsedCommand | CommandError {
  const coded = takeCode(context, args);
  if (isError(coded)) return coded;
  const words = [...context.keywords.major, ...context.keywords.general];
  const level = takeWord(coded.rest, words);
  if (level?.rest !== '') return fail(context, '请写明等级：重大 或 一般。');
  return {
    name: 'change_level',
    code: coded.code,
    level: context.keywords.major.includes(level.word) ? 'major' : 'general',
  };
}

function parseRemind(context: Context, args: string): ParsedCommand | CommandError {
  const mentions = [...args.matchAll(MENTION)].map((match) => ({ name: match[1] ?? '', mentioned: true }));
  // NFKC so positions match what findDeadline reports (it reads full-width digits that way).
  const text = trimSeparators(args.normalize('NFKC').replace(MENTION, ' ').replace(/\s+/g, ' '));
  const dayTime = clockTime(context.options.catalog.remindTime, false);
  const options = dateOptions(context, { purpose: 'reminder', dayTime });
  const { now } = context.options;
  const { head, fields } = splitByKeywords(text, pick(context, 'time', 'deadline'));
  const explicit = fields.time ?? fields.deadline;
  let at: ParsedDate | CommandError | null = null;
  let body = head;
  if (explicit !== undefined) {
    const result = parseDeadline(explicit, now, options);
    at = result.ok ? { at: result.at, text: result.text, label: result.label } : fail(context, result.reason);
  } else {
    const found = findDeadline(text, now, options);
    if (found) {
      at = found.result.ok
        ? { at: found.result.at, text: found.text, label: found.result.label }
        : fail(context, found.result.reason);
      body = trimSeparators(`${text.slice(0, found.index)} ${text.slice(found.index + found.text.length)}`);
    }
  }
  if (at === null) return fail(context, '请写明提醒时间。');
  if (isError(at)) return at;
  if (!body) return fail(context, '请写明提醒内容。');
  return { name: 'remind', text: body.replace(/\s+/g, ' '), at, mentions };
}

function parseReceipt(context: Context, args: string): ParsedCommand | CommandError {
  const start = takeWord(args, context.keywords.start);
  if (start) {
    const { head, fields } = splitByKeywords(start.rest, pick(context, 'deadline', 'classes'));
    const [letter, ...others] = head.split(/\s+/).filter(Boolean);
    if (!letter) return fail(context, '请写明要发的告家长书（如：防溺水）。');
    if (fields.deadline === undefined) return fail(context, '请写明回执截止日期。');
    const deadline = readDeadline(context, fields.deadline);
    if (isError(deadline)) return deadline;
    const classes = [...others, ...(fields.classes ?? '').split(/[\s,，、;；]+/)].filter(Boolean);
    return { name: 'receipt_start', letter, deadline, classes };
  }
  const progress = takeWord(args, context.keywords.progress);
  if (progress) return withoutUndefined({ name: 'receipt_progress', letter: optional(progress.rest.split(/\s+/)[0]) });
  return fail(context, '请写明要做什么：发起 或 进度。');
}

function parseArguments(context: Context, args: string): ParsedCommand | CommandError {
  switch (context.spec.name) {
    case 'help':
      return withoutUndefined({ name: 'help', topic: optional(args) });
    case 'assign':
      return parseAssign(context, args);
    case 'fix': {
      const coded = takeCode(context, args);
      return isError(coded) ? coded : withoutUndefined({ name: 'fix', code: coded.code, note: optional(coded.rest) });
    }
    case 'verify':
      return parseVerify(context, args);
    case 'dismiss':
      return parseDismiss(context, args);
    case 'reopen':
      return parseReopen(context, args);
    case 'change_level':
      return parseChangeLevel(context, args);
    case 'show': {
      const coded = takeCode(context, args);
      return isError(coded) ? coded : { name: 'show', code: coded.code };
    }
    case 'mine':
    case 'ledger':
    case 'overdue':
      return { name: context.spec.name };
    case 'remind':
      return parseRemind(context, args);
    case 'receipt':
      return parseReceipt(context, args);
    case 'bind': {
      const [schoolCode] = args.split(/\s+/).filter(Boolean);
      return schoolCode ? { name: 'bind', schoolCode } : fail(context, '请写明学校代码。');
    }
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function findAlias(text: string, catalog: CommandCatalog): { spec: CommandSpec; alias: string; rest: string } | null {
  const lower = text.toLowerCase();
  const aliases = catalog.commands
    .flatMap((spec) => spec.aliases.map((alias) => ({ spec, alias })))
    .sort((a, b) => b.alias.length - a.alias.length);
  for (const { spec, alias } of aliases) {
    if (!lower.startsWith(alias.toLowerCase())) continue;
    const rest = text.slice(alias.length);
    if (AFTER_ALIAS.test(rest)) return { spec, alias, rest };
  }
  return null;
}

/**
 * Reads a chat command from a message whose bot mention is already stripped. Returns the command,
 * a `{ error }` usage hint when a recognised command lacks or garbles its arguments, or null when the
 * text is not a command (it may then be a hazard report). The command word must stand alone:
 * "整改 YH-…" and "整改YH-…" are commands, "整改完成了吗" is not.
 */
export function parseCommand(input: string, options: CommandParseOptions): CommandParseResult {
  const text = input
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[/／]\s*/, '');
  if (text === '') return null;
  const found = findAlias(text, options.catalog);
  if (!found) return null;
  const context: Context = { spec: found.spec, alias: found.alias, options, keywords: options.catalog.keywords };
  return parseArguments(context, trimSeparators(found.rest));
}

export function isCommandError(result: CommandParseResult): result is CommandError {
  return result !== null && 'error' in result;
}
