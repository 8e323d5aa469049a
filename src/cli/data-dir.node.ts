import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The embedded data dir belongs to one process: this lock says which, and how to reach it. */
export interface DataDirOwner {
  pid: number;
  /** Set while a server holds it: CLI commands are forwarded to its loopback admin endpoint. */
  adminPort?: number;
  adminToken?: string;
}

const lockPath = (dataDir: string) => resolve(dataDir, 'xiaoan.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function currentOwner(dataDir: string): DataDirOwner | null {
  const path = lockPath(dataDir);
  if (!existsSync(path)) return null;
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as DataDirOwner;
    if (owner.pid !== process.pid && alive(owner.pid)) return owner;
  } catch {
    // An unreadable lock is a crashed writer's: treat the dir as free.
  }
  rmSync(path, { force: true });
  return null;
}

/** Takes the data dir for this process, or returns the live owner that holds it. */
export function lockDataDir(
  dataDir: string,
  owner: Omit<DataDirOwner, 'pid'> = {},
): { ok: true; release(): void } | { ok: false; owner: DataDirOwner } {
  mkdirSync(dataDir, { recursive: true });
  const existing = currentOwner(dataDir);
  if (existing) return { ok: false, owner: existing };
  const path = lockPath(dataDir);
  try {
    const fd = openSync(path, 'wx');
    writeFileSync(fd, JSON.stringify({ pid: process.pid, ...owner }));
    closeSync(fd);
  } catch {
    const winner = currentOwner(dataDir);
    if (winner) return { ok: false, owner: winner };
    return lockDataDir(dataDir, owner);
  }
  return {
    ok: true,
    release: () => {
      const current = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DataDirOwner) : null;
      if (current?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

export function updateLock(dataDir: string, owner: Omit<DataDirOwner, 'pid'>): void {
  writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, ...owner }));
}

/** XIAOAN_SECRET, or in embedded mode one generated once and kept in the data dir. */
export function embeddedSecret(dataDir: string): string {
  const path = resolve(dataDir, 'secret');
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
