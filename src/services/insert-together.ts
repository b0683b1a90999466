import { Batcher } from '../db/batcher.js';
import type { Pool, Queryable } from '../db/pool.js';
import type { Runtime } from '../runtime.js';

const MAX_ROWS_PER_STATEMENT = 100;
const batchers = new WeakMap<Pool, Map<string, Batcher<unknown, unknown>>>();

/**
 * Outside a transaction, the rows that concurrent requests create go to PostgreSQL together: one
 * statement and one commit for all of them, which PostgreSQL's per-statement and per-commit costs
 * make far cheaper than one each (a request waits at most one event-loop turn for its companions).
 * Inside a transaction (an Idempotency-Key's), the row is written on that transaction's connection.
 * `insertMany` returns one result per item, in order, and must keep each item's outcome independent.
 */
export function insertTogether<Item, Result>(
  rt: Runtime,
  db: Queryable,
  name: string,
  insertMany: (db: Queryable, items: Item[]) => Promise<Result[]>,
  item: Item,
): Promise<Result> {
  if (db !== rt.db) return insertMany(db, [item]).then((results) => results[0] as Result);
  let byName = batchers.get(rt.db);
  if (!byName) {
    byName = new Map();
    batchers.set(rt.db, byName);
  }
  let batcher = byName.get(name) as Batcher<Item, Result> | undefined;
  if (!batcher) {
    batcher = new Batcher((items: Item[]) => insertMany(rt.db, items), MAX_ROWS_PER_STATEMENT);
    byName.set(name, batcher as Batcher<unknown, unknown>);
  }
  return batcher.add(item);
}
