import type { OrderRecord } from '../domain/records.js';
import type { Queryable } from './pool.js';

const COLUMNS = 'id, merchant_id, amount, currency, receipt, notes, status, created_at, updated_at';

/** False when the id is already taken. */
export async function insertOrder(db: Queryable, order: OrderRecord): Promise<boolean> {
  const result = await db.query({
    name: 'order-insert',
    text: `INSERT INTO orders (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    values: [
      order.id,
      order.merchant_id,
      order.amount,
      order.currency,
      order.receipt,
      JSON.stringify(order.notes),
      order.status,
      order.created_at,
      order.updated_at,
    ],
  });
  return result.rowCount === 1;
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
