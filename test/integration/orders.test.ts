import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createOrder as createOrderService } from '../../src/services/orders.js';
import { OrderCreated } from '../../src/shapes/index.js';
import { createOrder, startTestGateway, type TestGateway } from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';

let gw: TestGateway;
let other: TestMerchant;

beforeAll(async () => {
  gw = await startTestGateway();
  other = await createMerchant(gw.runtime.db);
});
afterAll(() => gw.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /api/v1/orders', () => {
  it('creates an order in the documented shape', async () => {
    const res = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 50_000, currency: 'INR', receipt: 'receipt_1', notes: { customer: 'Asha' } },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(keysOf(OrderCreated, res.body));
    expect(res.body).toMatchObject({
      merchant_id: TEST_MERCHANT.id,
      amount: 50_000,
      currency: 'INR',
      receipt: 'receipt_1',
      notes: { customer: 'Asha' },
      status: 'created',
    });
    expect(res.body.id).toMatch(/^order_[A-Za-z0-9]{16}$/);
    expect(res.body.created_at).toMatch(ISO);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('defaults currency to INR, receipt to null and notes to {}', async () => {
    const res = await gw.request('POST', '/api/v1/orders', { body: { amount: 100 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 100, currency: 'INR', receipt: null, notes: {} });
  });

  it.each([
    [{ amount: 99 }, 'amount must be at least 100'],
    [{ amount: 0 }, 'amount must be at least 100'],
    [{ amount: -500 }, 'amount must be at least 100'],
    [{ amount: 100.5 }, 'amount must be an integer'],
    [{ amount: '500' }, 'amount must be an integer'],
    [{}, 'amount is required'],
    [{ amount: 500, currency: 'RUPEES' }, 'currency must be at most 3 characters'],
    [{ amount: 500, currency: '12$' }, 'currency must be a 3-letter code'],
    [{ amount: 500, colour: 'blue' }, 'colour is not a recognised field'],
    [{ amount: 500, notes: 'x' }, 'notes must be an object'],
    [[1, 2], 'body must be an object'],
  ])('refuses %j with 400 "%s"', async (body, description) => {
    const res = await gw.request('POST', '/api/v1/orders', { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', description });
  });

  it('refuses malformed JSON, empty and oversized bodies in the documented error format', async () => {
    const malformed = await gw.request('POST', '/api/v1/orders', { rawBody: '{"amount": 5' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('BAD_REQUEST_ERROR');

    const empty = await gw.request('POST', '/api/v1/orders', { rawBody: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('BAD_REQUEST_ERROR');

    const text = await gw.request('POST', '/api/v1/orders', {
      rawBody: 'amount=5',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(400);
    expect(text.body.error.code).toBe('BAD_REQUEST_ERROR');

    const huge = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 500, receipt: 'x'.repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    const proto = await gw.request('POST', '/api/v1/orders', {
      rawBody: '{"amount":500,"__proto__":{"x":1}}',
    });
    expect(proto.status).toBe(400);
    expect(proto.text).not.toMatch(/at .*\.js/);
  });
});

describe('concurrent creates', () => {
  it('share one statement, yet one refused order fails alone', async () => {
    // Called in one event-loop turn, so all twelve go to PostgreSQL as one statement.
    const bodies = Array.from({ length: 12 }, (_, i) => ({
      amount: 1000 + i,
      receipt: i === 5 ? 'bad\u0000receipt' : `r-${i}`,
    }));
    const scope = { key: undefined, fingerprint: 'x' };
    const settled = await Promise.allSettled(
      bodies.map((body) => createOrderService(gw.runtime, TEST_MERCHANT.id, body, scope)),
    );
    expect(settled.map((s) => s.status)).toEqual(bodies.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    const ids = settled.flatMap((s) => (s.status === 'fulfilled' ? [JSON.parse(s.value.body).id] : []));
    const stored = await gw.runtime.db.query('SELECT id FROM orders WHERE id = ANY($1)', [ids]);
    expect(stored.rowCount).toBe(11);

    const viaHttp = await gw.request('POST', '/api/v1/orders', { body: bodies[5] });
    expect(viaHttp.status).toBe(400);
    expect(viaHttp.body.error.code).toBe('BAD_REQUEST_ERROR');
  });
});

describe('authentication', () => {
  it.each([
    ['no credentials', {}],
    ['a key without secret', { 'X-Api-Key': TEST_MERCHANT.api_key }],
    ['a wrong secret', { 'X-Api-Key': TEST_MERCHANT.api_key, 'X-Api-Secret': 'secret_test_wrong' }],
    ['an unknown key', { 'X-Api-Key': 'key_unknown', 'X-Api-Secret': TEST_MERCHANT.api_secret }],
    ['a secret of another merchant', { 'X-Api-Key': TEST_MERCHANT.api_key, 'X-Api-Secret': 'placeholder' }],
  ])('answers 401 to %s', async (_label, headers) => {
    const h = { ...headers } as Record<string, string>;
    if (h['X-Api-Secret'] === 'placeholder') h['X-Api-Secret'] = other.secret;
    const res = await gw.request('POST', '/api/v1/orders', {
      body: { amount: 500 },
      auth: false,
      headers: h,
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: {
        code: 'AUTHENTICATION_ERROR',
        description: 'Invalid API credentials',
        request_id: expect.any(String),
      },
    });
  });

  it('checks credentials before the body', async () => {
    const res = await gw.request('POST', '/api/v1/orders', { rawBody: '{not json', auth: false });
    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/orders/:id', () => {
  it('returns the order with updated_at', async () => {
    const order = await createOrder(gw, 1234);
    const res = await gw.request('GET', `/api/v1/orders/${order.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, amount: 1234, status: 'created' });
    expect(res.body.updated_at).toMatch(ISO);
  });

  it('answers 404 for unknown, malformed and foreign ids', async () => {
    const order = await createOrder(gw);
    for (const id of ['order_AAAAAAAAAAAAAAAA', 'order_x', "order_' OR 1=1 --", 'x'.repeat(300), '%00']) {
      const res = await gw.request('GET', `/api/v1/orders/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND_ERROR');
    }
    const foreign = await gw.request('GET', `/api/v1/orders/${order.id}`, {
      auth: { key: other.key, secret: other.secret },
    });
    expect(foreign.status).toBe(404);
  });

  it('serves a public summary without authentication', async () => {
    const order = await createOrder(gw, 777_00);
    const res = await gw.request('GET', `/api/v1/orders/${order.id}/public`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: order.id,
      amount: 77_700,
      currency: 'INR',
      status: 'created',
      merchant_name: 'Test Merchant',
    });
    expect((await gw.request('GET', '/api/v1/orders/order_AAAAAAAAAAAAAAAA/public')).status).toBe(404);
  });
});

describe('unknown routes', () => {
  it('answer 404 in the documented error format', async () => {
    const res = await gw.request('GET', '/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND_ERROR');
  });
});

describe('client address behind proxies', () => {
  it('keys per-client limits on X-Forwarded-For only when TRUST_PROXY allows it', async () => {
    const proxied = await startTestGateway({ env: { TRUST_PROXY: '1', RATE_LIMIT_AUTH_FAILURES: '3' } });
    try {
      const wrong = { key: 'key_test_abc123', secret: 'wrong' };
      for (let i = 0; i < 3; i++) {
        const res = await proxied.request('GET', '/api/v1/payments', {
          auth: wrong,
          headers: { 'X-Forwarded-For': '203.0.113.7' },
        });
        expect(res.status).toBe(401);
      }
      const blocked = await proxied.request('GET', '/api/v1/payments', {
        headers: { 'X-Forwarded-For': '203.0.113.7' },
      });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBeTruthy();
      const otherClient = await proxied.request('GET', '/api/v1/payments', {
        headers: { 'X-Forwarded-For': '203.0.113.8' },
      });
      expect(otherClient.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
