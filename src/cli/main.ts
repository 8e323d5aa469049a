import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { connectDatabase } from '../db/client.node.js';
import { migrate } from '../db/migrate.node.js';
import type { Database } from '../db/types.js';
import { COMMANDS } from './commands/index.js';
import type { Command, CommandContext, CommandIo } from './context.js';
import { UsageError } from './context.js';
import { currentOwner, embeddedSecret, lockDataDir } from './data-dir.node.js';
import { runRemotely } from './remote.node.js';

function findCommand(argv: string[]): { command: Command; args: string[] } | null {
  const matches = COMMANDS.filter((command) => command.path.every((word, index) => argv[index] === word));
  const best = matches.sort((a, b) => b.path.length - a.path.length)[0];
  return best ? { command: best, args: argv.slice(best.path.length) } : null;
}

function usage(): string {
  return [
    '用法：xiaoan <命令> [参数]',
    '',
    ...COMMANDS.map((command) => `  ${command.usage}\n      ${command.summary}`),
  ].join('\n');
}

const PATH_FLAGS = new Set(['--out']);

/**
 * A forwarded command runs in the server's working directory: turn the caller's relative paths (output
 * files, and input files that exist here) into absolute ones first.
 */
export function absolutePaths(argv: string[]): string[] {
  return argv.map((arg, index) => {
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined && PATH_FLAGS.has(flag)) return `${flag}=${resolve(inline)}`;
    if (PATH_FLAGS.has(argv[index - 1] ?? '') && !arg.startsWith('--')) return resolve(arg);
    if (!arg.startsWith('-') && /\.(xlsx|csv)$/i.test(arg) && existsSync(resolve(arg))) return resolve(arg);
    return arg;
  });
}

/**
 * Runs one CLI invocation. `database` lets the server run forwarded commands on its own connection.
 */
export async function runCli(
  argv: string[],
  io: CommandIo,
  env: Record<string, string | undefined>,
  options: { database?: Database } = {},
): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.out(usage());
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`未知命令：${argv.join(' ')}\n\n${usage()}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
  const { command, args } = found;
  const embedded = !config.DATABASE_URL;

  if (command.usesDatabase && embedded && !options.database) {
    const owner = currentOwner(config.XIAOAN_DATA_DIR);
    if (owner?.adminPort && owner.adminToken) {
      try {
        const result = await runRemotely(owner, absolutePaths(argv));
        for (const line of result.out) io.out(line);
        for (const line of result.err) io.err(line);
        return result.code;
      } catch (error) {
        io.err(`无法通过运行中的服务（进程 ${owner.pid}）执行命令：${(error as Error).message}`);
        return 1;
      }
    }
    if (owner) {
      io.err(
        `数据目录 ${config.XIAOAN_DATA_DIR} 正被进程 ${owner.pid} 使用。请等它结束后再试，或先停止服务（Ctrl+C）。`,
      );
      return 1;
    }
  }

  let opened: Database | undefined = options.database;
  let release: (() => void) | undefined;
  const ctx: CommandContext = {
    config,
    io,
    secret: () => config.XIAOAN_SECRET ?? embeddedSecret(config.XIAOAN_DATA_DIR),
    async database() {
      if (opened) return opened;
      if (embedded) {
        const lock = lockDataDir(config.XIAOAN_DATA_DIR);
        if (!lock.ok) throw new UsageError(`数据目录正被进程 ${lock.owner.pid} 使用`);
        release = lock.release;
      }
      opened = await connectDatabase({
        ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
        dataDir: config.XIAOAN_DATA_DIR,
      });
      await migrate(opened);
      return opened;
    },
  };
  try {
    return await command.run(ctx, args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n用法：${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    io.err(`出错了：${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    if (opened && opened !== options.database && command.path[0] !== 'serve') await opened.close();
    if (command.path[0] !== 'serve') release?.();
  }
}
