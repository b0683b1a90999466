import type { PaymentRecord, PaymentStatus } from '../domain/records.js';
import type { PaymentOutcome } from '../domain/simulation.js';
import { eventColumns, eventInsert, type PendingEvent } from './events.js';
import type { Queryable } from './pool.js';

const COLUMNS = `id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4, status, captured,
  amount_refunded, error_code, error_description, test_decline, process_after, created_at, updated_at`;

/**
 * A payment takes its amount and currency from its order, inside the insert itself (no read first).
 * Its event payloads are built by the caller with these placeholder terms, which the statement swaps
 * for the order's; the placeholder text cannot occur elsewhere in a payload (no other field may hold
 * a double quote).
 */
export const ORDER_TERMS_PLACEHOLDER = { amount: 0, currency: 'XXX' } as const;
const PLACEHOLDER_TEXT = JSON.stringify(ORDER_TERMS_PLACEHOLDER).slice(1, -1);

export type InsertPaymentResult =
  | { webhookIds: string[]; amount: number; currency: string }
  | 'order-not-found'
  | 'order-paid'
  | 'collision';

export interface NewPayment {
  payment: PaymentRecord;
  events: PendingEvent[];
}

/**
 * Inserts pending payments for the merchants' unpaid orders, with their events, in one statement:
 * concurrent requests share one statement and one commit, which PostgreSQL's per-statement and
 * per-commit costs make far cheaper than one each. Returns, per payment, the order's terms and the
 * webhook logs written, or why nothing was inserted.
 */
export async function insertPayments(db: Queryable, batch: NewPayment[]): Promise<InsertPaymentResult[]> {
  const payments = batch.map((b) => b.payment);
  const result = await db.query<{
    id: string;
    inserted: boolean;
    amount: number | null;
    currency: string | null;
    order_status: string | null;
    webhook_ids: string[];
  }>({
    name: 'payment-insert',
    text: `WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                             $8::boolean[], $9::timestamptz[], $10::timestamptz[])
          AS i(id, order_id, merchant_id, method, vpa, card_network, card_last4, test_decline, process_after, created_at)
      ), target AS (
        SELECT i.id AS payment_id, o.id, o.merchant_id, o.amount, o.currency, o.status
        FROM input i JOIN orders o ON o.id = i.order_id AND o.merchant_id = i.merchant_id
      ), changed AS (
        INSERT INTO payments (id, order_id, merchant_id, amount, currency, method, vpa, card_network, card_last4,
                              test_decline, process_after, created_at, updated_at)
        SELECT i.id, t.id, t.merchant_id, t.amount, t.currency, i.method, i.vpa, i.card_network, i.card_last4,
               i.test_decline, i.process_after, i.created_at, i.created_at
        FROM input i JOIN target t ON t.payment_id = i.id WHERE t.status = 'created'
        ON CONFLICT (id) DO NOTHING
        RETURNING merchant_id, id AS resource_id, amount, currency, created_at AS at
      ), logged AS (${eventInsert(11, 'changed.at', `replace(e.payload, $15, '"amount":' || changed.amount || ',"currency":' || to_json(changed.currency)::text)`)})
      SELECT i.id, (c.resource_id IS NOT NULL) AS inserted, c.amount, c.currency, t.status AS order_status,
             array(SELECT l.id FROM logged l WHERE l.resource_id = i.id) AS webhook_ids
      FROM input i LEFT JOIN changed c ON c.resource_id = i.id LEFT JOIN target t ON t.payment_id = i.id`,
    values: [
      payments.map((p) => p.id),
      payments.map((p) => p.order_id),
      payments.map((p) => p.merchant_id),
      payments.map((p) => p.method),
      payments.map((p) => p.vpa),
      payments.map((p) => p.card_network),
      payments.map((p) => p.card_last4),
      payments.map((p) => p.test_decline),
      payments.map((p) => p.process_after),
      payments.map((p) => p.created_at),
      ...eventColumns(batch.flatMap((b) => b.events)),
      PLACEHOLDER_TEXT,
    ],
  });
  const byId = new Map(result.rows.map((row) => [row.id, row]));
  return payments.map((p): InsertPaymentResult => {
    const row = byId.get(p.id);
    if (row?.inserted && row.amount !== null && row.currency !== null) {
      return { webhookIds: row.webhook_ids, amount: row.amount, currency: row.currency };
    }
    if (!row?.order_status) return 'order-not-found';
    return row.order_status === 'created' ? 'collision' : 'order-paid';
  });
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
  outcome: PaymentOutcome;
  at: Date;
}

/**
 * Decides pending payments exactly once, many in one statement: the status guard makes a redelivered
 * job a no-op. Marks orders paid on success and writes each outcome event in the same statement.
 * Returns, per decision, the webhook log ids written, or null when the payment was already decided.
 */
export async function decidePayments(
  db: Queryable,
  decisions: Decision[],
  events: PendingEvent[],
): Promise<Array<{ webhookIds: string[] } | null>> {
  const result = await db.query<{ id: string; webhook_ids: string[] }>({
    name: 'payment-decide',
    text: `WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
          AS i(id, status, error_code, error_description, at)
      ), changed AS (
        UPDATE payments p SET status = i.status, error_code = i.error_code, error_description = i.error_description,
                              updated_at = i.at
        FROM input i WHERE p.id = i.id AND p.status = 'pending'
        RETURNING p.merchant_id, p.id AS resource_id, p.order_id, p.status, i.at
      ), paid AS (
        UPDATE orders SET status = 'paid', updated_at = changed.at
        FROM changed WHERE orders.id = changed.order_id AND changed.status = 'success' AND orders.status <> 'paid'
        RETURNING orders.id
      ), logged AS (${eventInsert(6, 'changed.at')})
      SELECT changed.resource_id AS id,
             array(SELECT l.id FROM logged l WHERE l.resource_id = changed.resource_id) AS webhook_ids
      FROM changed`,
    values: [
      decisions.map((d) => d.id),
      decisions.map((d) => d.outcome.status),
      decisions.map((d) => (d.outcome.status === 'failed' ? d.outcome.error_code : null)),
      decisions.map((d) => (d.outcome.status === 'failed' ? d.outcome.error_description : null)),
      decisions.map((d) => d.at),
      ...eventColumns(events),
    ],
  });
  const decided = new Map(result.rows.map((row) => [row.id, { webhookIds: row.webhook_ids }]));
  return decisions.map((d) => decided.get(d.id) ?? null);
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
