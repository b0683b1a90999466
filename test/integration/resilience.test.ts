import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import {
  createOrder,
  request,
  startTestGateway,
  type TestGateway,
  VALID_CARD,
  waitFor,
} from '../support/gateway.js';
import { freePort, PrivateRedis } from '../support/redis-server.js';
import { dumpDatabase, dumpRedis } from '../support/scan.js';

// The API must answer within this bound while a dependency is down (a hang guard, not a benchmark).
const HANG_GUARD_MS = 5000;

describe('Redis unreachable', () => {
  let redis: PrivateRedis;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    gw = await startTestGateway({ env: { REDIS_URL: redis.url }, workers: true });
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await gw.close();
    await redis.stop();
  });

  it('still takes payments, and processes them once Redis is back', async () => {
    const orders = await Promise.all(Array.from({ length: 5 }, () => createOrder(gw)));
    await redis.stop();

    const created = await Promise.all(
      orders.map((order) =>
        gw.request('POST', '/api/v1/payments', {
          body: { order_id: order.id, method: 'upi', vpa: 'user@paytm' },
          timeoutMs: HANG_GUARD_MS,
        }),
      ),
    );
    expect(created.map((c) => c.status)).toEqual(Array(5).fill(201));
    const health = await gw.request('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', database: 'connected', redis: 'disconnected' });
    const jobs = await gw.request('GET', '/api/v1/test/jobs/status');
    expect(jobs.status).toBe(503);
    expect(jobs.body.error.code).toBe('SERVICE_UNAVAILABLE');

    await redis.start();
    for (const c of created) {
      await waitFor(
        async () => (await gw.request('GET', `/api/v1/payments/${c.body.id}`)).body.status === 'success',
        30_000,
      );
    }
  });
});

describe('PostgreSQL unreachable', () => {
  it('answers 503 SERVICE_UNAVAILABLE promptly instead of hanging', async () => {
    const port = await freePort();
    const config = loadConfig({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/nowhere`,
      QUEUE_PREFIX: 'gwtest-nodb',
      TEST_MODE: 'true',
      LOG_LEVEL: 'silent',
    });
    const runtime = createRuntime(config, 'test', { log: createLogger('silent', 'test') });
    const app = await buildApi(runtime);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const order = await request(base, 'POST', '/api/v1/orders', {
        body: { amount: 500 },
        timeoutMs: HANG_GUARD_MS,
      });
      expect(order.status).toBe(503);
      expect(order.body.error.code).toBe('SERVICE_UNAVAILABLE');
      const health = await request(base, 'GET', '/health', { timeoutMs: HANG_GUARD_MS });
      expect(health.status).toBe(503);
      expect(health.body.database).toBe('disconnected');
      const publicOrder = await request(base, 'GET', '/api/v1/orders/order_AAAAAAAAAAAAAAAA/public', {
        timeoutMs: HANG_GUARD_MS,
      });
      expect(publicOrder.status).toBe(503);
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

describe('card data', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ workers: true, logLevel: 'trace' });
  });
  afterAll(() => gw.close());

  const cards = [
    { number: '4111 1111 1111 1111', digits: '4111111111111111', cvv: '737' },
    { number: '5555-5555-5555-4444', digits: '5555555555554444', cvv: '373' },
    { number: '378282246310005', digits: '378282246310005', cvv: '7373' },
    { number: '6011 1111 1111 1117', digits: '6011111111111117', cvv: '919' },
    { number: '4000 0000 0000 0002', digits: '4000000000000002', cvv: '191' },
  ];

  it('never reaches PostgreSQL, Redis or the logs', async () => {
    const ids: string[] = [];
    for (const [i, card] of cards.entries()) {
      const order = await createOrder(gw);
      const path = i % 2 === 0 ? '/api/v1/payments' : '/api/v1/payments/public';
      const res = await gw.request('POST', path, {
        body: {
          order_id: order.id,
          method: 'card',
          card: { ...VALID_CARD, number: card.number, cvv: card.cvv },
        },
        headers: { 'Idempotency-Key': `card-${i}` },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      // A refused card must not leak either.
      await gw.request('POST', path, {
        body: {
          order_id: order.id,
          method: 'card',
          card: { ...VALID_CARD, number: card.number, cvv: card.cvv, expiry_year: '2001' },
        },
      });
    }
    for (const id of ids) {
      await waitFor(
        async () => (await gw.request('GET', `/api/v1/payments/${id}`)).body.status !== 'pending',
      );
    }

    const database = await dumpDatabase(gw.runtime.db);
    expect(database).toContain('pay_'); // the scan sees real data
    const { keys, text: redisDump } = await dumpRedis(gw.runtime.redis as Redis, gw.config.QUEUE_PREFIX);
    expect(keys).toBeGreaterThan(0);

    const logs = gw.logs.text;
    expect(logs.length).toBeGreaterThan(0);
    for (const [where, text] of [
      ['database', database],
      ['redis', redisDump],
      ['logs', logs],
    ] as const) {
      for (const card of cards) {
        expect(text, where).not.toContain(card.digits);
        expect(text, where).not.toContain(card.number);
        expect(text, where).not.toContain(`"${card.cvv}"`);
      }
      expect(text, where).not.toMatch(/"cvv"/i);
      expect(text, where).not.toMatch(/"number"/);
    }
  });
});
