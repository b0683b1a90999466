import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what its last full collection kept before it collects
 * again, in percent. Left to itself it allows up to four times as much for a heap it collects
 * quickly, and a gateway process keeps about 35 MiB alive: under load its resident memory climbed to
 * 260 MiB, nearly all of it garbage awaiting a collection. Half as much again keeps it near 170 MiB
 * at the same throughput (BENCHMARKS.md). It is not a cap: a process whose live data grows (a
 * backlog, say) still gets the memory it needs.
 */
const HEAP_GROWING_PERCENT = 50;

/** Applies HEAP_GROWING_PERCENT unless node was started with a --heap-growing-percent of its own. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  // Read by V8 each time it sets the next collection's threshold, so setting it at start-up works.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
