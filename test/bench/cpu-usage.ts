import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time used so far (user + system, ms) by the bench server and by every PostgreSQL process, read from
 * /proc: on a 2-core machine shared by the load generator, the server and PostgreSQL, it shows which of them
 * a request's cost lands on. Undefined off Linux.
 */
export interface CpuTimes {
  server: number;
  postgres: number;
}

const TICK_MS = 10;

function processTimes(pid: string): { name: string; ms: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
    const fields = stat.slice(close + 2).split(' ');
    return { name, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

export function cpuTimes(serverPid: number | undefined): CpuTimes | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  let server = 0;
  let postgres = 0;
  for (const pid of pids) {
    const times = processTimes(pid);
    if (times?.name === 'postgres') postgres += times.ms;
    else if (times && pid === String(serverPid)) server = times.ms;
  }
  return { server, postgres };
}
