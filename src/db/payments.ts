import type { PaymentRecord, PaymentStatus } from '../domain/records.js';
import type { PaymentOutcome } from '../domain/simulation.js';
import { eventColumns, eventInsert, type PendingEvent } from './events.js';
import type { Queryable } from './pool.js';

const COLUMNS = `id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4, status, captured,
  amount_refunded, error_code, error_description, test_decline, process_after, created_at, updated_at`;

export type InsertPaymentResult = { webhookIds: string[] } | 'order-paid' | 'collision';

/**
 * Inserts a pending payment and its events in one statement, provided the order is still unpaid.
 * Returns the ids of the webhook logs written, 'order-paid' when the order was paid in the meantime,
 * or 'collision' when the payment id is taken.
 */
export async function insertPayment(
  db: Queryable,
  payment: PaymentRecord,
  events: PendingEvent[],
): Promise<InsertPaymentResult> {
  const result = await db.query<{ inserted: number; order_status: string; webhook_ids: string[] }>({
    name: 'payment-insert',
    text: `WITH changed AS (
        INSERT INTO payments (id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4,
                              test_decline, process_after, created_at, updated_at)
        SELECT $1, o.id, o.merchant_id, o.amount, o.currency, $3, $4, $5, $6, $7, $8, $9, $9
        FROM orders o WHERE o.id = $2 AND o.status = 'created'
        ON CONFLICT (id) DO NOTHING
        RETURNING merchant_id, id AS resource_id
      ), logged AS (${eventInsert(10, 11, 12, 9)})
      SELECT (SELECT count(*) FROM changed)::int AS inserted,
             (SELECT status FROM orders WHERE id = $2) AS order_status,
             array(SELECT id FROM logged) AS webhook_ids`,
    values: [
      payment.id,
      payment.order_id,
      payment.method,
      payment.vpa,
      payment.card_network,
      payment.card_last4,
      payment.test_decline,
      payment.process_after,
      payment.created_at,
      ...eventColumns(events),
    ],
  });
  const row = result.rows[0];
  if (row && row.inserted === 1) return { webhookIds: row.webhook_ids };
  return row?.order_status === 'created' ? 'collision' : 'order-paid';
}

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

/**
 * Decides a pending payment exactly once: the status guard makes a redelivered job a no-op. Marks the
 * order paid on success and writes the outcome event, all in one statement.
 */
export async function decidePayment(
  db: Queryable,
  id: string,
  outcome: PaymentOutcome,
  now: Date,
  events: PendingEvent[],
): Promise<{ webhookIds: string[] } | null> {
  const errorCode = outcome.status === 'failed' ? outcome.error_code : null;
  const errorDescription = outcome.status === 'failed' ? outcome.error_description : null;
  const result = await db.query<{ decided: number; webhook_ids: string[] }>({
    name: 'payment-decide',
    text: `WITH changed AS (
        UPDATE payments SET status = $2, error_code = $3, error_description = $4, updated_at = $5
        WHERE id = $1 AND status = 'pending'
        RETURNING merchant_id, id AS resource_id, order_id, status
      ), paid AS (
        UPDATE orders SET status = 'paid', updated_at = $5
        FROM changed WHERE orders.id = changed.order_id AND changed.status = 'success' AND orders.status <> 'paid'
        RETURNING orders.id
      ), logged AS (${eventInsert(6, 7, 8, 5)})
      SELECT (SELECT count(*) FROM changed)::int AS decided, (SELECT count(*) FROM paid)::int AS paid,
             array(SELECT id FROM logged) AS webhook_ids`,
    values: [id, outcome.status, errorCode, errorDescription, now, ...eventColumns(events)],
  });
  const row = result.rows[0];
  if (!row || row.decided === 0) return null;
  return { webhookIds: row.webhook_ids };
}

/** Marks a successful, uncaptured payment of exactly this amount captured; null when it is not. */
export async function capturePayment(
  db: Queryable,
  id: string,
  merchantId: string,
  amount: number,
  now: Date,
): Promise<PaymentRecord | null> {
  const result = await db.query<PaymentRecord>({
    name: 'payment-capture',
    text: `UPDATE payments SET captured = true, updated_at = $4
           WHERE id = $1 AND merchant_id = $2 AND amount = $3 AND status = 'success' AND NOT captured
           RETURNING ${COLUMNS}`,
    values: [id, merchantId, amount, now],
  });
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
