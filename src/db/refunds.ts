import type { RefundRecord } from '../domain/records.js';
import { announceDeliveries } from './delivery-announcements.js';
import { eventColumns, eventsOfChanged, type NewEvent, recordEvents } from './events.js';
import { claimColumns, claimInsert, type IdempotencyClaim, rethrowKeyTaken } from './idempotency.js';
import type { Queryable } from './pool.js';

const COLUMNS =
  'id, payment_id, merchant_id, amount, reason, status, process_after, created_at, processed_at, updated_at';

export type InsertRefundResult =
  | { kind: 'inserted' }
  | { kind: 'payment-not-found' | 'payment-not-refundable' | 'exceeds-available' | 'id-taken' };

/**
 * Reserves the amount on the payment and inserts the refund with its event and Idempotency-Key
 * claim in one statement. The reservation is a guarded UPDATE: concurrent refunds serialise on the
 * payment row and each re-checks the balance after the one before it committed, so together they
 * can never exceed the amount. Throws IdempotencyKeyTaken when the claimed key exists.
 */
export async function insertRefund(
  db: Queryable,
  refund: RefundRecord,
  events: NewEvent[],
  claim?: IdempotencyClaim,
): Promise<InsertRefundResult> {
  const claims = claim ? [{ resourceId: refund.id, claim }] : [];
  const result = await db
    .query<{ inserted: number; payment_status: string | null; id_taken: boolean }>({
      name: 'refund-insert',
      text: `WITH reserved AS (
          UPDATE payments SET amount_refunded = amount_refunded + $3, updated_at = $6
          WHERE id = $2 AND merchant_id = $4 AND status = 'success' AND amount - amount_refunded >= $3
            AND NOT EXISTS (SELECT 1 FROM refunds WHERE id = $1)
          RETURNING id, merchant_id
        ), changed AS (
          INSERT INTO refunds (id, payment_id, merchant_id, amount, reason, status, process_after, created_at, updated_at)
          SELECT $1, reserved.id, reserved.merchant_id, $3, $5, 'pending', $7, $6, $6 FROM reserved
          RETURNING merchant_id, id AS resource_id
        ), ${recordEvents(eventsOfChanged(8, 6))},
        claimed AS (${claimInsert(12, 'changed')})
        SELECT (SELECT count(*) FROM changed)::int AS inserted,
               (SELECT status FROM payments WHERE id = $2 AND merchant_id = $4) AS payment_status,
               EXISTS (SELECT 1 FROM refunds WHERE id = $1) AS id_taken`,
      values: [
        refund.id,
        refund.payment_id,
        refund.amount,
        refund.merchant_id,
        refund.reason,
        refund.created_at,
        refund.process_after,
        ...eventColumns(events),
        ...claimColumns(claims),
      ],
    })
    .catch(rethrowKeyTaken);
  const row = result.rows[0];
  if (row && row.inserted === 1) {
    await announceDeliveries(db);
    return { kind: 'inserted' };
  }
  if (!row?.payment_status) return { kind: 'payment-not-found' };
  if (row.payment_status !== 'success') return { kind: 'payment-not-refundable' };
  return { kind: row.id_taken ? 'id-taken' : 'exceeds-available' };
}

export async function findRefund(
  db: Queryable,
  id: string,
  merchantId?: string,
): Promise<RefundRecord | null> {
  const result =
    merchantId === undefined
      ? await db.query<RefundRecord>({
          name: 'refund-find-any',
          text: `SELECT ${COLUMNS} FROM refunds WHERE id = $1`,
          values: [id],
        })
      : await db.query<RefundRecord>({
          name: 'refund-find',
          text: `SELECT ${COLUMNS} FROM refunds WHERE id = $1 AND merchant_id = $2`,
          values: [id, merchantId],
        });
  return result.rows[0] ?? null;
}

export async function listRefundsOfPayment(
  db: Queryable,
  paymentId: string,
  merchantId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: RefundRecord[]; total: number }> {
  const [rows, count] = await Promise.all([
    db.query<RefundRecord>({
      name: 'refund-list-of-payment',
      text: `SELECT ${COLUMNS} FROM refunds WHERE payment_id = $1 AND merchant_id = $2
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
      values: [paymentId, merchantId, page.limit, page.offset],
    }),
    db.query<{ total: number }>({
      name: 'refund-count-of-payment',
      text: 'SELECT count(*)::int AS total FROM refunds WHERE payment_id = $1 AND merchant_id = $2',
      values: [paymentId, merchantId],
    }),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.total ?? 0 };
}

/** Marks a pending refund processed, exactly once, with its event. */
export async function markRefundProcessed(
  db: Queryable,
  id: string,
  now: Date,
  events: NewEvent[],
): Promise<boolean> {
  const result = await db.query<{ processed: number }>({
    name: 'refund-process',
    text: `WITH changed AS (
        UPDATE refunds SET status = 'processed', processed_at = $2, updated_at = $2
        WHERE id = $1 AND status = 'pending'
        RETURNING merchant_id, id AS resource_id
      ), ${recordEvents(eventsOfChanged(3, 2))}
      SELECT (SELECT count(*) FROM changed)::int AS processed`,
    values: [id, now, ...eventColumns(events)],
  });
  const processed = (result.rows[0]?.processed ?? 0) > 0;
  if (processed) await announceDeliveries(db);
  return processed;
}

export async function overdueRefunds(db: Queryable, before: Date, limit: number): Promise<string[]> {
  const result = await db.query<{ id: string }>({
    name: 'refund-overdue',
    text: `SELECT id FROM refunds WHERE status = 'pending' AND process_after < $1 ORDER BY process_after LIMIT $2`,
    values: [before, limit],
  });
  return result.rows.map((row) => row.id);
}
