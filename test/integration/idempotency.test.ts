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
  (await gw.runtime.db.query('SELECT id FROM payments WHERE order_id = $1', [orderId])).rows;

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
    const keys = await gw.runtime.db.query("SELECT key FROM idempotency_keys WHERE key LIKE 'key-invalid%'");
    expect(keys.rows.map((r) => r.key)).toEqual(['key-invalid-2']);
  });

  it('scopes keys per merchant', async () => {
    const other = await createMerchant(gw.runtime.db);
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
    await gw.runtime.db.query("UPDATE orders SET status = 'paid' WHERE id = $1", [order.id]);
    const again = await gw.request('POST', '/api/v1/payments/public', { body, headers });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
  });

  it('replays a repeat that differs only in the CVV: the CVV is not part of what a key remembers', async () => {
    const order = await createOrder(gw);
    const card = { number: '4111 1111 1111 1111', expiry_month: '12', expiry_year: '2030', cvv: '123' };
    const send = (cvv: string, holder_name = 'A Buyer') =>
      gw.request('POST', '/api/v1/payments', {
        body: { order_id: order.id, method: 'card', card: { ...card, cvv, holder_name } },
        headers: { 'Idempotency-Key': 'key-cvv' },
      });
    const first = await send('123');
    const otherCvv = await send('999');
    expect(otherCvv.status).toBe(201);
    expect(otherCvv.text).toBe(first.text);
    expect(otherCvv.headers.get('idempotent-replayed')).toBe('true');
    expect((await send('123', 'Someone Else')).status).toBe(422);
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it('keeps keys sent without credentials apart from the merchant’s own', async () => {
    const mine = await createOrder(gw);
    const merchantAnswer = await createPayment(mine.id, 'anonymous-or-not-key');
    const theirs = await createOrder(gw);
    // An anonymous caller using the merchant's key gets its own payment, not the merchant's answer.
    const anonymous = await gw.request('POST', '/api/v1/payments/public', {
      body: { order_id: theirs.id, method: 'upi', vpa: 'user@paytm' },
      headers: { 'Idempotency-Key': 'anonymous-or-not-key' },
    });
    expect(anonymous.status).toBe(201);
    expect(anonymous.headers.get('idempotent-replayed')).toBeNull();
    expect(anonymous.body.id).not.toBe(merchantAnswer.body.id);
    // And the merchant's key is still the merchant's: a repeat replays its own answer.
    const again = await createPayment(mine.id, 'anonymous-or-not-key');
    expect([again.status, again.text]).toEqual([201, merchantAnswer.text]);
    const keys = await gw.runtime.db.query('SELECT key FROM idempotency_keys WHERE key LIKE $1', [
      '%anonymous-or-not-key',
    ]);
    expect(keys.rowCount).toBe(2);
  });

  it('covers capture: a repeated capture replays the first 200', async () => {
    const order = await createOrder(gw, 5000);
    const created = await createPayment(order.id, 'key-capture-payment');
    await gw.runtime.db.query("UPDATE payments SET status = 'success' WHERE id = $1", [created.body.id]);
    const capture = () =>
      gw.request('POST', `/api/v1/payments/${created.body.id}/capture`, {
        body: { amount: 5000 },
        headers: { 'Idempotency-Key': 'key-capture' },
      });
    const first = await capture();
    clock.advance(1000);
    const second = await capture();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const unkeyed = await gw.request('POST', `/api/v1/payments/${created.body.id}/capture`, {
      body: { amount: 5000 },
    });
    expect(unkeyed.status).toBe(400);
  });

  it('covers the test webhook: one event however often the request is repeated', async () => {
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: 'http://127.0.0.1:9/hook' } });
    const send = () =>
      gw.request('POST', '/api/v1/merchant/webhook/test', {
        headers: { 'Idempotency-Key': 'key-test-event' },
      });
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const events = await gw.runtime.db.query("SELECT 1 FROM webhook_logs WHERE event = 'webhook.test'");
    expect(events.rowCount).toBe(1);
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: null } });
  });
});
