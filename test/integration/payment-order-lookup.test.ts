import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPayment } from '../../src/db/payments.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { newId } from '../../src/domain/ids.js';
import type { PaymentRecord } from '../../src/domain/records.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * What inserting a payment reads of the orders table: its own order, by id, however many orders its
 * merchant has and whether or not the table has statistics yet (a young database has none until
 * autovacuum first analyses it, and a plan chosen without them is kept by the connection).
 */
let gw: TestGateway;
/** One connection, so the statistics its statements leave can be flushed on demand. */
let pool: pg.Pool;

const MERCHANT_ORDERS = 2000;
const PAYMENTS = 10;

beforeAll(async () => {
  gw = await startTestGateway();
  pool = new pg.Pool({ connectionString: gw.config.DATABASE_URL, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await gw?.close();
});

async function tuplesRead(index: string): Promise<number> {
  await gw.runtime.db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await gw.runtime.db.query<{ n: string }>(
    'SELECT idx_tup_read AS n FROM pg_stat_user_indexes WHERE indexrelname = $1',
    [index],
  );
  return Number(rows[0]?.n ?? 0);
}

function pendingPayment(orderId: string): PaymentRecord {
  const now = new Date();
  return {
    id: newId('payment'),
    order_id: orderId,
    merchant_id: TEST_MERCHANT.id,
    amount: 50000,
    currency: 'INR',
    method: 'upi',
    vpa: 'user@bank',
    card_network: null,
    card_last4: null,
    status: 'pending',
    captured: false,
    amount_refunded: 0,
    error_code: null,
    error_description: null,
    test_outcome: null,
    process_after: now,
    created_at: now,
    updated_at: now,
  };
}

describe('the order a new payment pays', () => {
  it('is read by its id, not by walking its merchant’s orders, on a table without statistics', async () => {
    const db = gw.runtime.db;
    // No statistics, as in a database younger than autovacuum's first look at it.
    await db.query('ALTER TABLE orders SET (autovacuum_enabled = false)');
    const { rows: ids } = await db.query<{ id: string }>(
      `INSERT INTO orders (id, merchant_id, amount, currency, created_at, updated_at)
       SELECT 'order_lookup' || lpad(n::text, 10, '0'), $1, 50000, 'INR', now(), now()
       FROM generate_series(1, $2) AS n RETURNING id`,
      [TEST_MERCHANT.id, MERCHANT_ORDERS],
    );
    const { rows: analysed } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = 'orders'`,
    );
    expect(Number(analysed[0]?.n)).toBe(0);

    const before = await tuplesRead('orders_merchant_created');
    const results = [];
    for (const order of ids.slice(0, PAYMENTS)) {
      results.push(await insertPayment(pool, { payment: pendingPayment(order.id), events: [] }));
    }
    // Statistics reach shared memory when the session goes idle once asked to.
    await pool.query('SELECT pg_stat_force_next_flush()');
    await pool.query('SELECT 1');
    const read = (await tuplesRead('orders_merchant_created')) - before;

    expect(results).toEqual(Array.from({ length: PAYMENTS }, () => ({ kind: 'inserted' })));
    // Walking the merchant's orders would read about 2,000 entries per payment.
    expect(read).toBeLessThan(MERCHANT_ORDERS);
  });
});
