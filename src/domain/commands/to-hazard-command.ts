import type { Attachment } from '../../model/inbound.js';
import { fixCommandType, type HazardCommand } from '../hazard/lifecycle.js';
import type { HazardStatus } from '../hazard/types.js';
import type { ParsedCommand } from './parse.js';

export interface HazardCommandContext {
  /** Current status of the hazard the command names (整改 on a 登记 hazard is a fix on the spot). */
  status: HazardStatus;
  /** The assign command's owner, resolved from the name or mention to a person id by the flow. */
  ownerId?: string;
  /** Attachments that came with the message (photos of the fix or of the verification). */
  attachments?: readonly Attachment[];
}

/** The lifecycle command a parsed chat command stands for; null for commands that are not transitions. */
export function toHazardCommand(parsed: ParsedCommand, context: HazardCommandContext): HazardCommand | null {
  const attachments = context.attachments ?? [];
  switch (parsed.name) {
    case 'assign':
      return {
        type: 'assign',
        ...(context.ownerId ? { ownerId: context.ownerId } : {}),
        ...(parsed.deadline ? { deadline: parsed.deadline.at } : {}),
        ...(parsed.measures ? { measures: parsed.measures } : {}),
        ...(parsed.funds ? { funds: parsed.funds } : {}),
        ...(parsed.interimPlan ? { interimPlan: parsed.interimPlan } : {}),
        ...(parsed.note ? { note: parsed.note } : {}),
      };
    case 'fix':
      return { type: fixCommandType(context.status), ...(parsed.note ? { note: parsed.note } : {}), attachments };
    case 'verify':
      return parsed.verdict === 'pass'
        ? { type: 'accept', ...(parsed.note ? { note: parsed.note } : {}), attachments }
        : {
            type: 'reject',
            reason: parsed.reason,
            ...(parsed.deadline ? { deadline: parsed.deadline.at } : {}),
            attachments,
          };
    case 'dismiss':
      return {
        type: 'dismiss',
        reason: parsed.reason,
        ...(parsed.duplicateOf ? { duplicateOf: parsed.duplicateOf } : {}),
      };
    case 'reopen':
      return { type: 'reopen', reason: parsed.reason, ...(parsed.deadline ? { deadline: parsed.deadline.at } : {}) };
    case 'change_level':
      return { type: 'change_level', level: parsed.level };
    default:
      return null;
  }
}
