import type { OrderRecord } from '../domain/records.js';
import type { Queryable } from './pool.js';

const COLUMNS = 'id, merchant_id, amount, currency, receipt, notes, status, created_at, updated_at';

/** Inserts orders in one statement; per order, false when its id was already taken. */
export async function insertOrders(db: Queryable, orders: OrderRecord[]): Promise<boolean[]> {
  const result = await db.query<{ id: string }>({
    name: 'order-insert',
    text: `INSERT INTO orders (${COLUMNS})
           SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::text[],
                                $8::timestamptz[], $9::timestamptz[])
           ON CONFLICT (id) DO NOTHING
           RETURNING id`,
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
    ],
  });
  const inserted = new Set(result.rows.map((row) => row.id));
  return orders.map((o) => inserted.has(o.id));
}

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
}

/** The order with what paying it needs to know about its merchant. */
export async function findOrderForPayment(db: Queryable, id: string): Promise<OrderForPayment | null> {
  const result = await db.query<OrderForPayment>({
    name: 'order-find-for-payment',
    text: `SELECT o.id, o.merchant_id, o.amount, o.currency, o.receipt, o.notes, o.status, o.created_at,
                  o.updated_at, m.name AS merchant_name, m.api_key AS merchant_api_key
           FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = $1`,
    values: [id],
  });
  return result.rows[0] ?? null;
}
