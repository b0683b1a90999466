import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Payment, PaymentCaptured, PaymentCreated, PaymentPublic } from '../../src/shapes/index.js';
import { createOrder, startTestGateway, type TestGateway, VALID_CARD, waitFor } from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';

let gw: TestGateway;
let other: TestMerchant;

beforeAll(async () => {
  // Workers run with a processing delay, so payments stay pending long enough to inspect.
  gw = await startTestGateway({ env: { TEST_PROCESSING_DELAY: '300' }, workers: true });
  other = await createMerchant(gw.runtime.db);
});
afterAll(() => gw.close());

const pay = (body: object, options: { path?: string; auth?: { key: string; secret: string } | false } = {}) =>
  gw.request('POST', options.path ?? '/api/v1/payments', { body, auth: options.auth });

describe('POST /api/v1/payments', () => {
  it('creates a pending UPI payment with amount and currency from the order', async () => {
    const order = await createOrder(gw, 12_345);
    const res = await pay({ order_id: order.id, method: 'upi', vpa: 'user@paytm' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(keysOf(PaymentCreated, res.body));
    expect(res.body).toMatchObject({
      order_id: order.id,
      amount: 12_345,
      currency: 'INR',
      method: 'upi',
      vpa: 'user@paytm',
      status: 'pending',
    });
    expect(res.body.id).toMatch(/^pay_[A-Za-z0-9]{16}$/);
  });

  it('creates a card payment keeping only network and last four digits', async () => {
    const order = await createOrder(gw);
    const res = await pay({
      order_id: order.id,
      method: 'card',
      card: { ...VALID_CARD, number: '5555-5555-5555-4444' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      method: 'card',
      vpa: null,
      card_network: 'mastercard',
      card_last4: '4444',
      status: 'pending',
    });
    const row = await gw.runtime.db.query('SELECT * FROM payments WHERE id = $1', [res.body.id]);
    expect(JSON.stringify(row.rows[0])).not.toContain('5555555555554444');
  });

  it.each([
    [{ method: 'upi', vpa: 'not-a-vpa' }, 'INVALID_VPA'],
    [{ method: 'upi', vpa: 'user@pay.tm' }, 'INVALID_VPA'],
    [{ method: 'card', card: { ...VALID_CARD, number: '4111111111111112' } }, 'INVALID_CARD'],
    [{ method: 'card', card: { ...VALID_CARD, number: '4111' } }, 'INVALID_CARD'],
    [{ method: 'card', card: { ...VALID_CARD, expiry_year: '2020' } }, 'EXPIRED_CARD'],
    [{ method: 'card', card: { ...VALID_CARD, expiry_month: '13' } }, 'EXPIRED_CARD'],
    [{ method: 'card', card: { ...VALID_CARD, cvv: '1' } }, 'BAD_REQUEST_ERROR'],
    [{ method: 'upi' }, 'BAD_REQUEST_ERROR'],
    [{ method: 'card' }, 'BAD_REQUEST_ERROR'],
    [{ method: 'netbanking', vpa: 'user@paytm' }, 'BAD_REQUEST_ERROR'],
    [{ method: 'upi', vpa: 'user@paytm', amount: 1 }, 'BAD_REQUEST_ERROR'],
    [{ method: 'card', card: { ...VALID_CARD, number: 4111111111111111 } }, 'BAD_REQUEST_ERROR'],
  ])('refuses %j with %s', async (body, code) => {
    const order = await createOrder(gw);
    const res = await pay({ order_id: order.id, ...body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });

  it('answers 404 for unknown, malformed and foreign orders', async () => {
    const foreign = await createOrder(gw, 500, { key: other.key, secret: other.secret });
    for (const orderId of ['order_AAAAAAAAAAAAAAAA', 'bogus', foreign.id]) {
      const res = await pay({ order_id: orderId, method: 'upi', vpa: 'user@paytm' });
      expect(res.status, orderId).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND_ERROR');
    }
  });

  it('refuses a payment on a paid order', async () => {
    const order = await createOrder(gw);
    const first = await pay({ order_id: order.id, method: 'upi', vpa: 'user@paytm' });
    await waitFor(async () => (await gw.request('GET', `/api/v1/orders/${order.id}`)).body.status === 'paid');
    const second = await pay({ order_id: order.id, method: 'upi', vpa: 'user@paytm' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(400);
    expect(second.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', description: 'Order already paid' });
  });
});

describe('amount and currency in a payment request', () => {
  it('are accepted when they are the order’s, on both endpoints, and change nothing', async () => {
    const order = await createOrder(gw, 12_345);
    for (const path of ['/api/v1/payments', '/api/v1/payments/public']) {
      const res = await gw.request('POST', path, {
        body: { order_id: order.id, method: 'upi', vpa: 'user@paytm', amount: 12_345, currency: 'INR' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ amount: 12_345, currency: 'INR' });
    }
  });

  it('are refused when they differ from the order’s', async () => {
    const order = await createOrder(gw, 12_345);
    const base = { order_id: order.id, method: 'upi', vpa: 'user@paytm' };
    for (const path of ['/api/v1/payments', '/api/v1/payments/public']) {
      const amount = await gw.request('POST', path, { body: { ...base, amount: 100 } });
      expect([amount.status, amount.body.error]).toEqual([
        400,
        expect.objectContaining({
          code: 'BAD_REQUEST_ERROR',
          description: 'amount does not match the order',
        }),
      ]);
      const currency = await gw.request('POST', path, { body: { ...base, currency: 'USD' } });
      expect([currency.status, currency.body.error]).toEqual([
        400,
        expect.objectContaining({
          code: 'BAD_REQUEST_ERROR',
          description: 'currency does not match the order',
        }),
      ]);
    }
    const stored = await gw.runtime.db.query('SELECT 1 FROM payments WHERE order_id = $1', [order.id]);
    expect(stored.rowCount).toBe(0);
  });
});

describe('POST /api/v1/payments/public', () => {
  it('creates a payment without credentials; the order names the merchant', async () => {
    const order = await createOrder(gw, 900);
    const res = await pay(
      { order_id: order.id, method: 'upi', vpa: 'user@okaxis' },
      { path: '/api/v1/payments/public', auth: false },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ order_id: order.id, amount: 900, status: 'pending' });
    const owned = await gw.request('GET', `/api/v1/payments/${res.body.id}`);
    expect(owned.status).toBe(200);
  });

  it('refuses an X-Api-Key that is not the order merchant', async () => {
    const order = await createOrder(gw);
    const res = await gw.request('POST', '/api/v1/payments/public', {
      body: { order_id: order.id, method: 'upi', vpa: 'user@paytm' },
      headers: { 'X-Api-Key': other.key },
      auth: false,
    });
    expect(res.status).toBe(404);
  });

  it('validates like the authenticated endpoint', async () => {
    const order = await createOrder(gw);
    const res = await pay(
      { order_id: order.id, method: 'upi', vpa: 'bad' },
      { path: '/api/v1/payments/public', auth: false },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_VPA');
    const unknown = await pay(
      { order_id: 'order_AAAAAAAAAAAAAAAA', method: 'upi', vpa: 'a@b' },
      { path: '/api/v1/payments/public', auth: false },
    );
    expect(unknown.status).toBe(404);
  });
});

describe('reading payments', () => {
  it('GET returns the full shape, the public endpoint the public one', async () => {
    const order = await createOrder(gw, 4200);
    const created = await pay({ order_id: order.id, method: 'card', card: VALID_CARD });
    const full = await gw.request('GET', `/api/v1/payments/${created.body.id}`);
    expect(full.status).toBe(200);
    expect(Object.keys(full.body)).toEqual(keysOf(Payment, full.body));
    expect(full.body).toMatchObject({
      card_network: 'visa',
      card_last4: '1111',
      captured: false,
      amount_refunded: 0,
    });

    const pub = await gw.request('GET', `/api/v1/payments/${created.body.id}/public`);
    expect(pub.status).toBe(200);
    expect(Object.keys(pub.body)).toEqual(keysOf(PaymentPublic, pub.body));
  });

  it('hides other merchants’ payments and malformed ids behind 404', async () => {
    const order = await createOrder(gw);
    const created = await pay({ order_id: order.id, method: 'upi', vpa: 'user@paytm' });
    const foreign = await gw.request('GET', `/api/v1/payments/${created.body.id}`, {
      auth: { key: other.key, secret: other.secret },
    });
    expect(foreign.status).toBe(404);
    expect((await gw.request('GET', '/api/v1/payments/pay_AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await gw.request('GET', '/api/v1/payments/pay_%27%3B--')).status).toBe(404);
    expect((await gw.request('GET', '/api/v1/payments/pay_AAAAAAAAAAAAAAAA/public')).status).toBe(404);
  });

  it('lists newest first with limit, offset, status and total', async () => {
    const merchant = await createMerchant(gw.runtime.db, 'Lister');
    const auth = { key: merchant.key, secret: merchant.secret };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const order = await createOrder(gw, 1000 + i, auth);
      const vpa = i === 4 ? 'failure@test' : 'user@paytm';
      ids.push((await pay({ order_id: order.id, method: 'upi', vpa }, { auth })).body.id);
    }
    const page = await gw.request('GET', '/api/v1/payments?limit=2&offset=1', { auth });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 1 });
    expect(page.body.data.map((p: { id: string }) => p.id)).toEqual([ids[3], ids[2]]);

    const all = await gw.request('GET', '/api/v1/payments', { auth });
    expect(all.body).toMatchObject({ total: 5, limit: 10, offset: 0 });

    await waitFor(
      async () => (await gw.request('GET', '/api/v1/payments?status=failed', { auth })).body.total === 1,
    );
    const failed = await gw.request('GET', '/api/v1/payments?status=failed', { auth });
    expect(failed.body.data[0].id).toBe(ids[4]);

    expect((await gw.request('GET', '/api/v1/payments?limit=1000', { auth })).body.limit).toBe(100);
    for (const query of ['limit=0', 'limit=-1', 'limit=abc', 'offset=-5', 'status=weird', 'extra=1']) {
      const bad = await gw.request('GET', `/api/v1/payments?${query}`, { auth });
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code).toBe('BAD_REQUEST_ERROR');
    }
  });
});

describe('POST /api/v1/payments/:id/capture', () => {
  it('captures a successful payment once, for its full amount', async () => {
    const order = await createOrder(gw, 5000);
    const created = await pay({ order_id: order.id, method: 'upi', vpa: 'user@paytm' });
    const id = created.body.id;

    const early = await gw.request('POST', `/api/v1/payments/${id}/capture`, { body: { amount: 5000 } });
    expect(early.status).toBe(400);
    expect(early.body.error.description).toBe('Payment not in capturable state');

    await waitFor(async () => (await gw.request('GET', `/api/v1/payments/${id}`)).body.status === 'success');
    const wrongAmount = await gw.request('POST', `/api/v1/payments/${id}/capture`, {
      body: { amount: 4999 },
    });
    expect(wrongAmount.status).toBe(400);

    const captured = await gw.request('POST', `/api/v1/payments/${id}/capture`, { body: { amount: 5000 } });
    expect(captured.status).toBe(200);
    expect(Object.keys(captured.body)).toEqual(keysOf(PaymentCaptured, captured.body));
    expect(captured.body).toMatchObject({ id, status: 'success', captured: true });

    const again = await gw.request('POST', `/api/v1/payments/${id}/capture`, { body: { amount: 5000 } });
    expect(again.status).toBe(400);
    expect(again.body.error.description).toBe('Payment not in capturable state');

    const foreign = await gw.request('POST', `/api/v1/payments/${id}/capture`, {
      body: { amount: 5000 },
      auth: { key: other.key, secret: other.secret },
    });
    expect(foreign.status).toBe(404);
    expect(
      (await gw.request('POST', '/api/v1/payments/nope/capture', { body: { amount: 5000 } })).status,
    ).toBe(404);
    expect((await gw.request('POST', `/api/v1/payments/${id}/capture`, { body: {} })).status).toBe(400);
  });
});
