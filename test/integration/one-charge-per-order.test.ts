import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePayments } from '../../src/db/payments.js';
import { paymentEventBody } from '../../src/domain/events.js';
import { newId } from '../../src/domain/ids.js';
import { ORDER_ALREADY_PAID } from '../../src/domain/simulation.js';
import { createOrder, startTestGateway, type TestGateway, VALID_CARD, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * An order may take several payment attempts while it is unpaid, but at most one of them ever
 * ends successful: every other success ends failed with ORDER_ALREADY_PAID and takes no money.
 */
let gw: TestGateway;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  // Payments are decided a second after they are created, so that several are pending together.
  gw = await startTestGateway({ env: { TEST_PROCESSING_DELAY: '1000' }, workers: true });
  await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
});
afterAll(async () => {
  await gw.close();
  await sink.close();
});

const decided = (id: string) =>
  waitFor(async () => {
    const payment = (await gw.request('GET', `/api/v1/payments/${id}`)).body;
    return payment.status !== 'pending' && payment;
  });

async function outcomesOf(orderId: string) {
  const { rows } = await gw.runtime.db.query<{ status: string; error_code: string | null; n: number }>(
    `SELECT status, error_code, count(*)::int AS n FROM payments WHERE order_id = $1
     GROUP BY status, error_code ORDER BY status`,
    [orderId],
  );
  return rows;
}

describe('payments on one order', () => {
  it('charges once when a second payment is made before the first is decided', async () => {
    const order = await createOrder(gw, 50_000);
    const first = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'first@bank' },
    });
    const second = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'card', card: VALID_CARD },
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    // Whichever is decided first wins; the other is refused, whatever the order of the two jobs.
    const [a, b] = [await decided(first.body.id), await decided(second.body.id)].sort((x, y) =>
      x.status === 'success' ? -1 : y.status === 'success' ? 1 : 0,
    );
    expect(a).toMatchObject({ status: 'success', error_code: null });
    expect(b).toMatchObject({ status: 'failed', error_code: 'ORDER_ALREADY_PAID' });
    expect(b.error_description).toMatch(/already paid/i);
    expect((await gw.request('GET', `/api/v1/orders/${order.id}`)).body.status).toBe('paid');
    // The loser is no money taken: it cannot be refunded or captured.
    const refund = await gw.request('POST', `/api/v1/payments/${b.id}/refunds`, { body: { amount: 100 } });
    expect(refund.status).toBe(400);
  });

  it('charges once when forty payments race on one order, authenticated and public, UPI and card', async () => {
    const order = await createOrder(gw, 70_000);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        gw.request('POST', i % 2 ? '/api/v1/payments' : '/api/v1/payments/public', {
          body:
            i % 4 < 2
              ? { order_id: order.id, method: 'upi', vpa: `buyer${i}@bank` }
              : { order_id: order.id, method: 'card', card: VALID_CARD },
        }),
      ),
    );
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    for (const answer of answers) await decided(answer.body.id);
    expect(await outcomesOf(order.id)).toEqual([
      { status: 'failed', error_code: 'ORDER_ALREADY_PAID', n: 39 },
      { status: 'success', error_code: null, n: 1 },
    ]);
  });

  it('keeps one success when two payments of one order are decided in the same statement', async () => {
    const order = await createOrder(gw, 30_000);
    const ids: string[] = [];
    for (const vpa of ['one@bank', 'two@bank']) {
      const res = await gw.request('POST', '/api/v1/payments', {
        body: { order_id: order.id, method: 'upi', vpa },
      });
      ids.push(res.body.id);
    }
    // Made due only in an hour (well within the second they wait), so the worker leaves both to
    // this test's own decision.
    await gw.runtime.db.query(
      "UPDATE payments SET process_after = now() + interval '1 hour' WHERE id = ANY($1)",
      [ids],
    );
    const { rows } = await gw.runtime.db.query('SELECT * FROM payments WHERE id = ANY($1) ORDER BY id', [
      ids,
    ]);
    const at = new Date();
    const results = await decidePayments(
      gw.runtime.db,
      rows.map((payment) => ({
        id: payment.id,
        eventId: newId('event'),
        outcome: { status: 'success' as const },
        at,
        successPayload: paymentEventBody('payment.success', { ...payment, status: 'success' }, at),
        failedPayload: paymentEventBody('payment.failed', { ...payment, ...ORDER_ALREADY_PAID }, at),
        orderPaidOutcome: ORDER_ALREADY_PAID,
      })),
    );
    expect(results.map((r) => r?.status).sort()).toEqual(['failed', 'success']);
    expect(await outcomesOf(order.id)).toEqual([
      { status: 'failed', error_code: 'ORDER_ALREADY_PAID', n: 1 },
      { status: 'success', error_code: null, n: 1 },
    ]);
  });

  it('sends one payment.success, and a payment.failed that says why, for the losers', async () => {
    const order = await createOrder(gw, 20_000);
    const ids = (
      await Promise.all(
        ['a@bank', 'b@bank', 'c@bank'].map((vpa) =>
          gw.request('POST', '/api/v1/payments', { body: { order_id: order.id, method: 'upi', vpa } }),
        ),
      )
    ).map((res) => res.body.id as string);
    for (const id of ids) await decided(id);
    const events = await waitFor(() => {
      const seen = sink.requests.filter((r) => ids.includes(JSON.parse(r.body).data.payment?.id));
      const outcomes = seen.filter((r) => /payment\.(success|failed)/.test(JSON.parse(r.body).event));
      return outcomes.length === 3 ? outcomes : null;
    });
    const bodies = events.map((r) => JSON.parse(r.body));
    expect(bodies.filter((b) => b.event === 'payment.success')).toHaveLength(1);
    const failed = bodies.filter((b) => b.event === 'payment.failed');
    expect(failed).toHaveLength(2);
    for (const body of failed) {
      expect(body.data.payment).toMatchObject({ status: 'failed', error_code: 'ORDER_ALREADY_PAID' });
    }
  });

  it('still refuses a new payment on a paid order at once', async () => {
    const order = await createOrder(gw, 10_000);
    const paid = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'x@bank' },
    });
    await decided(paid.body.id);
    const again = await gw.request('POST', '/api/v1/payments/public', {
      body: { order_id: order.id, method: 'upi', vpa: 'x@bank' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', description: 'Order already paid' });
  });
});
