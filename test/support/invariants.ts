import type { Queryable } from '../../src/db/pool.js';
import { hexSignature } from '../../src/domain/signing.js';
import { waitFor } from './gateway.js';
import type { PaymentLoad } from './load.js';
import type { WebhookSink } from './webhook-sink.js';

/**
 * What must hold after any fault, checked against the database (the source of truth), the client's
 * ledger of what it was told, and the merchant endpoint's record of what it received. Each check
 * yields readable violations, so a failing test says exactly what broke.
 */
export interface InvariantInput {
  db: Queryable;
  /** The clients' view: every id they were answered 201 for, nothing else. */
  load?: PaymentLoad | PaymentLoad[];
  /** Deliveries as the merchant received them. */
  sink?: WebhookSink;
  /** Every state change has its events (recorded whether or not an endpoint exists). */
  expectEvents?: boolean;
}

/** Waits until nothing is pending: payments decided, refunds processed, webhooks delivered. */
export async function waitUntilSettled(db: Queryable, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await db.query<{ open: number }>(`SELECT
          (SELECT count(*) FROM payments WHERE status = 'pending')
        + (SELECT count(*) FROM refunds WHERE status = 'pending')
        + (SELECT count(*) FROM webhook_logs WHERE status = 'pending') AS open`);
      return Number(rows[0]?.open) === 0;
    },
    timeoutMs,
    500,
  ).catch(async (err: Error) => {
    const open = await openWork(db);
    throw new Error(`${err.message}; still open: ${JSON.stringify(open)}`);
  });
}

async function openWork(db: Queryable) {
  const { rows } =
    await db.query(`SELECT 'payment' AS kind, id::text, status, null AS detail FROM payments WHERE status = 'pending'
    UNION ALL SELECT 'refund', id, status, null FROM refunds WHERE status = 'pending'
    UNION ALL SELECT 'webhook', id::text, status, attempts || ' attempts, next ' || coalesce(next_retry_at::text, '-')
      || ', lease ' || coalesce(lease_until::text, '-') FROM webhook_logs WHERE status = 'pending'
    LIMIT 20`);
  return rows;
}

export async function findViolations(input: InvariantInput): Promise<string[]> {
  const violations: string[] = [];
  const add = (lines: string[]) => violations.push(...lines);
  add(await paymentViolations(input.db, input.expectEvents ?? true));
  add(await orderViolations(input.db));
  add(await refundViolations(input.db, input.expectEvents ?? true));
  add(await webhookViolations(input.db));
  add(await fanOutViolations(input.db));
  add(await halfWrittenKeys(input.db));
  if (input.load) add(await ledgerViolations(input.db, [input.load].flat()));
  if (input.sink) add(await deliveryViolations(input.db, input.sink));
  return violations;
}

async function paymentViolations(db: Queryable, expectEvents: boolean): Promise<string[]> {
  const { rows } = await db.query<{
    id: string;
    status: string;
    created: number;
    pending: number;
    success: number;
    failed: number;
  }>(`SELECT p.id, p.status,
        count(e.id) FILTER (WHERE e.type = 'payment.created')::int AS created,
        count(e.id) FILTER (WHERE e.type = 'payment.pending')::int AS pending,
        count(e.id) FILTER (WHERE e.type = 'payment.success')::int AS success,
        count(e.id) FILTER (WHERE e.type = 'payment.failed')::int AS failed
      FROM payments p LEFT JOIN events e ON e.resource_id = p.id AND e.merchant_id = p.merchant_id
      GROUP BY p.id, p.status`);
  const out: string[] = [];
  for (const p of rows) {
    if (p.status === 'pending') out.push(`payment ${p.id} never decided`);
    if (!expectEvents) continue;
    if (p.created !== 1 || p.pending !== 1) {
      out.push(`payment ${p.id} has ${p.created} payment.created and ${p.pending} payment.pending events`);
    }
    const outcomes = p.success + p.failed;
    const matching = p.status === 'success' ? p.success : p.failed;
    if (p.status !== 'pending' && (outcomes !== 1 || matching !== 1)) {
      out.push(
        `payment ${p.id} (${p.status}) decided ${outcomes} times: ${p.success} success, ${p.failed} failed`,
      );
    }
  }
  return out;
}

async function orderViolations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string; status: string; successes: number }>(`
    SELECT o.id, o.status, count(p.id) FILTER (WHERE p.status = 'success')::int AS successes
    FROM orders o LEFT JOIN payments p ON p.order_id = o.id GROUP BY o.id, o.status`);
  const out: string[] = [];
  for (const o of rows) {
    if (o.successes > 1) out.push(`order ${o.id} paid ${o.successes} times`);
    if ((o.status === 'paid') !== (o.successes === 1)) {
      out.push(`order ${o.id} is ${o.status} with ${o.successes} successful payments`);
    }
  }
  return out;
}

async function refundViolations(db: Queryable, expectEvents: boolean): Promise<string[]> {
  const out: string[] = [];
  const refunds = await db.query<{
    id: string;
    status: string;
    processed_at: Date | null;
    created: number;
    processed: number;
  }>(`
    SELECT r.id, r.status, r.processed_at,
      count(e.id) FILTER (WHERE e.type = 'refund.created')::int AS created,
      count(e.id) FILTER (WHERE e.type = 'refund.processed')::int AS processed
    FROM refunds r LEFT JOIN events e ON e.resource_id = r.id AND e.merchant_id = r.merchant_id
    GROUP BY r.id`);
  for (const r of refunds.rows) {
    if (r.status !== 'processed' || !r.processed_at) out.push(`refund ${r.id} is ${r.status}`);
    if (expectEvents && (r.created !== 1 || r.processed !== (r.status === 'processed' ? 1 : 0))) {
      out.push(`refund ${r.id} has ${r.created} refund.created and ${r.processed} refund.processed events`);
    }
  }
  const balances = await db.query<{ id: string; amount: number; amount_refunded: number; refunded: number }>(`
    SELECT p.id, p.amount, p.amount_refunded, coalesce(sum(r.amount), 0)::bigint AS refunded
    FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id GROUP BY p.id`);
  for (const b of balances.rows) {
    if (Number(b.refunded) !== Number(b.amount_refunded) || Number(b.refunded) > Number(b.amount)) {
      out.push(
        `payment ${b.id}: amount ${b.amount}, amount_refunded ${b.amount_refunded}, refunds sum ${b.refunded}`,
      );
    }
  }
  return out;
}

async function webhookViolations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{
    id: string;
    event: string;
    status: string;
    attempts: number;
    recorded: number;
  }>(`
    SELECT l.id, l.event, l.status, l.attempts,
      (SELECT count(*) FROM webhook_attempts a WHERE a.webhook_log_id = l.id AND a.generation = l.generation)::int AS recorded
    FROM webhook_logs l`);
  const out: string[] = [];
  for (const l of rows) {
    if (l.status !== 'success')
      out.push(`webhook ${l.id} (${l.event}) is ${l.status} after ${l.attempts} attempts`);
    if (l.recorded !== l.attempts)
      out.push(`webhook ${l.id} counts ${l.attempts} attempts but ${l.recorded} are recorded`);
  }
  return out;
}

/**
 * Each event went to each endpoint that selects it exactly once (endpoints do not change during a
 * fault run), and to no other.
 */
async function fanOutViolations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{
    event_id: string;
    endpoint_id: string;
    deliveries: number;
    selects: boolean;
  }>(`
    SELECT e.id AS event_id, we.id AS endpoint_id,
           (SELECT count(*) FROM webhook_logs l WHERE l.event_id = e.id AND l.endpoint_id = we.id)::int AS deliveries,
           (we.status = 'enabled' AND we.deleted_at IS NULL
            AND we.enabled_events && ARRAY['*', e.type, split_part(e.type, '.', 1) || '.*']) AS selects
    FROM events e JOIN webhook_endpoints we ON we.merchant_id = e.merchant_id
    WHERE e.type <> 'webhook.test'`);
  return rows
    .filter((r) => r.deliveries !== (r.selects ? 1 : 0))
    .map((r) => `event ${r.event_id} has ${r.deliveries} deliveries to endpoint ${r.endpoint_id}`);
}

async function halfWrittenKeys(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>(
    "SELECT key FROM idempotency_keys WHERE coalesce((response->>'status')::int, 0) NOT BETWEEN 200 AND 299",
  );
  return rows.map((r) => `idempotency key ${r.key} holds no successful answer`);
}

/** The database holds exactly what the client was told was created: nothing lost, nothing extra. */
async function ledgerViolations(db: Queryable, loads: PaymentLoad[]): Promise<string[]> {
  const out: string[] = [];
  const compare = async (what: string, sql: string, told: Iterable<string>) => {
    const { rows } = await db.query<{ id: string }>(sql);
    const stored = new Set(rows.map((r) => r.id));
    const answered = new Set(told);
    for (const id of answered)
      if (!stored.has(id)) out.push(`${what} ${id} was answered 201 but is not stored`);
    for (const id of stored)
      if (!answered.has(id)) out.push(`${what} ${id} is stored but was never answered`);
  };
  await compare(
    'order',
    'SELECT id FROM orders',
    loads.flatMap((load) => [...load.orders.keys()]),
  );
  await compare(
    'payment',
    'SELECT id FROM payments',
    loads.flatMap((load) => [...load.payments.keys()]),
  );
  await compare(
    'refund',
    'SELECT id FROM refunds',
    loads.flatMap((load) => [...load.refunds.keys()]),
  );
  for (const step of loads.flatMap((load) => load.abandoned)) out.push(`client gave up on ${step}`);
  return out;
}

/**
 * Every event reached the merchant at least once, always with its log id in X-Webhook-Id, the exact
 * stored body and a valid signature, whichever worker (or which attempt after a crash) sent it.
 */
async function deliveryViolations(db: Queryable, sink: WebhookSink): Promise<string[]> {
  const { rows } = await db.query<{ id: string; event: string; payload: string; secret: string }>(`
    SELECT l.id, l.event, l.payload::text AS payload,
           (SELECT s.secret FROM webhook_endpoint_secrets s WHERE s.endpoint_id = l.endpoint_id AND s.expires_at IS NULL) AS secret
    FROM webhook_logs l`);
  const logs = new Map(rows.map((r) => [r.id, r]));
  const received = new Map<string, number>();
  const out: string[] = [];
  for (const req of sink.requests) {
    const id = String(req.headers['x-webhook-id']);
    const log = logs.get(id);
    received.set(id, (received.get(id) ?? 0) + 1);
    if (!log) {
      out.push(`delivery with unknown X-Webhook-Id ${id}`);
      continue;
    }
    if (req.body !== log.payload) out.push(`delivery of ${id} carried a body other than the stored one`);
    if (req.headers['x-webhook-event'] !== log.event) out.push(`delivery of ${id} named the wrong event`);
    if (req.headers['x-webhook-signature'] !== hexSignature(log.secret, req.body)) {
      out.push(`delivery of ${id} had an invalid signature`);
    }
  }
  for (const id of logs.keys()) if (!received.has(id)) out.push(`webhook ${id} never reached the merchant`);
  return out;
}

export interface RunSummary {
  payments: number;
  succeeded: number;
  failed: number;
  refunds: number;
  webhooks: number;
  deliveries: number;
  /** Deliveries beyond the first of each event (at-least-once in action). */
  redeliveries: number;
  /** Attempts the merchant received more than once: a worker died after sending, before recording. */
  repeatedAttempts: number;
}

export async function summarise(db: Queryable, sink?: WebhookSink): Promise<RunSummary> {
  const { rows } = await db.query<Record<string, number>>(`SELECT
      (SELECT count(*) FROM payments)::int AS payments,
      (SELECT count(*) FROM payments WHERE status = 'success')::int AS succeeded,
      (SELECT count(*) FROM payments WHERE status = 'failed')::int AS failed,
      (SELECT count(*) FROM refunds)::int AS refunds,
      (SELECT count(*) FROM webhook_logs)::int AS webhooks`);
  const counts = rows[0] ?? {};
  const attempts = new Map<string, number>();
  for (const req of sink?.requests ?? []) {
    const key = `${req.headers['x-webhook-id']}#${req.headers['x-webhook-attempt']}`;
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
  }
  const distinctIds = new Set((sink?.requests ?? []).map((r) => r.headers['x-webhook-id'])).size;
  return {
    payments: counts.payments ?? 0,
    succeeded: counts.succeeded ?? 0,
    failed: counts.failed ?? 0,
    refunds: counts.refunds ?? 0,
    webhooks: counts.webhooks ?? 0,
    deliveries: sink?.requests.length ?? 0,
    redeliveries: (sink?.requests.length ?? 0) - distinctIds,
    repeatedAttempts: [...attempts.values()].filter((n) => n > 1).length,
  };
}
