import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export async function cpuMs(pid: number): Promise<number> {
  return cpuMsOf(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

function cpuMsOf(stat: string): number {
  // The command name may hold spaces; the fields after it are fixed (utime is 14th, stime 15th).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time used so far by every process named `name` (e.g. all of PostgreSQL's backends and helpers),
 * in ms. Processes that ended meanwhile are not counted, so compare two readings of long-lived ones.
 */
export async function cpuMsOfAll(name: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat.includes(`(${name})`)) total += cpuMsOf(stat);
  }
  return total;
}

/** The machine's CPU time so far, busy and in all, in ticks (from /proc/stat): compare two readings. */
export async function machineTicks(): Promise<{ busy: number; all: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    busy: user + nice + system + irq + softirq + steal,
    all: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}
