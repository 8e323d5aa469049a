import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { absolutePaths, runCli } from '../../src/cli/main.js';
import { seedDemo } from '../../src/db/repos/seed-demo.js';
import { chats, platformAccounts, roleGrants } from '../../src/db/schema.js';
import { adminRoutes } from '../../src/http/routes/admin.js';
import { createTestDb } from '../helpers/db.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
      stdin: process.stdin,
      stdout: process.stdout,
      isTty: false,
    },
  };
}

describe('xiaoan CLI', async () => {
  const database = await createTestDb();
  await seedDemo(database.db);
  afterAll(() => database.close());
  const env = { XIAOAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'xiaoan-cli-')) };
  const run = async (argv: string[], runEnv: Record<string, string> = env) => {
    const captured = capture();
    const code = await runCli(argv, captured.io, runEnv, { database });
    return { code, out: captured.out.join('\n'), err: captured.err.join('\n') };
  };

  it('prints usage with no arguments and for help', async () => {
    expect((await run([])).code).toBe(1);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('xiaoan chat bind');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const result = await run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('未知命令');
  });

  it('names missing and bad flags and prints the usage line', async () => {
    const missing = await run(['chat', 'bind', '--platform', 'feishu']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/缺少参数：--chat、--school、--kind/);
    expect(missing.err).toContain('用法：xiaoan chat bind');
    const badKind = await run([
      'chat',
      'bind',
      '--platform',
      'feishu',
      '--chat',
      'oc_1',
      '--school',
      'demo',
      '--kind',
      'party',
    ]);
    expect(badKind.err).toMatch(/--kind 取值应为 staff \| class_parents \| leaders/);
    const unknownFlag = await run(['chat', 'bind', '--colour', 'red']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err).toContain('参数错误');
  });

  it('refuses an unknown school or class without writing anything', async () => {
    const school = await run([
      'chat',
      'bind',
      '--platform',
      'feishu',
      '--chat',
      'oc_x',
      '--school',
      'nope',
      '--kind',
      'staff',
    ]);
    expect(school.code).toBe(2);
    expect(school.err).toContain('找不到学校代码「nope」');
    const klass = await run([
      'chat',
      'bind',
      '--platform',
      'feishu',
      '--chat',
      'oc_x',
      '--school',
      'demo',
      '--kind',
      'class_parents',
      '--class',
      '九年级(9)班',
    ]);
    expect(klass.err).toContain('没有班级「九年级(9)班」');
    expect(await database.db.select().from(chats).where(eq(chats.chatId, 'oc_x'))).toHaveLength(0);
  });

  it('binds a chat and grants a role', async () => {
    const bound = await run([
      'chat',
      'bind',
      '--platform',
      'feishu',
      '--chat',
      'oc_parents',
      '--school',
      'demo',
      '--kind',
      'class_parents',
      '--class',
      '三年级(1)班',
    ]);
    expect(bound.code).toBe(0);
    const [chat] = await database.db.select().from(chats).where(eq(chats.chatId, 'oc_parents'));
    expect(chat?.kind).toBe('class_parents');
    expect(chat?.classId).not.toBeNull();

    const granted = await run([
      'person',
      'grant',
      '--platform',
      'feishu',
      '--user',
      'ou_principal',
      '--school',
      'demo',
      '--role',
      'principal',
      '--name',
      '陈校长',
    ]);
    expect(granted.code).toBe(0);
    const [account] = await database.db
      .select()
      .from(platformAccounts)
      .where(eq(platformAccounts.userId, 'ou_principal'));
    const grants = await database.db
      .select()
      .from(roleGrants)
      .where(and(eq(roleGrants.personId, account!.personId), eq(roleGrants.role, 'principal')));
    expect(grants).toHaveLength(1);
    await run([
      'person',
      'grant',
      '--platform',
      'feishu',
      '--user',
      'ou_principal',
      '--school',
      'demo',
      '--role',
      'principal',
    ]);
    expect(
      await database.db
        .select()
        .from(roleGrants)
        .where(and(eq(roleGrants.personId, account!.personId), eq(roleGrants.role, 'principal'))),
    ).toHaveLength(1);
  });

  it('stops on a bad environment with one line naming the variable', async () => {
    const result = await run(['migrate'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^配置错误：PORT/);
  });

  it('tells the user when another process holds the embedded data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xiaoan-locked-'));
    writeFileSync(join(dataDir, 'xiaoan.lock'), JSON.stringify({ pid: process.ppid }));
    const captured = capture();
    const code = await runCli(['seed-demo'], captured.io, { XIAOAN_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(captured.err.join('\n')).toContain(`正被进程 ${process.ppid} 使用`);
  });

  it("sends the caller's paths to the server as absolute paths", () => {
    const here = process.cwd();
    expect(absolutePaths(['export', 'ledger', '--out', 'a.xlsx', '--school', 'demo'])).toEqual([
      'export',
      'ledger',
      '--out',
      join(here, 'a.xlsx'),
      '--school',
      'demo',
    ]);
    expect(absolutePaths(['export', 'ledger', '--out=b.xlsx'])).toEqual([
      'export',
      'ledger',
      `--out=${join(here, 'b.xlsx')}`,
    ]);
    expect(absolutePaths(['import-roster', 'missing.csv'])).toEqual(['import-roster', 'missing.csv']);
    expect(absolutePaths(['import-roster', 'bot-flows/roster-template.csv'])[1]).toBe(
      join(here, 'bot-flows/roster-template.csv'),
    );
  });

  it('forwards commands to the server that holds the data dir over loopback', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xiaoan-served-'));
    const token = 'admin-token-admin-token';
    const admin = adminRoutes(
      token,
      async (argv) => {
        const captured = capture();
        const code = await runCli(argv, captured.io, { XIAOAN_DATA_DIR: dataDir }, { database });
        return { code, out: captured.out, err: captured.err };
      },
      (c) => getConnInfo(c as Parameters<typeof getConnInfo>[0]).remote.address,
    );
    const server = serve({ fetch: new Hono().route('/admin', admin).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    writeFileSync(
      join(dataDir, 'xiaoan.lock'),
      JSON.stringify({ pid: process.ppid, adminPort: port, adminToken: token }),
    );
    const captured = capture();
    const code = await runCli(
      ['chat', 'bind', '--platform', 'dingtalk', '--chat', 'cid_forwarded', '--school', 'demo', '--kind', 'staff'],
      captured.io,
      { XIAOAN_DATA_DIR: dataDir },
    );
    writeFileSync(
      join(dataDir, 'xiaoan.lock'),
      JSON.stringify({ pid: process.ppid, adminPort: port, adminToken: 'wrong-token-wrong' }),
    );
    const refused = capture();
    const refusedCode = await runCli(['migrate'], refused.io, { XIAOAN_DATA_DIR: dataDir });
    await new Promise((resolve) => server.close(resolve));
    expect(code).toBe(0);
    expect(captured.out.join('\n')).toContain('已绑定');
    expect(await database.db.select().from(chats).where(eq(chats.chatId, 'cid_forwarded'))).toHaveLength(1);
    expect(refusedCode).toBe(1);
    expect(refused.err.join('\n')).toContain('HTTP 403');
  });
});
