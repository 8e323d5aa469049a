import { describe, expect, it } from 'vitest';
import { defaultCommands, loadCommands } from './commands.js';

describe('command vocabulary', () => {
  it('validates the defaults', () => {
    expect(loadCommands()).toEqual(defaultCommands);
  });

  it('refuses an alias shared by two commands', () => {
    const clash = {
      ...defaultCommands,
      commands: defaultCommands.commands.map((spec) =>
        spec.name === 'show' ? { ...spec, aliases: [...spec.aliases, '台账'] } : spec,
      ),
    };
    expect(() => loadCommands(clash)).toThrow(/台账/);
  });

  it('refuses a catalog missing a command or a keyword', () => {
    expect(() => loadCommands({ ...defaultCommands, commands: defaultCommands.commands.slice(1) })).toThrow(/help/);
    const { deadline: _deadline, ...keywords } = defaultCommands.keywords;
    expect(() => loadCommands({ ...defaultCommands, keywords })).toThrow();
  });

  it('refuses pass aliases that are not aliases and bad reminder times', () => {
    const wrong = {
      ...defaultCommands,
      commands: defaultCommands.commands.map((spec) =>
        spec.name === 'verify' ? { ...spec, passAliases: ['关闭'] } : spec,
      ),
    };
    expect(() => loadCommands(wrong)).toThrow(/passAliases/);
    expect(() => loadCommands({ ...defaultCommands, remindTime: '25:00' })).toThrow();
    expect(() => loadCommands({ ...defaultCommands, deadlineTime: '6pm' })).toThrow();
  });
});
