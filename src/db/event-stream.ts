import { type EventRecord, typeCondition } from './events.js';
import type { Queryable } from './pool.js';

/** The channel the events trigger announces a listened-to merchant's new events on (payload: its id). */
export const EVENTS_CHANNEL = 'gateway_events';

/**
 * A place in a merchant's event stream: events are streamed in (xid, seq) order, the order in which
 * their transactions can be known to be over, and a position is the last event sent (or a horizon
 * with seq 0 for a fresh stream). xid is an xid8, kept as its decimal text.
 */
export interface StreamPosition {
  xid: string;
  seq: number;
}

export type StreamedEvent = EventRecord & { xid: string };

/**
 * The oldest transaction still running in this database (or the next one to start): every event of
 * a transaction below it has committed or never will. Transactions that pg_stat_activity shows in
 * another database cannot write our events, so they do not hold the stream back; any other running
 * transaction (one we cannot place, a prepared one) conservatively does.
 */
const HORIZON = `(
  SELECT coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(s.snap) AS x WHERE xid(x) NOT IN (
      SELECT a.backend_xid FROM pg_stat_activity a
      WHERE a.backend_xid IS NOT NULL AND a.datid IS DISTINCT FROM (
        SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_snapshot_xmax(s.snap))
  FROM (SELECT pg_current_snapshot() AS snap) s
)`;

/** Where a stream that starts now begins: everything committed from here on is new to it. */
export async function streamHorizon(db: Queryable): Promise<StreamPosition> {
  const result = await db.query<{ xid: string }>({
    name: 'event-stream-horizon',
    text: `SELECT ${HORIZON}::text AS xid`,
  });
  return { xid: result.rows[0]?.xid ?? '0', seq: 0 };
}

/** The position of one of the merchant's events, or null when it is not one (or is gone). */
export async function positionOf(
  db: Queryable,
  merchantId: string,
  eventId: string,
): Promise<StreamPosition | null> {
  const result = await db.query<StreamPosition>({
    name: 'event-stream-position',
    text: 'SELECT xid::text AS xid, seq FROM events WHERE id = $1 AND merchant_id = $2',
    values: [eventId, merchantId],
  });
  return result.rows[0] ?? null;
}

/**
 * The merchant's events after a position, in stream order, that are safe to send: below the
 * horizon, so no event can later commit before them. `heldBack` says that more are already visible
 * but wait for an older transaction to end (which may write no event, so the caller polls).
 */
export async function eventsAfter(
  db: Queryable,
  merchantId: string,
  after: StreamPosition,
  types: string[],
  limit: number,
): Promise<{ events: StreamedEvent[]; heldBack: boolean }> {
  const values: unknown[] = [merchantId, after.xid, after.seq];
  const conditions = ['e.merchant_id = $1', '(e.xid, e.seq) > ($2::xid8, $3::bigint)'];
  const byType = typeCondition(types, values);
  if (byType) conditions.push(byType);
  values.push(limit + 1);
  const result = await db.query<StreamedEvent & { safe: boolean }>({
    text: `WITH horizon AS (SELECT ${HORIZON} AS xid)
      SELECT e.id, e.seq, e.xid::text AS xid, e.merchant_id, e.type, e.resource_id, e.data::text AS data,
             e.created_at, e.xid < h.xid AS safe
      FROM events e CROSS JOIN horizon h
      WHERE ${conditions.join(' AND ')}
      ORDER BY e.xid, e.seq LIMIT $${values.length}`,
    values,
  });
  // Rows at or past the horizon sort after every safe one: the safe ones are a prefix.
  const safe = result.rows.filter((row) => row.safe).slice(0, limit);
  const events = safe.map(({ safe: _, ...event }) => event);
  return { events, heldBack: result.rows.some((row) => !row.safe) };
}

/** Marks merchants as listened to for the next `leaseMs` (database time), so their new events are announced. */
export async function renewListeners(db: Queryable, merchantIds: string[], leaseMs: number): Promise<void> {
  if (merchantIds.length === 0) return;
  await db.query({
    name: 'event-stream-listeners-renew',
    text: `INSERT INTO event_stream_listeners (merchant_id, until)
           SELECT m, now() + $2 * interval '1 millisecond' FROM unnest($1::uuid[]) AS m
           ON CONFLICT (merchant_id) DO UPDATE SET until = greatest(event_stream_listeners.until, EXCLUDED.until)`,
    values: [merchantIds, leaseMs],
  });
}
