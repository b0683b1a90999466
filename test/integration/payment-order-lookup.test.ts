import { describe, expect, it } from 'vitest';
import { insertPayment } from '../../src/db/payments.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { newId } from '../../src/domain/ids.js';
import { pendingUpiPayment } from '../support/records.js';
import { useProbedGateway } from '../support/statistics.js';

/**
 * What inserting a payment reads of the orders table: its own order, by id, however many orders its
 * merchant has and whether or not the table has statistics yet (a young database has none until
 * autovacuum first analyses it, and a plan chosen without them is kept by the connection).
 */
const ctx = useProbedGateway();

const MERCHANT_ORDERS = 2000;
const PAYMENTS = 10;

describe('the order a new payment pays', () => {
  it('is read by its id, not by walking its merchant’s orders, on a table without statistics', async () => {
    const db = ctx.gw.runtime.db;
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

    const before = await ctx.probe.indexTuplesRead('orders_merchant_created');
    const results = [];
    for (const order of ids.slice(0, PAYMENTS)) {
      const payment = pendingUpiPayment(
        {
          id: newId('payment'),
          order_id: order.id,
          merchant_id: TEST_MERCHANT.id,
          amount: 50000,
          currency: 'INR',
          vpa: 'user@bank',
        },
        new Date(),
      );
      results.push(await insertPayment(ctx.probe.pool, { payment, events: [] }));
    }
    await ctx.probe.flush();
    const read = (await ctx.probe.indexTuplesRead('orders_merchant_created')) - before;

    expect(results).toEqual(Array.from({ length: PAYMENTS }, () => ({ kind: 'inserted' })));
    // Walking the merchant's orders would read about 2,000 entries per payment.
    expect(read).toBeLessThan(MERCHANT_ORDERS);
  });
});
