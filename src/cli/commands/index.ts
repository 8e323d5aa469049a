import type { Command } from '../context.js';
import { migrateCommand, seedDemoCommand } from './database.js';
import { extractCommand } from './extract-command.js';
import { chatBindCommand, personGrantCommand } from './org.js';
import { serveCommand } from './serve.js';
import { wechatyCommand } from './wechaty-command.js';

export const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  seedDemoCommand,
  chatBindCommand,
  personGrantCommand,
  extractCommand,
  wechatyCommand,
];
