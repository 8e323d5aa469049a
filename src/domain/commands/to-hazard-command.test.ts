import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../../bot-flows/commands.js';
import { type ParsedCommand, parseCommand } from './parse.js';
import { toHazardCommand } from './to-hazard-command.js';

const NOW = new Date('2026-06-10T02:00:00Z');
const defaultCommands = loadCommands();
const PHOTO = { kind: 'image' as const, key: 'img-1' };

function parsed(text: string): ParsedCommand {
  const result = parseCommand(text, { catalog: defaultCommands, now: NOW });
  if (result === null || 'error' in result) throw new Error(`not a command: ${text}`);
  return result;
}

describe('toHazardCommand', () => {
  it('maps 指派 with the resolved owner', () => {
    expect(
      toHazardCommand(parsed('指派 YH-2026-0001 @张三 截止 明天 措施 更换'), { status: 'reported', ownerId: 'p-1' }),
    ).toEqual({
      type: 'assign',
      ownerId: 'p-1',
      deadline: new Date('2026-06-11T15:59:59Z'),
      measures: '更换',
    });
  });

  it('maps 整改 to a fix on the spot or a submitted fix by status', () => {
    const fix = parsed('整改 YH-2026-0001 已清理');
    expect(toHazardCommand(fix, { status: 'reported', attachments: [PHOTO] })).toEqual({
      type: 'fix_on_spot',
      note: '已清理',
      attachments: [PHOTO],
    });
    expect(toHazardCommand(fix, { status: 'rectifying' })).toMatchObject({ type: 'submit_fix' });
  });

  it('maps verdicts, dismissals, reopening and levels', () => {
    expect(toHazardCommand(parsed('销号 YH-2026-0001'), { status: 'verifying' })).toEqual({
      type: 'accept',
      attachments: [],
    });
    expect(toHazardCommand(parsed('复查 YH-2026-0001 退回 不行 截止 后天'), { status: 'verifying' })).toEqual({
      type: 'reject',
      reason: '不行',
      deadline: new Date('2026-06-12T15:59:59Z'),
      attachments: [],
    });
    expect(toHazardCommand(parsed('驳回 YH-2026-0002 重复 YH-2026-0001'), { status: 'reported' })).toEqual({
      type: 'dismiss',
      reason: '重复 YH-2026-0001',
      duplicateOf: 'YH-2026-0001',
    });
    expect(toHazardCommand(parsed('重开 YH-2026-0001 又坏了'), { status: 'closed' })).toEqual({
      type: 'reopen',
      reason: '又坏了',
    });
    expect(toHazardCommand(parsed('改级 YH-2026-0001 重大'), { status: 'reported' })).toEqual({
      type: 'change_level',
      level: 'major',
    });
  });

  it('returns null for commands that are not transitions', () => {
    expect(toHazardCommand(parsed('查 YH-2026-0001'), { status: 'reported' })).toBeNull();
  });
});
