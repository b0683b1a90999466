import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Refund, RefundCreated } from '../../src/shapes/index.js';
import {
  createOrder,
  startTestGateway,
  successfulPayment,
  type TestGateway,
  waitFor,
} from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';

let gw: TestGateway;
let other: TestMerchant;

beforeAll(async () => {
  gw = await startTestGateway({ env: { TEST_PROCESSING_DELAY: '200' }, workers: true });
  other = await createMerchant(gw.runtime.db);
});
afterAll(() => gw.close());

const paid = (amount = 10_000, auth?: { key: string; secret: string }) => successfulPayment(gw, amount, auth);

const refund = (
  paymentId: string,
  body: unknown,
  options: { auth?: { key: string; secret: string }; key?: string } = {},
) =>
  gw.request('POST', `/api/v1/payments/${paymentId}/refunds`, {
    body,
    auth: options.auth,
    headers: options.key ? { 'Idempotency-Key': options.key } : {},
  });

describe('refunds', () => {
  it('creates a pending refund that the worker processes exactly once', async () => {
    const paymentId = await paid(10_000);
    const res = await refund(paymentId, { amount: 2500, reason: 'Customer request' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(keysOf(RefundCreated, res.body));
    expect(res.body).toMatchObject({
      payment_id: paymentId,
      amount: 2500,
      reason: 'Customer request',
      status: 'pending',
    });
    expect(res.body.id).toMatch(/^rfnd_[A-Za-z0-9]{16}$/);

    const processed = await waitFor(async () => {
      const r = await gw.request('GET', `/api/v1/refunds/${res.body.id}`);
      return r.body.status === 'processed' && r.body;
    });
    expect(Object.keys(processed)).toEqual(keysOf(Refund, processed));
    expect(new Date(processed.processed_at).getTime()).toBeGreaterThanOrEqual(
      new Date(processed.created_at).getTime(),
    );

    const payment = await gw.request('GET', `/api/v1/payments/${paymentId}`);
    expect(payment.body.amount_refunded).toBe(2500);
  });

  it('allows several partial refunds up to the amount, and no more', async () => {
    const paymentId = await paid(10_000);
    expect((await refund(paymentId, { amount: 4000 })).status).toBe(201);
    expect((await refund(paymentId, { amount: 6000 })).status).toBe(201);
    const over = await refund(paymentId, { amount: 1 });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({
      code: 'BAD_REQUEST_ERROR',
      description: 'Refund amount exceeds available amount',
    });

    const list = await gw.request('GET', `/api/v1/payments/${paymentId}/refunds`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, limit: 10, offset: 0 });
    expect(list.body.data.map((r: { amount: number }) => r.amount)).toEqual([6000, 4000]);
    await waitFor(async () => {
      const r = await gw.request('GET', `/api/v1/payments/${paymentId}/refunds`);
      return r.body.data.every((x: { status: string }) => x.status === 'processed');
    });
    expect((await gw.request('GET', `/api/v1/payments/${paymentId}`)).body.amount_refunded).toBe(10_000);
  });

  it('never over-refunds when fifty refunds race, and never answers 5xx', async () => {
    const paymentId = await paid(10_000);
    const responses = await Promise.all(Array.from({ length: 50 }, () => refund(paymentId, { amount: 300 })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 400)).toBe(true);
    const accepted = statuses.filter((s) => s === 201).length;
    expect(accepted).toBe(33); // 33 × 300 = 9900 ≤ 10 000 < 34 × 300
    const sum = await gw.runtime.db.query(
      'SELECT coalesce(sum(amount), 0)::int AS total FROM refunds WHERE payment_id = $1',
      [paymentId],
    );
    expect(sum.rows[0].total).toBe(9900);
    const payment = await gw.runtime.db.query('SELECT amount_refunded FROM payments WHERE id = $1', [
      paymentId,
    ]);
    expect(payment.rows[0].amount_refunded).toBe(9900);
  });

  it.each([
    [{ amount: 0 }, 'amount must be at least 1'],
    [{ amount: -100 }, 'amount must be at least 1'],
    [{ amount: 10.5 }, 'amount must be an integer'],
    [{ amount: '100' }, 'amount must be an integer'],
    [{}, 'amount is required'],
    [{ amount: 100, extra: true }, 'extra is not a recognised field'],
  ])('refuses %j with 400 "%s"', async (body, description) => {
    const paymentId = await paid(1000);
    const res = await refund(paymentId, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', description });
  });

  it('refuses refunds of payments that did not succeed', async () => {
    const order = await createOrder(gw);
    const failed = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'failure@test' },
    });
    const pendingRefund = await refund(failed.body.id, { amount: 100 });
    expect(pendingRefund.status).toBe(400);
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/payments/${failed.body.id}`)).body.status === 'failed',
    );
    const failedRefund = await refund(failed.body.id, { amount: 100 });
    expect(failedRefund.status).toBe(400);
    expect(failedRefund.body.error.code).toBe('BAD_REQUEST_ERROR');
  });

  it('answers 404 for unknown, malformed and foreign payments and refunds', async () => {
    const paymentId = await paid(5000);
    const mine = await refund(paymentId, { amount: 100 });
    const asOther = { key: other.key, secret: other.secret };
    expect((await refund(paymentId, { amount: 100 }, { auth: asOther })).status).toBe(404);
    expect((await refund('pay_AAAAAAAAAAAAAAAA', { amount: 100 })).status).toBe(404);
    expect((await refund('garbage', { amount: 100 })).status).toBe(404);
    expect((await gw.request('GET', `/api/v1/refunds/${mine.body.id}`, { auth: asOther })).status).toBe(404);
    expect((await gw.request('GET', `/api/v1/payments/${paymentId}/refunds`, { auth: asOther })).status).toBe(
      404,
    );
    expect((await gw.request('GET', '/api/v1/refunds/rfnd_AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await gw.request('GET', '/api/v1/refunds/rfnd_%00')).status).toBe(404);
    // The foreign attempt reserved nothing.
    expect((await gw.request('GET', `/api/v1/payments/${paymentId}`)).body.amount_refunded).toBe(100);
  });

  it('makes a payment uncapturable once any of it is refunded, pending or processed', async () => {
    const partly = await successfulPayment(gw, 10_000);
    const refund = await gw.request('POST', `/api/v1/payments/${partly}/refunds`, {
      body: { amount: 10_000 },
    });
    expect(refund.status).toBe(201);
    const capture = await gw.request('POST', `/api/v1/payments/${partly}/capture`, {
      body: { amount: 10_000 },
    });
    expect([capture.status, capture.body.error?.description]).toEqual([
      400,
      'Payment not in capturable state',
    ]);
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/refunds/${refund.body.id}`)).body.status === 'processed',
    );
    const later = await gw.request('POST', `/api/v1/payments/${partly}/capture`, {
      body: { amount: 10_000 },
    });
    expect(later.status).toBe(400);
    const payment = (await gw.request('GET', `/api/v1/payments/${partly}`)).body;
    expect(payment).toMatchObject({ captured: false, amount_refunded: 10_000 });
  });

  it('supports Idempotency-Key', async () => {
    const paymentId = await paid(5000);
    const first = await refund(paymentId, { amount: 1000 }, { key: 'refund-key' });
    const again = await refund(paymentId, { amount: 1000 }, { key: 'refund-key' });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const different = await refund(paymentId, { amount: 2000 }, { key: 'refund-key' });
    expect(different.status).toBe(422);
    const list = await gw.request('GET', `/api/v1/payments/${paymentId}/refunds`);
    expect(list.body.total).toBe(1);
  });
});
