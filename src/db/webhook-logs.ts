import type { WebhookLogRecord, WebhookStatus } from '../domain/records.js';
import type { Queryable } from './pool.js';

const SUMMARY = 'id, event, status, attempts, created_at, last_attempt_at, next_retry_at, response_code';

export interface ClaimedDelivery {
  id: string;
  event: string;
  payload: string;
  webhook_url: string | null;
  webhook_secret: string;
}

export interface DeliveryJobKey {
  logId: string;
  generation: number;
  attempt: number;
}

/**
 * Takes the lease on attempts of deliveries, many in one statement. Only one worker can hold a lease,
 * so an attempt is never sent twice at once; a worker that dies simply lets its leases lapse. Returns,
 * per job, the claimed delivery or null when it is not this job's turn (done, superseded, leased, early).
 */
export async function claimDeliveries(
  db: Queryable,
  jobs: DeliveryJobKey[],
  now: Date,
  leaseMs: number,
): Promise<Array<ClaimedDelivery | null>> {
  const result = await db.query<ClaimedDelivery & { attempt: number; generation: number }>({
    name: 'webhook-claim',
    text: `UPDATE webhook_logs l SET lease_until = $4, updated_at = $5
           FROM unnest($1::uuid[], $2::int[], $3::int[]) AS j(id, generation, attempt), merchants m
           WHERE l.id = j.id AND l.generation = j.generation AND l.attempts = j.attempt - 1 AND l.status = 'pending'
             AND l.next_retry_at <= $5 AND (l.lease_until IS NULL OR l.lease_until < $5) AND m.id = l.merchant_id
           RETURNING l.id, l.event, l.payload, m.webhook_url, m.webhook_secret, j.generation, j.attempt`,
    values: [
      jobs.map((j) => j.logId),
      jobs.map((j) => j.generation),
      jobs.map((j) => j.attempt),
      new Date(now.getTime() + leaseMs),
      now,
    ],
  });
  const claimed = new Map(result.rows.map((row) => [`${row.id}/${row.generation}/${row.attempt}`, row]));
  return jobs.map((j) => {
    const row = claimed.get(`${j.logId}/${j.generation}/${j.attempt}`);
    if (!row) return null;
    claimed.delete(`${j.logId}/${j.generation}/${j.attempt}`); // a duplicate job in the batch gets nothing
    return {
      id: row.id,
      event: row.event,
      payload: row.payload,
      webhook_url: row.webhook_url,
      webhook_secret: row.webhook_secret,
    };
  });
}

export interface DeliveryState {
  status: WebhookStatus;
  generation: number;
  attempts: number;
  next_retry_at: Date | null;
  lease_until: Date | null;
}

export async function deliveryState(db: Queryable, logId: string): Promise<DeliveryState | null> {
  const result = await db.query<DeliveryState>({
    name: 'webhook-state',
    text: 'SELECT status, generation, attempts, next_retry_at, lease_until FROM webhook_logs WHERE id = $1',
    values: [logId],
  });
  return result.rows[0] ?? null;
}

export interface AttemptRecord {
  logId: string;
  generation: number;
  attempt: number;
  url: string | null;
  status: WebhookStatus;
  nextRetryAt: Date | null;
  responseCode: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

/**
 * Records attempts and releases their leases, many in one statement. Returns, per attempt, whether it
 * was recorded (false when its round moved on meanwhile: a manual retry).
 */
export async function recordAttempts(db: Queryable, attempts: AttemptRecord[]): Promise<boolean[]> {
  const result = await db.query<{ id: string; attempt: number; generation: number }>({
    name: 'webhook-record',
    text: `WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::timestamptz[], $6::int[], $7::text[],
                             $8::text[], $9::int[], $10::timestamptz[], $11::text[])
          AS a(id, generation, attempt, status, next_retry_at, response_code, response_body, error, duration_ms, at, url)
      ), updated AS (
        UPDATE webhook_logs l SET attempts = a.attempt, status = a.status, next_retry_at = a.next_retry_at,
               response_code = a.response_code, response_body = a.response_body, last_attempt_at = a.at,
               lease_until = NULL, updated_at = a.at
        FROM input a WHERE l.id = a.id AND l.generation = a.generation AND l.attempts = a.attempt - 1
        RETURNING l.id, a.generation, a.attempt
      ), logged AS (
        INSERT INTO webhook_attempts (webhook_log_id, generation, attempt, url, response_code, response_body, error,
                                      duration_ms, attempted_at)
        SELECT a.id, a.generation, a.attempt, a.url, a.response_code, a.response_body, a.error, a.duration_ms, a.at
        FROM input a JOIN updated u ON u.id = a.id AND u.generation = a.generation AND u.attempt = a.attempt
        RETURNING 1
      )
      SELECT id, generation, attempt FROM updated`,
    values: [
      attempts.map((a) => a.logId),
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
    ],
  });
  const recorded = new Set(result.rows.map((row) => `${row.id}/${row.generation}/${row.attempt}`));
  return attempts.map((a) => recorded.has(`${a.logId}/${a.generation}/${a.attempt}`));
}

export type WebhookSummary = Pick<
  WebhookLogRecord,
  | 'id'
  | 'event'
  | 'status'
  | 'attempts'
  | 'created_at'
  | 'last_attempt_at'
  | 'next_retry_at'
  | 'response_code'
>;

export interface WebhookFilter {
  status?: WebhookStatus;
  event?: string;
  resourceId?: string;
}

export async function listWebhookLogs(
  db: Queryable,
  merchantId: string,
  filter: WebhookFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: WebhookSummary[]; total: number }> {
  const conditions = ['merchant_id = $1'];
  const values: unknown[] = [merchantId];
  const add = (column: string, value: unknown) => {
    values.push(value);
    conditions.push(`${column} = $${values.length}`);
  };
  if (filter.status) add('status', filter.status);
  if (filter.event) add('event', filter.event);
  if (filter.resourceId) add('resource_id', filter.resourceId);
  const where = conditions.join(' AND ');
  const [rows, count] = await Promise.all([
    db.query<WebhookSummary>({
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

export interface WebhookAttemptRow {
  attempt: number;
  generation: number;
  url: string | null;
  response_code: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

export async function findWebhookLog(
  db: Queryable,
  id: string,
  merchantId: string,
): Promise<(WebhookLogRecord & { history: WebhookAttemptRow[] }) | null> {
  const log = await db.query<WebhookLogRecord>({
    text: `SELECT id, merchant_id, event, resource_id, payload, status, attempts, generation, last_attempt_at,
                  next_retry_at, response_code, response_body, created_at
           FROM webhook_logs WHERE id = $1 AND merchant_id = $2`,
    values: [id, merchantId],
  });
  const row = log.rows[0];
  if (!row) return null;
  const history = await db.query<WebhookAttemptRow>({
    text: `SELECT attempt, generation, url, response_code, response_body, error, duration_ms, attempted_at
           FROM webhook_attempts WHERE webhook_log_id = $1 ORDER BY id`,
    values: [id],
  });
  return { ...row, history: history.rows };
}

/** Starts a new round of delivery: attempts back to 0, due now, jobs of the old round neutralised. */
export async function resetForRetry(
  db: Queryable,
  id: string,
  merchantId: string,
  now: Date,
): Promise<{ generation: number } | null> {
  const result = await db.query<{ generation: number }>({
    text: `UPDATE webhook_logs SET status = 'pending', attempts = 0, generation = generation + 1, next_retry_at = $3,
                  lease_until = NULL, updated_at = $3
           WHERE id = $1 AND merchant_id = $2 RETURNING generation`,
    values: [id, merchantId, now],
  });
  return result.rows[0] ?? null;
}

/** Deliveries that are due and not leased: their job may have been lost with Redis. */
export async function overdueDeliveries(
  db: Queryable,
  before: Date,
  now: Date,
  limit: number,
): Promise<Array<{ logId: string; generation: number; attempt: number }>> {
  const result = await db.query<{ id: string; generation: number; attempts: number }>({
    name: 'webhook-overdue',
    text: `SELECT id, generation, attempts FROM webhook_logs
           WHERE status = 'pending' AND next_retry_at < $1 AND (lease_until IS NULL OR lease_until < $2)
           ORDER BY next_retry_at LIMIT $3`,
    values: [before, now, limit],
  });
  return result.rows.map((row) => ({ logId: row.id, generation: row.generation, attempt: row.attempts + 1 }));
}

/** A log row for an event that is not tied to a state change (the merchant's test event). */
export async function insertStandaloneEvent(
  db: Queryable,
  event: { id: string; merchantId: string; event: string; payload: string; now: Date },
): Promise<boolean> {
  const result = await db.query({
    text: `INSERT INTO webhook_logs (id, merchant_id, event, payload, next_retry_at, created_at, updated_at)
           SELECT $1, id, $3, $4, $5, $5, $5 FROM merchants WHERE id = $2 AND webhook_url IS NOT NULL`,
    values: [event.id, event.merchantId, event.event, event.payload, event.now],
  });
  return result.rowCount === 1;
}
