import { announceDeliveries } from './delivery-announcements.js';
import type { Queryable } from './pool.js';

/**
 * Events are recorded inside the statement that changes state, so both commit together, and each
 * fans out in the same statement to a delivery (a webhook_logs row) for every enabled endpoint of the
 * merchant whose filter selects it. Callers splice recordEvents() into their WITH clause.
 */
export interface NewEvent {
  id: string;
  resourceId: string;
  type: string;
  /** The exact body every delivery sends; the event keeps its `data`. */
  payload: string;
}

export function eventColumns(events: NewEvent[]): [string[], string[], string[], string[]] {
  return [
    events.map((e) => e.id),
    events.map((e) => e.resourceId),
    events.map((e) => e.type),
    events.map((e) => e.payload),
  ];
}

/**
 * The usual source of events: the four arrays of eventColumns() at parameters $first…$first+3,
 * each event attached to the row of `changed` (a relation with merchant_id and resource_id) it
 * names; `at` is the timestamp parameter position or an expression such as 'changed.at'.
 */
export function eventsOfChanged(first: number, at: number | string): string {
  const time = typeof at === 'number' ? `$${at}` : at;
  return `SELECT e.id AS event_id, changed.merchant_id, changed.resource_id, e.type, e.payload, ${time} AS at, e.n
    FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[])
           WITH ORDINALITY AS e(id, resource_id, type, payload, n)
    JOIN changed ON changed.resource_id = e.resource_id`;
}

/**
 * CTEs `event_source`, `recorded` and `delivered` for a source relation with columns event_id,
 * merchant_id, resource_id, type, payload (text), at and n (the order to record them in).
 */
export function recordEvents(source: string): string {
  return `event_source AS (${source}
  ), recorded AS (
    INSERT INTO events (id, merchant_id, type, resource_id, data, created_at)
    SELECT s.event_id, s.merchant_id, s.type, s.resource_id, (s.payload::json)->'data', s.at
    FROM event_source s ORDER BY s.n
    RETURNING id
  ), delivered AS (
    INSERT INTO webhook_logs (id, merchant_id, endpoint_id, event_id, event, resource_id, payload, next_retry_at,
                              created_at, updated_at)
    SELECT gen_random_uuid(), s.merchant_id, we.id, s.event_id, s.type, s.resource_id, s.payload::json, s.at, s.at, s.at
    FROM recorded r JOIN event_source s ON s.event_id = r.id
    JOIN webhook_endpoints we ON we.merchant_id = s.merchant_id AND we.status = 'enabled' AND we.deleted_at IS NULL
                             AND we.enabled_events && ARRAY['*', s.type, split_part(s.type, '.', 1) || '.*']
    ORDER BY s.n
    RETURNING id
  )`;
}

export interface EventRecord {
  id: string;
  seq: number;
  merchant_id: string;
  type: string;
  resource_id: string | null;
  /** The data object, as its exact JSON text. */
  data: string;
  created_at: Date;
}

const COLUMNS = 'id, seq, merchant_id, type, resource_id, data::text AS data, created_at';

export interface EventQuery {
  /** Exact types and `resource.*` prefixes; empty: every type. */
  types: string[];
  resourceId?: string;
  limit: number;
  /** Newer than this event (its seq), listed oldest first by the caller's reversal. */
  after?: number;
  /** Older than this event (its seq). */
  before?: number;
}

/** The condition selecting these types (exact or `resource.*`), its values appended to `values`. */
export function typeCondition(types: string[], values: unknown[]): string | null {
  if (types.length === 0) return null;
  const exact = types.filter((t) => !t.endsWith('.*'));
  const prefixes = types.filter((t) => t.endsWith('.*')).map((t) => `${t.slice(0, -1)}%`);
  values.push(exact, prefixes);
  return `(type = ANY($${values.length - 1}::text[]) OR type LIKE ANY($${values.length}::text[]))`;
}

/**
 * A page of a merchant's events, newest first by seq (index-backed, no count). With `after`, the
 * page just newer than that seq (for `ending_before`), still returned newest first. Returns one
 * row more than the limit when there are more.
 */
export async function listEvents(
  db: Queryable,
  merchantId: string,
  query: EventQuery,
): Promise<EventRecord[]> {
  const values: unknown[] = [merchantId];
  const conditions = ['merchant_id = $1'];
  const types = typeCondition(query.types, values);
  if (types) conditions.push(types);
  if (query.resourceId !== undefined) {
    values.push(query.resourceId);
    conditions.push(`resource_id = $${values.length}`);
  }
  if (query.before !== undefined) {
    values.push(query.before);
    conditions.push(`seq < $${values.length}`);
  }
  if (query.after !== undefined) {
    values.push(query.after);
    conditions.push(`seq > $${values.length}`);
  }
  values.push(query.limit + 1);
  const ascending = query.after !== undefined;
  const result = await db.query<EventRecord>({
    text: `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')}
           ORDER BY seq ${ascending ? 'ASC' : 'DESC'} LIMIT $${values.length}`,
    values,
  });
  return result.rows;
}

export async function findEvent(db: Queryable, id: string, merchantId: string): Promise<EventRecord | null> {
  const result = await db.query<EventRecord>({
    name: 'event-find',
    text: `SELECT ${COLUMNS} FROM events WHERE id = $1 AND merchant_id = $2`,
    values: [id, merchantId],
  });
  return result.rows[0] ?? null;
}

/**
 * The events of one payment and of its refunds, oldest first (a payment's timeline). Another
 * merchant's payment has none: both the events and the refunds are matched on the merchant too.
 */
export async function eventsOfPayment(
  db: Queryable,
  paymentId: string,
  merchantId: string,
  limit: number,
): Promise<EventRecord[]> {
  const result = await db.query<EventRecord>({
    name: 'event-of-payment',
    text: `SELECT ${COLUMNS} FROM events
           WHERE merchant_id = $2
             AND (resource_id = $1 OR resource_id IN (SELECT id FROM refunds WHERE payment_id = $1 AND merchant_id = $2))
           ORDER BY seq LIMIT $3`,
    values: [paymentId, merchantId, limit],
  });
  return result.rows;
}

/** Events of a merchant after a seq, oldest first: what an event stream has not sent yet. */
export async function eventsSince(
  db: Queryable,
  merchantId: string,
  afterSeq: number,
  limit: number,
): Promise<EventRecord[]> {
  const result = await db.query<EventRecord>({
    name: 'event-since',
    text: `SELECT ${COLUMNS} FROM events WHERE merchant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    values: [merchantId, afterSeq, limit],
  });
  return result.rows;
}

/** Retention: removes events older than `before`, a batch at a time (their deliveries stay). */
export async function purgeEvents(db: Queryable, before: Date, limit: number): Promise<number> {
  const result = await db.query({
    text: `DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
    values: [before, limit],
  });
  return result.rowCount ?? 0;
}

/** Records events that no statement of their own changes state for (e.g. an endpoint disabled by the sweeper). */
export async function recordEventsOf(
  db: Queryable,
  items: Array<{ event: NewEvent; merchantId: string; at: Date }>,
): Promise<void> {
  await db.query({
    text: `WITH changed AS (
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS c(merchant_id, resource_id, at)
      ), ${recordEvents(eventsOfChanged(4, 'changed.at'))}
      SELECT 1`,
    values: [
      items.map((i) => i.merchantId),
      items.map((i) => i.event.resourceId),
      items.map((i) => i.at),
      ...eventColumns(items.map((i) => i.event)),
    ],
  });
  await announceDeliveries(db);
}
