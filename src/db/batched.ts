import { Batcher } from './batcher.js';
import type { Pool } from './pool.js';

const batchers = new WeakMap<Pool, Map<string, Batcher<unknown, unknown>>>();

/**
 * One statement and one commit for what concurrent callers ask of the same kind: the statements
 * requested in one event-loop turn on a pool run as one, which PostgreSQL's per-statement and
 * per-commit costs make far cheaper than one each (a caller waits at most one turn for its
 * companions). `runMany` returns one result per item, in order, and keeps each item's outcome
 * independent of the others'. Repositories use this behind their single-item functions, so callers
 * never see the batching.
 */
export function batched<Item, Result>(
  name: string,
  runMany: (db: Pool, items: Item[]) => Promise<Result[]>,
  maxBatch = 100,
): (db: Pool, item: Item) => Promise<Result> {
  return (db, item) => {
    let byName = batchers.get(db);
    if (!byName) {
      byName = new Map();
      batchers.set(db, byName);
    }
    let batcher = byName.get(name) as Batcher<Item, Result> | undefined;
    if (!batcher) {
      batcher = new Batcher((items: Item[]) => runMany(db, items), maxBatch);
      byName.set(name, batcher as Batcher<unknown, unknown>);
    }
    return batcher.add(item);
  };
}
