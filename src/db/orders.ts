import type { OrderRecord } from '../domain/records.js';
import { batched } from './batched.js';
import {
  type ClaimFor,
  claimColumns,
  claimInsert,
  type IdempotencyClaim,
  rethrowKeyTaken,
} from './idempotency.js';
import type { Pool, Queryable } from './pool.js';

const COLUMNS = 'id, merchant_id, amount, currency, receipt, notes, status, created_at, updated_at';

export interface NewOrder {
  order: OrderRecord;
  claim?: IdempotencyClaim;
}

export type InsertOrderResult = { kind: 'inserted' } | { kind: 'id-taken' };

/**
 * Inserts orders (with their Idempotency-Key claims) in one statement. Throws IdempotencyKeyTaken
 * when a claimed key exists.
 */
async function insertOrders(db: Queryable, items: NewOrder[]): Promise<InsertOrderResult[]> {
  const orders = items.map((item) => item.order);
  const claims = items.flatMap((item): ClaimFor[] =>
    item.claim ? [{ resourceId: item.order.id, claim: item.claim }] : [],
  );
  const result = await db
    .query<{ id: string }>({
      name: 'order-insert',
      text: `WITH created AS (
          INSERT INTO orders (${COLUMNS})
          SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::text[],
                               $8::timestamptz[], $9::timestamptz[])
          ON CONFLICT (id) DO NOTHING
          RETURNING id AS resource_id
        ), claimed AS (${claimInsert(10, 'created')})
        SELECT resource_id AS id FROM created`,
      values: [
        orders.map((o) => o.id),
        orders.map((o) => o.merchant_id),
        orders.map((o) => o.amount),
        orders.map((o) => o.currency),
        orders.map((o) => o.receipt),
        orders.map((o) => JSON.stringify(o.notes)),
        orders.map((o) => o.status),
        orders.map((o) => o.created_at),
        orders.map((o) => o.updated_at),
        ...claimColumns(claims),
      ],
    })
    .catch(rethrowKeyTaken);
  const inserted = new Set(result.rows.map((row) => row.id));
  return orders.map((o) => (inserted.has(o.id) ? { kind: 'inserted' } : { kind: 'id-taken' }));
}

export const insertOrder: (db: Pool, item: NewOrder) => Promise<InsertOrderResult> = batched(
  'order-insert',
  insertOrders,
);

export async function findOrder(db: Queryable, id: string, merchantId: string): Promise<OrderRecord | null> {
  const result = await db.query<OrderRecord>({
    name: 'order-find',
    text: `SELECT ${COLUMNS} FROM orders WHERE id = $1 AND merchant_id = $2`,
    values: [id, merchantId],
  });
  return result.rows[0] ?? null;
}

export interface OrderForPayment extends OrderRecord {
  merchant_name: string;
  merchant_api_key: string;
  merchant_active: boolean;
}

const FOR_PAYMENT = `SELECT o.id, o.merchant_id, o.amount, o.currency, o.receipt, o.notes, o.status, o.created_at,
       o.updated_at, m.name AS merchant_name, m.api_key AS merchant_api_key, m.is_active AS merchant_active
FROM orders o JOIN merchants m ON m.id = o.merchant_id`;

/** The order with what paying it needs to know about its merchant. */
export async function findOrderForPayment(db: Queryable, id: string): Promise<OrderForPayment | null> {
  const result = await db.query<OrderForPayment>({
    name: 'order-find-for-payment',
    text: `${FOR_PAYMENT} WHERE o.id = $1`,
    values: [id],
  });
  return result.rows[0] ?? null;
}

/** findOrderForPayment for the payments being created at the same moment, in one query. */
export const findOrderToPay: (db: Pool, id: string) => Promise<OrderForPayment | null> = batched(
  'order-find-to-pay',
  async (db, ids: string[]) => {
    const result = await db.query<OrderForPayment>({
      name: 'order-find-to-pay',
      text: `${FOR_PAYMENT} WHERE o.id = ANY($1::text[])`,
      values: [ids],
    });
    const byId = new Map(result.rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  },
);
