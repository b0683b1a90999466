import { readdir, readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type pg from 'pg';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time in a process's own code (user) and in the kernel for it (system), in ms. */
export interface CpuSplit {
  user: number;
  system: number;
}

/** The CPU time a process has used so far, from /proc/<pid>/stat. */
export async function cpuSplitMs(pid: number): Promise<CpuSplit> {
  const [user, system] = cpuFields(await readFile(`/proc/${pid}/stat`, 'utf8'));
  return { user, system };
}

function cpuMsOf(stat: string): number {
  const [user, system] = cpuFields(stat);
  return user + system;
}

/** utime and stime of a /proc/<pid>/stat line, in ms. */
function cpuFields(stat: string): [number, number] {
  // The command name may hold spaces; the fields after it are fixed (utime is 14th, stime 15th).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [(Number(fields[11]) * 1000) / TICKS_PER_SECOND, (Number(fields[12]) * 1000) / TICKS_PER_SECOND];
}

/** CPU time so far of each PostgreSQL process of a cluster, by pid, with what it is. */
export type PostgresCpu = Map<number, { label: string; ms: number }>;

/**
 * Reads the CPU time of every process PostgreSQL lists in pg_stat_activity, each labelled by the
 * pool that opened it (its application_name, e.g. gateway-api) or, for PostgreSQL's own helpers,
 * by its kind (walwriter, autovacuum worker…). Its postmaster is not listed (the total of every
 * postgres process covers it).
 */
export async function postgresCpu(db: pg.Client): Promise<PostgresCpu> {
  const { rows } = await db.query<{ pid: number; label: string }>(
    `SELECT pid, CASE WHEN backend_type = 'client backend' AND application_name <> '' THEN application_name
                      ELSE backend_type END AS label
     FROM pg_stat_activity`,
  );
  const reading: PostgresCpu = new Map();
  for (const row of rows) {
    const stat = await readFile(`/proc/${row.pid}/stat`, 'utf8').catch(() => null);
    if (stat !== null) reading.set(row.pid, { label: row.label, ms: cpuMsOf(stat) });
  }
  return reading;
}

/**
 * The CPU time each label's processes used between two readings. A process that started meanwhile
 * counts whole; one that ended meanwhile is missing from the later reading and is not counted.
 */
export function postgresCpuByLabel(before: PostgresCpu, after: PostgresCpu): Map<string, number> {
  const byLabel = new Map<string, number>();
  for (const [pid, { label, ms }] of after) {
    byLabel.set(label, (byLabel.get(label) ?? 0) + ms - (before.get(pid)?.ms ?? 0));
  }
  return byLabel;
}

/** Commands Redis has run so far, those inside Lua scripts (BullMQ's) included, from INFO commandstats. */
export async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
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
