import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLINE_DESCRIPTIONS, formatCardNumber, TEST_VALUES } from '../../common/test-values.js';
import { jobId } from '../../src/queue/catalog.js';
import { createOrder, startTestGateway, type TestGateway, VALID_CARD, waitFor } from '../support/gateway.js';

describe('payment worker (test mode, TEST_PROCESSING_DELAY=0)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ workers: true });
  });
  afterAll(() => gw.close());

  const payAndWait = async (body: object) => {
    const order = await createOrder(gw, 2500);
    const created = await gw.request('POST', '/api/v1/payments', { body: { order_id: order.id, ...body } });
    expect(created.status).toBe(201);
    const decided = await waitFor(async () => {
      const res = await gw.request('GET', `/api/v1/payments/${created.body.id}`);
      return res.body.status !== 'pending' && res.body;
    });
    const orderNow = (await gw.request('GET', `/api/v1/orders/${order.id}`)).body;
    return { payment: decided, order: orderNow };
  };

  it('processes a payment through Redis and marks the order paid', async () => {
    const { payment, order } = await payAndWait({ method: 'upi', vpa: 'user@paytm' });
    expect(payment).toMatchObject({ status: 'success', error_code: null });
    expect(order.status).toBe('paid');
    const status = await gw.request('GET', '/api/v1/test/jobs/status');
    expect(status.body).toMatchObject({ worker_status: 'running' });
    expect(status.body.completed).toBeGreaterThanOrEqual(1);
  });

  it('always fails the test VPA and the test card, leaving the order unpaid', async () => {
    for (const body of [
      { method: 'upi', vpa: 'failure@test' },
      { method: 'card', card: { ...VALID_CARD, number: '4000 0000 0000 0002' } },
    ]) {
      const { payment, order } = await payAndWait(body);
      expect(payment).toMatchObject({ status: 'failed', error_code: 'PAYMENT_FAILED' });
      expect(payment.error_description).toEqual(expect.any(String));
      expect(order.status).toBe('created');
    }
  });

  it('ends each test value as its table says, on both endpoints, each decline with its own code', async () => {
    const rows = TEST_VALUES.flatMap((value) => [
      ...value.cards.map((digits) => ({
        value,
        body: { method: 'card', card: { ...VALID_CARD, number: formatCardNumber(digits) } },
      })),
      ...value.vpas.map((vpa) => ({ value, body: { method: 'upi', vpa: vpa.toUpperCase() } })),
    ]);
    for (const { value, body } of rows) {
      for (const path of ['/api/v1/payments', '/api/v1/payments/public']) {
        const order = await createOrder(gw, 2500);
        const created = await gw.request('POST', path, { body: { order_id: order.id, ...body } });
        expect(created.status).toBe(201);
        const payment = await waitFor(async () => {
          const res = await gw.request('GET', `/api/v1/payments/${created.body.id}`);
          return res.body.status !== 'pending' && res.body;
        });
        const expected =
          value.outcome in DECLINE_DESCRIPTIONS
            ? {
                status: 'failed',
                error_code: value.outcome,
                error_description: DECLINE_DESCRIPTIONS[value.outcome as keyof typeof DECLINE_DESCRIPTIONS],
              }
            : { status: 'success', error_code: null };
        expect([path, JSON.stringify(body), payment]).toEqual([
          path,
          JSON.stringify(body),
          expect.objectContaining(expected),
        ]);
      }
    }
  });

  it('never flips a decided payment when its job is delivered again', async () => {
    const { payment } = await payAndWait({ method: 'upi', vpa: 'user@paytm' });
    const before = (await gw.runtime.db.query('SELECT * FROM payments WHERE id = $1', [payment.id])).rows[0];
    // Redeliver: the same job again, with a worker that would now fail every payment.
    await gw.runtime.db.query("UPDATE payments SET test_outcome = 'PAYMENT_FAILED' WHERE id = $1", [
      payment.id,
    ]);
    const queue = gw.runtime.jobs.queues.payments;
    await queue.remove(jobId.payments({ paymentId: payment.id }));
    const job = await queue.add(
      'process-payment',
      { paymentId: payment.id },
      { jobId: jobId.payments({ paymentId: payment.id }) },
    );
    await waitFor(async () => (await job.getState()) === 'completed');
    expect(job.id).toBe(`payment-${payment.id}`);
    const after = (await gw.runtime.db.query('SELECT * FROM payments WHERE id = $1', [payment.id])).rows[0];
    expect(after.status).toBe('success');
    expect(after.updated_at).toEqual(before.updated_at);
    expect(await (await queue.getJob(job.id!))?.returnvalue).toBe('already-decided');
  });

  it('holds no worker slot during the simulated delay (delayed jobs, not sleeps)', async () => {
    const slow = await startTestGateway({
      env: { TEST_PROCESSING_DELAY: '2000', WORKER_CONCURRENCY: '1' },
      workers: true,
    });
    try {
      const orders = await Promise.all(Array.from({ length: 5 }, () => createOrder(slow)));
      const created = await Promise.all(
        orders.map((o) =>
          slow.request('POST', '/api/v1/payments', { body: { order_id: o.id, method: 'upi', vpa: 'a@b' } }),
        ),
      );
      expect(created.every((c) => c.status === 201)).toBe(true);
      // While the "bank" thinks, every job waits in the delayed set and the only slot stays free.
      const counts = await waitFor(async () => {
        const c = await slow.runtime.jobs.queues.payments.getJobCounts('delayed', 'active');
        return c.delayed === 5 ? c : null;
      });
      expect(counts.active).toBe(0);
      await waitFor(async () => {
        const rows = await slow.runtime.db.query(
          "SELECT count(*)::int AS n FROM payments WHERE status = 'pending'",
        );
        return rows.rows[0].n === 0;
      }, 20_000);
    } finally {
      await slow.close();
    }
  });
});

describe('TEST_PAYMENT_SUCCESS=false', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { TEST_PAYMENT_SUCCESS: 'false' }, workers: true });
  });
  afterAll(() => gw.close());

  it('fails every payment', async () => {
    const order = await createOrder(gw);
    const created = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'user@paytm' },
    });
    const payment = await waitFor(async () => {
      const res = await gw.request('GET', `/api/v1/payments/${created.body.id}`);
      return res.body.status !== 'pending' && res.body;
    });
    expect(payment).toMatchObject({ status: 'failed', error_code: 'PAYMENT_FAILED' });
  });
});
