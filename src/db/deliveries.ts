import type { WebhookLogRecord, WebhookStatus } from '../domain/records.js';
import { announceDeliveries } from './delivery-announcements.js';
import {
  type ClaimFor,
  claimColumns,
  claimInsert,
  type IdempotencyClaim,
  rethrowKeyTaken,
} from './idempotency.js';
import type { Queryable } from './pool.js';

/**
 * Deliveries: one per event and endpoint (the webhook_logs table), each attempted on its own
 * schedule. `generation` counts rounds: a manual retry, a resend or a recovery starts a new one,
 * and what a worker of an earlier round records is refused.
 */
export interface ClaimedDelivery {
  id: string;
  endpointId: string | null;
  eventId: string | null;
  event: string;
  payload: string;
  url: string | null;
  /** The endpoint is disabled or deleted: the attempt fails without being sent. */
  endpointOff: boolean;
  /** Valid signing secrets, newest first. */
  secrets: string[];
  generation: number;
  /** The number of this attempt (1-based) within its round. */
  attempt: number;
}

export interface ClaimOptions {
  now: Date;
  leaseMs: number;
  /** At most this many attempts of one endpoint in flight in this process. */
  perEndpoint: number;
  /** Attempts this process has in flight, per endpoint. */
  busy: ReadonlyMap<string, number>;
  limit: number;
}

export interface Claim {
  deliveries: ClaimedDelivery[];
  /** When the next delivery not yet due falls due (null: none), so the dispatcher can sleep until then. */
  nextDueAt: Date | null;
}

/**
 * Leases due deliveries, fairly: each endpoint with due work contributes at most its free share, so
 * an endpoint with a backlog (or one that hangs) never crowds out the others. A lease lets only one
 * worker attempt a delivery at a time; a worker that dies lets its leases lapse, and the next claim
 * after that takes the delivery over. The same statement says when the next delivery falls due,
 * which saves the dispatcher a round trip per claim (under load, as long as the claim itself).
 */
export async function claimDueDeliveries(db: Queryable, options: ClaimOptions): Promise<Claim> {
  const busy = [...options.busy.entries()];
  const result = await db.query<{
    next_due_at: Date | null;
    id: string | null;
    endpoint_id: string | null;
    event_id: string | null;
    event: string;
    payload: string;
    url: string | null;
    endpoint_off: boolean;
    secrets: string[] | null;
    generation: number;
    attempts: number;
  }>({
    // Unnamed on purpose: planned with each call's values. A named statement switches to a generic
    // plan after five calls, and that plan made each claim take hundreds of milliseconds once tens
    // of thousands of deliveries were due (one claim per finished attempt: ten deliveries a second).
    // The leased rows are found by id alone (`= ANY(ARRAY(...))`, always the primary key) and locked
    // where they are chosen (SKIP LOCKED: a concurrent claim takes others instead of waiting). With
    // a status condition on the outer update, statistics that lag a burst of new deliveries (they
    // said 200 pending of 43,000) led the planner to hash every pending row for each claim: 15 ms a
    // claim, which capped delivery at the rate claims could be made. Each endpoint's due rows are
    // chosen by due time alone (a due time means pending: webhook_logs_due_while_pending), which
    // only webhook_logs_endpoint_due covers; with a status condition the planner could walk every
    // endpoint's pending rows in due order instead, once per endpoint.
    text: `WITH busy AS (
        SELECT * FROM unnest($1::text[], $2::int[]) AS b(endpoint_id, n)
      ), candidates AS (
        SELECT due.id FROM webhook_endpoints we
        LEFT JOIN busy b ON b.endpoint_id = we.id
        CROSS JOIN LATERAL (
          SELECT l.id FROM webhook_logs l
          WHERE l.endpoint_id = we.id AND l.next_retry_at <= $3
            AND (l.lease_until IS NULL OR l.lease_until < $3)
          ORDER BY l.next_retry_at LIMIT greatest(0, $4 - coalesce(b.n, 0))
          FOR UPDATE SKIP LOCKED
        ) due
        LIMIT $5
      ), leased AS (
        UPDATE webhook_logs l SET lease_until = $6, updated_at = $3
        FROM webhook_endpoints we
        WHERE l.id = ANY(ARRAY(SELECT id FROM candidates)) AND we.id = l.endpoint_id
        RETURNING l.id, l.endpoint_id, l.event_id, l.event, l.payload::text AS payload, we.url,
                  (we.status <> 'enabled' OR we.deleted_at IS NOT NULL) AS endpoint_off,
                  (SELECT array_agg(s.secret ORDER BY s.created_at DESC) FROM webhook_endpoint_secrets s
                   WHERE s.endpoint_id = we.id AND (s.expires_at IS NULL OR s.expires_at > $3)) AS secrets,
                  l.generation, l.attempts
      )
      SELECT next.next_due_at, leased.*
      FROM (SELECT (SELECT next_retry_at FROM webhook_logs WHERE status = 'pending' AND next_retry_at > $3
                    ORDER BY next_retry_at LIMIT 1) AS next_due_at) next
      LEFT JOIN leased ON true`,
    values: [
      busy.map(([id]) => id),
      busy.map(([, n]) => n),
      options.now,
      options.perEndpoint,
      options.limit,
      new Date(options.now.getTime() + options.leaseMs),
    ],
  });
  const deliveries = result.rows.flatMap((row): ClaimedDelivery[] =>
    row.id === null
      ? []
      : [
          {
            id: row.id,
            endpointId: row.endpoint_id,
            eventId: row.event_id,
            event: row.event,
            payload: row.payload,
            url: row.url,
            endpointOff: row.endpoint_off,
            secrets: row.secrets ?? [],
            generation: row.generation,
            attempt: row.attempts + 1,
          },
        ],
  );
  return { deliveries, nextDueAt: result.rows[0]?.next_due_at ?? null };
}

export interface AttemptRecord {
  deliveryId: string;
  endpointId: string | null;
  generation: number;
  attempt: number;
  url: string | null;
  ok: boolean;
  status: WebhookStatus;
  nextRetryAt: Date | null;
  responseCode: number | null;
  responseBody: string | null;
  requestHeaders: Record<string, string> | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

/**
 * Records attempts and releases their leases, many in one statement, and keeps each endpoint's
 * failure clock: set at the first failure after a success, cleared by any success. Returns, per
 * attempt, whether it was recorded (false when its round moved on meanwhile).
 */
export async function recordAttempts(db: Queryable, attempts: AttemptRecord[]): Promise<boolean[]> {
  const result = await db.query<{ id: string; attempt: number; generation: number }>({
    name: 'delivery-record',
    text: `WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::timestamptz[], $6::int[], $7::text[],
                             $8::text[], $9::int[], $10::timestamptz[], $11::text[], $12::text[], $13::boolean[],
                             $14::text[])
          AS a(id, generation, attempt, status, next_retry_at, response_code, response_body, error, duration_ms, at, url,
               endpoint_id, ok, request_headers)
      ), updated AS (
        UPDATE webhook_logs l SET attempts = a.attempt, status = a.status, next_retry_at = a.next_retry_at,
               response_code = a.response_code, response_body = a.response_body, last_attempt_at = a.at,
               lease_until = NULL, updated_at = a.at
        FROM input a WHERE l.id = a.id AND l.generation = a.generation AND l.attempts = a.attempt - 1
        RETURNING l.id, a.generation, a.attempt
      ), logged AS (
        INSERT INTO webhook_attempts (webhook_log_id, generation, attempt, url, response_code, response_body, error,
                                      duration_ms, attempted_at, request_headers)
        SELECT a.id, a.generation, a.attempt, a.url, a.response_code, a.response_body, a.error, a.duration_ms, a.at,
               a.request_headers::json
        FROM input a JOIN updated u ON u.id = a.id AND u.generation = a.generation AND u.attempt = a.attempt
      ), health AS (
        SELECT endpoint_id, bool_or(ok) AS any_ok, min(at) AS first_at FROM input
        WHERE endpoint_id IS NOT NULL GROUP BY endpoint_id
      ), clocked AS (
        UPDATE webhook_endpoints we
        SET failing_since = CASE WHEN h.any_ok THEN NULL ELSE h.first_at END
        FROM health h
        WHERE we.id = h.endpoint_id
          AND ((h.any_ok AND we.failing_since IS NOT NULL) OR (NOT h.any_ok AND we.failing_since IS NULL))
      )
      SELECT id, generation, attempt FROM updated`,
    values: [
      attempts.map((a) => a.deliveryId),
      attempts.map((a) => a.generation),
      attempts.map((a) => a.attempt),
      attempts.map((a) => a.status),
      attempts.map((a) => a.nextRetryAt),
      attempts.map((a) => a.responseCode),
      attempts.map((a) => a.responseBody),
      attempts.map((a) => a.error),
      attempts.map((a) => a.durationMs),
      attempts.map((a) => a.at),
      attempts.map((a) => a.url),
      attempts.map((a) => a.endpointId),
      attempts.map((a) => a.ok),
      attempts.map((a) => (a.requestHeaders ? JSON.stringify(a.requestHeaders) : null)),
    ],
  });
  const recorded = new Set(result.rows.map((row) => `${row.id}/${row.generation}/${row.attempt}`));
  return attempts.map((a) => recorded.has(`${a.deliveryId}/${a.generation}/${a.attempt}`));
}

export type DeliverySummary = Pick<
  WebhookLogRecord,
  | 'id'
  | 'event'
  | 'status'
  | 'attempts'
  | 'created_at'
  | 'last_attempt_at'
  | 'next_retry_at'
  | 'response_code'
  | 'endpoint_id'
  | 'event_id'
>;

const SUMMARY =
  'id, event, status, attempts, created_at, last_attempt_at, next_retry_at, response_code, endpoint_id, event_id';

export interface DeliveryFilter {
  status?: WebhookStatus;
  event?: string;
  resourceId?: string;
  endpointId?: string;
  eventId?: string;
}

export async function listDeliveries(
  db: Queryable,
  merchantId: string,
  filter: DeliveryFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DeliverySummary[]; total: number }> {
  const conditions = ['merchant_id = $1'];
  const values: unknown[] = [merchantId];
  const add = (column: string, value: unknown) => {
    values.push(value);
    conditions.push(`${column} = $${values.length}`);
  };
  if (filter.status) add('status', filter.status);
  if (filter.event) add('event', filter.event);
  if (filter.resourceId) add('resource_id', filter.resourceId);
  if (filter.endpointId) add('endpoint_id', filter.endpointId);
  if (filter.eventId) add('event_id', filter.eventId);
  const where = conditions.join(' AND ');
  const [rows, count] = await Promise.all([
    db.query<DeliverySummary>({
      text: `SELECT ${SUMMARY} FROM webhook_logs WHERE ${where}
             ORDER BY created_at DESC, id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      values: [...values, page.limit, page.offset],
    }),
    db.query<{ total: number }>({
      text: `SELECT count(*)::int AS total FROM webhook_logs WHERE ${where}`,
      values,
    }),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.total ?? 0 };
}

/** The deliveries of one event, oldest first. */
export async function deliveriesOfEvent(db: Queryable, eventId: string, merchantId: string) {
  const result = await db.query<DeliverySummary>({
    name: 'delivery-of-event',
    text: `SELECT ${SUMMARY} FROM webhook_logs WHERE event_id = $1 AND merchant_id = $2 ORDER BY created_at, id`,
    values: [eventId, merchantId],
  });
  return result.rows;
}

export interface AttemptRow {
  attempt: number;
  generation: number;
  url: string | null;
  response_code: number | null;
  response_body: string | null;
  request_headers: Record<string, string> | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

export async function findDelivery(
  db: Queryable,
  id: string,
  merchantId: string,
): Promise<(WebhookLogRecord & { history: AttemptRow[] }) | null> {
  const result = await db.query<WebhookLogRecord & { history: AttemptRow[] | null }>({
    text: `SELECT l.id, l.merchant_id, l.event, l.resource_id, l.payload::text AS payload, l.status, l.attempts,
                  l.generation, l.last_attempt_at, l.next_retry_at, l.response_code, l.response_body, l.created_at,
                  l.endpoint_id, l.event_id,
                  (SELECT json_agg(json_build_object(
                            'attempt', a.attempt, 'generation', a.generation, 'url', a.url,
                            'response_code', a.response_code, 'response_body', a.response_body,
                            'request_headers', a.request_headers, 'error', a.error, 'duration_ms', a.duration_ms,
                            'attempted_at', a.attempted_at) ORDER BY a.id)
                   FROM webhook_attempts a WHERE a.webhook_log_id = l.id) AS history
           FROM webhook_logs l WHERE l.id = $1 AND l.merchant_id = $2`,
    values: [id, merchantId],
  });
  const row = result.rows[0];
  if (!row) return null;
  const history = (row.history ?? []).map((a) => ({ ...a, attempted_at: new Date(a.attempted_at) }));
  return { ...row, history };
}

/**
 * Starts a new round of delivery: attempts back to 0, due now, what is in flight of the old round
 * neutralised. The last round's response goes with it (it stays in the attempt history), so a
 * delivery never reads "pending, 0 attempts, 200".
 */
export async function resetForRetry(
  db: Queryable,
  id: string,
  merchantId: string,
  now: Date,
): Promise<boolean> {
  const result = await db.query({
    text: `UPDATE webhook_logs SET status = 'pending', attempts = 0, generation = generation + 1, response_code = NULL,
                  response_body = NULL, next_retry_at = $3,
                  lease_until = NULL, updated_at = $3
           WHERE id = $1 AND merchant_id = $2`,
    values: [id, merchantId, now],
  });
  if (result.rowCount !== 1) return false;
  await announceDeliveries(db);
  return true;
}

/** A new round for every failed delivery of an endpoint created within [since, until). */
export async function recoverFailed(
  db: Queryable,
  endpointId: string,
  merchantId: string,
  window: { since: Date; until: Date },
  now: Date,
): Promise<number> {
  const result = await db.query({
    text: `UPDATE webhook_logs SET status = 'pending', attempts = 0, generation = generation + 1, response_code = NULL,
                  response_body = NULL, next_retry_at = $5,
                  lease_until = NULL, updated_at = $5
           WHERE endpoint_id = $1 AND merchant_id = $2 AND status = 'failed' AND created_at >= $3 AND created_at < $4`,
    values: [endpointId, merchantId, window.since, window.until, now],
  });
  const restarted = result.rowCount ?? 0;
  if (restarted > 0) await announceDeliveries(db);
  return restarted;
}

/**
 * Sends an event again: to one endpoint, or to every enabled endpoint whose filter selects it. An
 * endpoint that had a delivery of it gets a new round of that delivery; one that had none (created
 * later, or a filter that did not select it) gets a new delivery. Returns the deliveries, or null
 * when the event (or the endpoint) is not the merchant's.
 */
export async function resendEvent(
  db: Queryable,
  eventId: string,
  merchantId: string,
  endpointId: string | null,
  now: Date,
): Promise<Array<{ id: string; endpoint_id: string }> | null> {
  const result = await db.query<{ id: string; endpoint_id: string; found: boolean }>({
    text: `WITH event AS (
        SELECT * FROM events WHERE id = $1 AND merchant_id = $2
      ), targets AS (
        SELECT we.id FROM webhook_endpoints we, event e
        WHERE we.merchant_id = $2 AND we.deleted_at IS NULL
          AND ($3::text IS NULL AND we.status = 'enabled'
               AND we.enabled_events && ARRAY['*', e.type, split_part(e.type, '.', 1) || '.*']
               OR we.id = $3)
      ), restarted AS (
        UPDATE webhook_logs l SET status = 'pending', attempts = 0, generation = generation + 1, response_code = NULL,
               response_body = NULL, next_retry_at = $4,
               lease_until = NULL, updated_at = $4
        FROM targets t WHERE l.event_id = $1 AND l.endpoint_id = t.id
        RETURNING l.id::text, l.endpoint_id
      ), created AS (
        INSERT INTO webhook_logs (id, merchant_id, endpoint_id, event_id, event, resource_id, payload, next_retry_at,
                                  created_at, updated_at)
        SELECT gen_random_uuid(), e.merchant_id, t.id, e.id, e.type, e.resource_id,
               ('{"event":' || to_json(e.type)::text || ',"timestamp":' || floor(extract(epoch FROM e.created_at))::bigint
                || ',"data":' || e.data::text || '}')::json,
               $4, $4, $4
        FROM targets t, event e
        WHERE NOT EXISTS (SELECT 1 FROM webhook_logs l WHERE l.event_id = $1 AND l.endpoint_id = t.id)
        RETURNING id::text, endpoint_id
      )
      SELECT id, endpoint_id, true AS found FROM restarted
      UNION ALL SELECT id, endpoint_id, true FROM created
      UNION ALL SELECT NULL, NULL, false WHERE NOT EXISTS (SELECT 1 FROM event)
        OR ($3::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM targets))`,
    values: [eventId, merchantId, endpointId, now],
  });
  if (result.rows.some((row) => !row.found)) return null;
  if (result.rows.length > 0) await announceDeliveries(db);
  return result.rows.map((row) => ({ id: row.id, endpoint_id: row.endpoint_id }));
}

/**
 * Records an event that no state change causes (a test event) and its delivery to one endpoint
 * (the default one, or the one given), with its Idempotency-Key claim. False when there is no such
 * enabled endpoint. Throws IdempotencyKeyTaken when the claimed key exists.
 */
export async function insertStandaloneEvent(
  db: Queryable,
  event: {
    deliveryId: string;
    eventId: string;
    merchantId: string;
    endpointId: string | null;
    type: string;
    payload: string;
    now: Date;
    claim?: IdempotencyClaim;
  },
): Promise<boolean> {
  const claims: ClaimFor[] = event.claim ? [{ resourceId: event.deliveryId, claim: event.claim }] : [];
  const result = await db
    .query({
      text: `WITH endpoint AS (
          SELECT id FROM webhook_endpoints
          WHERE merchant_id = $3 AND deleted_at IS NULL AND status = 'enabled'
            AND (($4::text IS NULL AND is_default) OR id = $4)
        ), recorded AS (
          INSERT INTO events (id, merchant_id, type, data, created_at)
          SELECT $2, $3, $5, ($6::json)->'data', $7 FROM endpoint
          RETURNING id
        ), changed AS (
          INSERT INTO webhook_logs (id, merchant_id, endpoint_id, event_id, event, payload, next_retry_at, created_at,
                                    updated_at)
          SELECT $1, $3, e.id, r.id, $5, $6, $7, $7, $7 FROM endpoint e, recorded r
          RETURNING id::text AS resource_id
        ), claimed AS (${claimInsert(8, 'changed')})
        SELECT 1 FROM changed`,
      values: [
        event.deliveryId,
        event.eventId,
        event.merchantId,
        event.endpointId,
        event.type,
        event.payload,
        event.now,
        ...claimColumns(claims),
      ],
    })
    .catch(rethrowKeyTaken);
  if (result.rowCount !== 1) return false;
  await announceDeliveries(db);
  return true;
}

/** Deliveries by state, as the job counts of the (database-driven) webhook queue. */
export async function deliveryCounts(
  db: Queryable,
  now: Date,
): Promise<{ pending: number; processing: number; completed: number; failed: number }> {
  const result = await db.query<{ pending: number; processing: number; completed: number; failed: number }>({
    name: 'delivery-counts',
    text: `SELECT count(*) FILTER (WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < $1))::int AS pending,
                  count(*) FILTER (WHERE status = 'pending' AND lease_until >= $1)::int AS processing,
                  count(*) FILTER (WHERE status = 'success')::int AS completed,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed
           FROM webhook_logs`,
    values: [now],
  });
  return result.rows[0] ?? { pending: 0, processing: 0, completed: 0, failed: 0 };
}

/** The deliveries of a payment's events and of its refunds' events, newest first, in one query. */
export async function deliveriesOfPayment(
  db: Queryable,
  paymentId: string,
  merchantId: string,
  limit: number,
) {
  const result = await db.query<DeliverySummary>({
    name: 'delivery-of-payment',
    text: `SELECT ${SUMMARY} FROM webhook_logs
           WHERE merchant_id = $2
             AND (resource_id = $1 OR resource_id IN (SELECT id FROM refunds WHERE payment_id = $1 AND merchant_id = $2))
           ORDER BY created_at DESC, id DESC LIMIT $3`,
    values: [paymentId, merchantId, limit],
  });
  return result.rows;
}
