import type { Config } from '../config.js';
import type { Database } from '../db/types.js';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  isTty: boolean;
}

export interface CommandContext {
  config: Config;
  io: CommandIo;
  /** The service secret (generated into the data dir in embedded mode). */
  secret(): string;
  /** Opens the database, migrated. In embedded mode this fails if another process holds the data dir. */
  database(): Promise<Database>;
}

export class UsageError extends Error {}

export interface Command {
  /** Words after `xiaoan`, e.g. ['chat', 'bind']. */
  path: string[];
  summary: string;
  usage: string;
  /** Needs the database: forwarded to a running server when it holds the embedded data dir. */
  usesDatabase: boolean;
  run(ctx: CommandContext, args: string[]): Promise<number>;
}
