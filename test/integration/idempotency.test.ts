import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { createOrder, startTestGateway, type TestGateway } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';

const clock = manualClock(new Date());
let gw: TestGateway;

beforeAll(async () => {
  // No workers: payments stay pending, and the clock only moves when a test moves it.
  gw = await startTestGateway({ clock });
});
afterAll(() => gw.close());

const paymentsOf = async (orderId: string) =>
  (await gw.rt.db.query('SELECT id FROM payments WHERE order_id = $1', [orderId])).rows;

const createPayment = (orderId: string, key: string, vpa = 'user@paytm') =>
  gw.request('POST', '/api/v1/payments', {
    body: { order_id: orderId, method: 'upi', vpa },
    headers: { 'Idempotency-Key': key },
  });

describe('Idempotency-Key', () => {
  it('replays the first response byte for byte, with Idempotent-Replayed', async () => {
    const order = await createOrder(gw);
    const first = await createPayment(order.id, 'key-replay');
    const second = await createPayment(order.id, 'key-replay');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it('answers 422 when the key comes back with a different body', async () => {
    const order = await createOrder(gw);
    await createPayment(order.id, 'key-reused');
    const different = await createPayment(order.id, 'key-reused', 'someone@else');
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it('treats the same key on another endpoint as a different request', async () => {
    const order = await createOrder(gw);
    await createPayment(order.id, 'key-endpoint');
    const res = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 500 },
      headers: { 'Idempotency-Key': 'key-endpoint' },
    });
    expect(res.status).toBe(422);
  });

  it('creates exactly one payment when 50 identical requests race', async () => {
    const order = await createOrder(gw);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => createPayment(order.id, 'key-race')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it('stores nothing for a request that fails validation', async () => {
    const order = await createOrder(gw);
    const invalid = await createPayment(order.id, 'key-invalid', 'not a vpa');
    expect(invalid.status).toBe(400);
    const unknownOrder = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: 'order_AAAAAAAAAAAAAAAA', method: 'upi', vpa: 'user@paytm' },
      headers: { 'Idempotency-Key': 'key-invalid-2' },
    });
    expect(unknownOrder.status).toBe(404);
    const valid = await createPayment(order.id, 'key-invalid-2');
    expect(valid.status).toBe(201);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
    const keys = await gw.rt.db.query("SELECT key FROM idempotency_keys WHERE key LIKE 'key-invalid%'");
    expect(keys.rows.map((r) => r.key)).toEqual(['key-invalid-2']);
  });

  it('scopes keys per merchant', async () => {
    const other = await createMerchant(gw.rt.db);
    const auth = { key: other.key, secret: other.secret };
    const mine = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 500 },
      headers: { 'Idempotency-Key': 'shared-key' },
    });
    const theirs = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 500 },
      headers: { 'Idempotency-Key': 'shared-key' },
      auth,
    });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps a key for 24 hours, then treats it as new', async () => {
    const first = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 700 },
      headers: { 'Idempotency-Key': 'key-expiry' },
    });
    clock.advance(24 * 3600 * 1000 - 1000);
    const withinDay = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 700 },
      headers: { 'Idempotency-Key': 'key-expiry' },
    });
    expect(withinDay.text).toBe(first.text);
    clock.advance(2000);
    const afterDay = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 700 },
      headers: { 'Idempotency-Key': 'key-expiry' },
    });
    expect(afterDay.status).toBe(201);
    expect(afterDay.body.id).not.toBe(first.body.id);
    expect(afterDay.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses keys that are empty or longer than 255 characters', async () => {
    for (const key of ['', 'k'.repeat(256)]) {
      const res = await gw.request('POST', '/api/v1/orders', {
        body: { amount: 500 },
        headers: { 'Idempotency-Key': key },
      });
      expect(res.status).toBe(400);
    }
    const longest = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 500 },
      headers: { 'Idempotency-Key': 'k'.repeat(255) },
    });
    expect(longest.status).toBe(201);
  });

  it('replays a public payment too, after the order was paid meanwhile', async () => {
    const order = await createOrder(gw);
    const body = { order_id: order.id, method: 'upi', vpa: 'user@paytm' };
    const headers = { 'Idempotency-Key': 'public-key' };
    const first = await gw.request('POST', '/api/v1/payments/public', { body, headers });
    await gw.rt.db.query("UPDATE orders SET status = 'paid' WHERE id = $1", [order.id]);
    const again = await gw.request('POST', '/api/v1/payments/public', { body, headers });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
  });
});
