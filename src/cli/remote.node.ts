import type { DataDirOwner } from './data-dir.node.js';

/** Runs a CLI command inside the server that holds the embedded data dir (loopback only). */
export async function runRemotely(
  owner: DataDirOwner,
  argv: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const response = await fetch(`http://127.0.0.1:${owner.adminPort}/admin/cli`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.adminToken}` },
    body: JSON.stringify({ argv }),
  });
  if (!response.ok) throw new Error(`服务进程拒绝了命令（HTTP ${response.status}）`);
  return (await response.json()) as { code: number; out: string[]; err: string[] };
}
