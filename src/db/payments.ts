import type { PaymentRecord, PaymentStatus } from '../domain/records.js';
import type { PaymentOutcome } from '../domain/simulation.js';
import { batched } from './batched.js';
import { announceDeliveries } from './delivery-announcements.js';
import { eventColumns, eventsOfChanged, type NewEvent, recordEvents } from './events.js';
import {
  type ClaimFor,
  claimColumns,
  claimInsert,
  type IdempotencyClaim,
  rethrowKeyTaken,
} from './idempotency.js';
import type { Pool, Queryable } from './pool.js';

const COLUMNS = `id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4, status, captured,
  amount_refunded, error_code, error_description, test_outcome, process_after, created_at, updated_at`;

export interface NewPayment {
  /** Complete, terms included: the caller read the order, and the insert checks it still holds. */
  payment: PaymentRecord;
  events: NewEvent[];
  claim?: IdempotencyClaim;
}

export type InsertPaymentResult =
  | { kind: 'inserted' }
  /** The order was paid, or its merchant deactivated, after the caller read it. */
  | { kind: 'order-unavailable' }
  | { kind: 'id-taken' };

/**
 * Inserts pending payments with their events and Idempotency-Key claims, in one statement. A
 * payment is inserted only while its order is unpaid, on the same terms, and its merchant active.
 * Throws IdempotencyKeyTaken when a claimed key exists.
 */
async function insertPayments(db: Queryable, batch: NewPayment[]): Promise<InsertPaymentResult[]> {
  const payments = batch.map((b) => b.payment);
  const claims = batch.flatMap((b): ClaimFor[] =>
    b.claim ? [{ resourceId: b.payment.id, claim: b.claim }] : [],
  );
  const result = await db
    .query<{ id: string; inserted: boolean; id_taken: boolean }>({
      name: 'payment-insert',
      text: `WITH input AS (
          SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                               $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[])
            AS i(id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4, test_outcome,
                 process_after, created_at)
        ), changed AS (
          INSERT INTO payments (id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4,
                                test_outcome, process_after, created_at, updated_at)
          SELECT i.id, i.order_id, i.merchant_id, i.amount, i.currency, i.method, i.vpa, i.card_network, i.card_last4,
                 i.test_outcome, i.process_after, i.created_at, i.created_at
          FROM input i
          -- The order is found by its id alone (OFFSET 0 keeps the lookup from being merged into the
          -- join): offered the merchant too, a planner without statistics on a young orders table walks
          -- all of the merchant's orders through orders_merchant_created for each payment.
          CROSS JOIN LATERAL (SELECT merchant_id, status, amount, currency FROM orders WHERE id = i.order_id OFFSET 0) o
          JOIN merchants m ON m.id = o.merchant_id AND m.is_active
          WHERE o.merchant_id = i.merchant_id AND o.status = 'created' AND o.amount = i.amount AND o.currency = i.currency
          ON CONFLICT (id) DO NOTHING
          RETURNING merchant_id, id AS resource_id, created_at AS at
        ), ${recordEvents(eventsOfChanged(13, 'changed.at'))},
        claimed AS (${claimInsert(17, 'changed')})
        SELECT i.id, (c.resource_id IS NOT NULL) AS inserted, EXISTS (SELECT 1 FROM payments p WHERE p.id = i.id) AS id_taken
        FROM input i LEFT JOIN changed c ON c.resource_id = i.id`,
      values: [
        payments.map((p) => p.id),
        payments.map((p) => p.order_id),
        payments.map((p) => p.merchant_id),
        payments.map((p) => p.amount),
        payments.map((p) => p.currency),
        payments.map((p) => p.method),
        payments.map((p) => p.vpa),
        payments.map((p) => p.card_network),
        payments.map((p) => p.card_last4),
        payments.map((p) => p.test_outcome),
        payments.map((p) => p.process_after),
        payments.map((p) => p.created_at),
        ...eventColumns(batch.flatMap((b) => b.events)),
        ...claimColumns(claims),
      ],
    })
    .catch(rethrowKeyTaken);
  if (result.rows.some((row) => row.inserted)) await announceDeliveries(db);
  const byId = new Map(result.rows.map((row) => [row.id, row]));
  return payments.map((p): InsertPaymentResult => {
    const row = byId.get(p.id);
    if (row?.inserted) return { kind: 'inserted' };
    return row?.id_taken ? { kind: 'id-taken' } : { kind: 'order-unavailable' };
  });
}

export const insertPayment: (db: Pool, item: NewPayment) => Promise<InsertPaymentResult> = batched(
  'payment-insert',
  insertPayments,
);

export async function findPayment(
  db: Queryable,
  id: string,
  merchantId?: string,
): Promise<PaymentRecord | null> {
  const result =
    merchantId === undefined
      ? await db.query<PaymentRecord>({
          name: 'payment-find-any',
          text: `SELECT ${COLUMNS} FROM payments WHERE id = $1`,
          values: [id],
        })
      : await db.query<PaymentRecord>({
          name: 'payment-find',
          text: `SELECT ${COLUMNS} FROM payments WHERE id = $1 AND merchant_id = $2`,
          values: [id, merchantId],
        });
  return result.rows[0] ?? null;
}

export interface ListQuery {
  status?: PaymentStatus;
  limit: number;
  offset: number;
}

export async function listPayments(
  db: Queryable,
  merchantId: string,
  query: ListQuery,
): Promise<{ rows: PaymentRecord[]; total: number }> {
  const filter = query.status === undefined ? 'merchant_id = $1' : 'merchant_id = $1 AND status = $2';
  const filterValues = query.status === undefined ? [merchantId] : [merchantId, query.status];
  const n = filterValues.length;
  const [page, count] = await Promise.all([
    db.query<PaymentRecord>({
      name: `payment-list-${n}`,
      text: `SELECT ${COLUMNS} FROM payments WHERE ${filter}
             ORDER BY created_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [...filterValues, query.limit, query.offset],
    }),
    db.query<{ total: number }>({
      name: `payment-count-${n}`,
      text: `SELECT count(*)::int AS total FROM payments WHERE ${filter}`,
      values: filterValues,
    }),
  ]);
  return { rows: page.rows, total: count.rows[0]?.total ?? 0 };
}

export async function findPayments(db: Queryable, ids: string[]): Promise<Array<PaymentRecord | null>> {
  const result = await db.query<PaymentRecord>({
    name: 'payment-find-many',
    text: `SELECT ${COLUMNS} FROM payments WHERE id = ANY($1::text[])`,
    values: [ids],
  });
  const byId = new Map(result.rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface Decision {
  id: string;
  /** Id of the event recording the outcome, whichever it is. */
  eventId: string;
  /** What the bank said. A success still needs the order: see decidePayments. */
  outcome: PaymentOutcome;
  at: Date;
  /** Webhook payload if the payment ends successful (only when the outcome is a success). */
  successPayload: string | null;
  /** Webhook payload if it ends failed: the outcome's failure, or ORDER_ALREADY_PAID for a success. */
  failedPayload: string;
  /** ORDER_ALREADY_PAID, for a success that finds its order paid (unused for a failed outcome). */
  orderPaidOutcome: Extract<PaymentOutcome, { status: 'failed' }>;
}

export interface Decided {
  status: 'success' | 'failed';
}

/**
 * Decides pending payments exactly once, many in one statement, and with them the one success an
 * order may have. A payment is locked while pending (a redelivered job finds it decided and does
 * nothing). A success is kept only for the payment that flips its order from created to paid in
 * this very statement; every other success (a second one for the same order in the batch, or one
 * whose order another payment paid first, concurrently or before) ends failed with
 * ORDER_ALREADY_PAID. Concurrent statements serialise on the order row, so this holds across any
 * number of workers. Rows are locked in id order, payments before orders, so batches cannot deadlock.
 * The outcome's event is written in the same statement. Returns, per decision, how the payment
 * ended, or null when it was already decided.
 */
export async function decidePayments(db: Queryable, decisions: Decision[]): Promise<Array<Decided | null>> {
  const failure = (d: Decision) => (d.outcome.status === 'failed' ? d.outcome : d.orderPaidOutcome);
  const result = await db.query<{ id: string; status: 'success' | 'failed' }>({
    name: 'payment-decide',
    text: `WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                             $8::text[])
          AS i(id, status, error_code, error_description, at, success_payload, failed_payload, event_id)
      ), pending AS (
        SELECT p.id, p.order_id, p.merchant_id, i.status, i.error_code, i.error_description, i.at,
               i.success_payload, i.failed_payload, i.event_id
        FROM payments p JOIN input i ON i.id = p.id
        WHERE p.status = 'pending'
        ORDER BY p.id
        FOR UPDATE OF p
      ), candidates AS (
        SELECT DISTINCT ON (order_id) id, order_id, at FROM pending WHERE status = 'success' ORDER BY order_id, id
      ), locked_orders AS (
        SELECT o.id FROM orders o WHERE o.id IN (SELECT order_id FROM candidates) ORDER BY o.id FOR UPDATE
      ), paid AS (
        UPDATE orders o SET status = 'paid', updated_at = c.at
        FROM candidates c
        WHERE o.id = c.order_id AND o.status = 'created' AND o.id IN (SELECT id FROM locked_orders)
        RETURNING c.id AS payment_id
      ), changed AS (
        UPDATE payments p
        SET status = CASE WHEN paid.payment_id IS NOT NULL THEN 'success' ELSE 'failed' END,
            error_code = CASE WHEN paid.payment_id IS NOT NULL THEN NULL ELSE pe.error_code END,
            error_description = CASE WHEN paid.payment_id IS NOT NULL THEN NULL ELSE pe.error_description END,
            updated_at = pe.at
        FROM pending pe LEFT JOIN paid ON paid.payment_id = pe.id
        WHERE p.id = pe.id
        RETURNING p.id, p.merchant_id, p.status, pe.at, pe.event_id,
                  CASE WHEN p.status = 'success' THEN pe.success_payload ELSE pe.failed_payload END AS payload
      ), ${recordEvents(`SELECT c.event_id, c.merchant_id, c.id AS resource_id, 'payment.' || c.status AS type,
                                c.payload, c.at, row_number() OVER (ORDER BY c.id) AS n FROM changed c`)}
      SELECT c.id, c.status FROM changed c`,
    values: [
      decisions.map((d) => d.id),
      decisions.map((d) => d.outcome.status),
      decisions.map((d) => failure(d).error_code),
      decisions.map((d) => failure(d).error_description),
      decisions.map((d) => d.at),
      decisions.map((d) => d.successPayload),
      decisions.map((d) => d.failedPayload),
      decisions.map((d) => d.eventId),
    ],
  });
  if (result.rows.length > 0) await announceDeliveries(db);
  const decided = new Map(result.rows.map((row) => [row.id, { status: row.status }]));
  return decisions.map((d) => decided.get(d.id) ?? null);
}

/**
 * Marks a successful, uncaptured, unrefunded payment of exactly this amount captured, storing the
 * Idempotency-Key claim with it; null when the payment is not (or no longer) in that state.
 */
export async function capturePayment(
  db: Queryable,
  capture: { id: string; merchantId: string; amount: number; at: Date; claim?: IdempotencyClaim },
): Promise<PaymentRecord | null> {
  const claims = capture.claim ? [{ resourceId: capture.id, claim: capture.claim }] : [];
  const result = await db
    .query<PaymentRecord>({
      name: 'payment-capture',
      text: `WITH changed AS (
          UPDATE payments SET captured = true, updated_at = $4
          WHERE id = $1 AND merchant_id = $2 AND amount = $3 AND status = 'success' AND NOT captured
            AND amount_refunded = 0
          RETURNING ${COLUMNS}, id AS resource_id
        ), claimed AS (${claimInsert(5, 'changed')})
        SELECT ${COLUMNS} FROM changed`,
      values: [capture.id, capture.merchantId, capture.amount, capture.at, ...claimColumns(claims)],
    })
    .catch(rethrowKeyTaken);
  return result.rows[0] ?? null;
}

/** Pending payments whose processing is overdue: their job may have been lost with Redis. */
export async function overduePayments(db: Queryable, before: Date, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>({
    name: 'payment-overdue',
    text: `SELECT id FROM payments WHERE status = 'pending' AND process_after < $1 ORDER BY process_after LIMIT $2`,
    values: [before, limit],
  });
  return result.rows.map((row) => row.id);
}
