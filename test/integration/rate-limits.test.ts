import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import { LoginThrottle } from '../../src/dashboard/login-throttle.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { DashboardClient } from '../support/dashboard-client.js';
import { createOrder, request, startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { PrivateRedis } from '../support/redis-server.js';

/**
 * The per-client limits and the sign-in throttle live in Redis: every API instance on one Redis
 * counts into the same windows, an IPv6 client is its /64, no number of other keys can reset a
 * count, and with Redis gone the limits fail open while payments go on being answered.
 */
const WRONG = { key: TEST_MERCHANT.api_key, secret: 'wrong' };
const from = (client: string) => ({ 'X-Forwarded-For': client });
const unknownEmail = () => `nobody-${Math.random().toString(36).slice(2)}@example.com`;

/** A second API instance over the same configuration (database, Redis, QUEUE_PREFIX). */
async function secondInstance(gw: TestGateway): Promise<{ url: string; close(): Promise<void> }> {
  const runtime: Runtime = createRuntime(gw.config, 'second-api', {
    log: createLogger('silent', 'second-api'),
  });
  const app: FastifyInstance = await buildApi(runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  // Until its counters connection is ready an instance fails open; the tests count from the start.
  await waitFor(() => runtime.counters.status === 'ready');
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

async function deleteLimitKeys(gw: TestGateway): Promise<void> {
  const keys = await gw.runtime.redis.keys(`${gw.config.QUEUE_PREFIX}:limit:*`);
  for (let i = 0; i < keys.length; i += 1000) await gw.runtime.redis.unlink(...keys.slice(i, i + 1000));
}

describe('limits shared by every API instance on one Redis', () => {
  let gw: TestGateway;
  let other: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    gw = await startTestGateway({
      env: { TRUST_PROXY: '1', RATE_LIMIT_AUTH_FAILURES: '4', RATE_LIMIT_PUBLIC: '6' },
    });
    other = await secondInstance(gw);
  });
  afterAll(async () => {
    await other?.close();
    if (gw) await deleteLimitKeys(gw);
    await gw?.close();
  });

  const onFirst = (path: string, options: Parameters<TestGateway['request']>[2]) =>
    gw.request('GET', path, options);
  const onSecond = (path: string, options: Parameters<TestGateway['request']>[2]) =>
    request(other.url, 'GET', path, options);

  it('counts failed authentications from one client on both instances into one window', async () => {
    const client = from('198.51.100.10');
    const statuses: number[] = [];
    for (const send of [onFirst, onSecond, onFirst, onSecond])
      statuses.push((await send('/api/v1/payments', { auth: WRONG, headers: client })).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    for (const send of [onFirst, onSecond]) {
      const blocked = await send('/api/v1/payments', { headers: client });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await onSecond('/api/v1/payments', { headers: from('198.51.100.11') })).status).toBe(200);
  });

  it('gives one client one public budget across both instances', async () => {
    const client = from('198.51.100.12');
    const path = '/api/v1/orders/order_AAAAAAAAAAAAAAAA/public';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await (i % 2 ? onSecond : onFirst)(path, { auth: false, headers: client })).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404]);
    const limited = await onSecond(path, { auth: false, headers: client });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await onFirst(path, { auth: false, headers: from('198.51.100.13') })).status).toBe(404);
  });

  it('keys an IPv6 client by its /64 and an IPv4 client by its address', async () => {
    const fail = (client: string) => onFirst('/api/v1/payments', { auth: WRONG, headers: from(client) });
    const status = async (client: string) =>
      (await onSecond('/api/v1/payments', { headers: from(client) })).status;
    // Four addresses of one /64, spelled every way: one client.
    for (const client of [
      '2001:db8:aaaa:1::1',
      '2001:db8:aaaa:1:ffff:ffff:ffff:ffff',
      '2001:0db8:aaaa:0001:0:0:0:2',
      '2001:DB8:AAAA:1::3',
    ])
      expect((await fail(client)).status).toBe(401);
    expect(await status('2001:db8:aaaa:1:1234:5678:9abc:def0')).toBe(429);
    expect(await status('2001:db8:aaaa:2::1')).toBe(200);
    expect(await status('2001:db8:aaab:1::1')).toBe(200);
    // Neighbouring IPv4 addresses are different clients; an IPv4-mapped address is its IPv4 address.
    for (const client of ['198.51.100.20', '::ffff:198.51.100.20', '198.51.100.20', '::ffff:c633:6414'])
      expect((await fail(client)).status).toBe(401);
    expect(await status('198.51.100.20')).toBe(429);
    expect(await status('198.51.100.21')).toBe(200);
  });
});

describe('the sign-in throttle', () => {
  let gw: TestGateway;
  let other: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    gw = await startTestGateway({ env: { TRUST_PROXY: '1' } });
    other = await secondInstance(gw);
  });
  afterAll(async () => {
    await other?.close();
    if (gw) await deleteLimitKeys(gw);
    await gw?.close();
  });

  const login = (base: string, email: string, client: string) =>
    new DashboardClient(base).request('POST', '/dashboard/api/login', {
      body: { email, password: 'a wrong password' },
      headers: from(client),
    });

  it('counts one account from one /64 on every instance, and no other /64', { timeout: 60_000 }, async () => {
    const email = unknownEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const base = i % 2 ? other.url : gw.url;
      statuses.push((await login(base, email, `2001:db8:bbbb:1::${(i + 1).toString(16)}`)).status);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    const blocked = await login(other.url, email, '2001:db8:bbbb:1:aaaa::1');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(gw.url, email, '2001:db8:bbbb:2::1')).status).toBe(401);
    expect((await login(gw.url, unknownEmail(), '2001:db8:bbbb:1::1')).status).toBe(401);
  });

  it('keeps an account blocked however many other clients and accounts fail meanwhile', {
    timeout: 60_000,
  }, async () => {
    const email = unknownEmail();
    const client = '203.0.113.50';
    for (let i = 0; i < 10; i++) expect((await login(gw.url, email, client)).status).toBe(401);
    expect((await login(gw.url, email, client)).status).toBe(429);
    // A flood of distinct keys (one /48's /64s, each spraying its own email), as would once have
    // filled an in-memory table and wiped it: none of them may cost the blocked account its count.
    const throttle = new LoginThrottle(gw.runtime);
    const FLOOD = 12_000;
    for (let start = 0; start < FLOOD; start += 2000) {
      await Promise.all(
        Array.from({ length: 2000 }, (_, i) => {
          const n = start + i;
          return throttle.fail(`2001:db8:cccc:${n.toString(16)}::1`, `spray-${n}@example.com`);
        }),
      );
    }
    expect((await login(gw.url, email, client)).status).toBe(429);
    expect((await login(other.url, email, client)).status).toBe(429);
  });

  it('forgets an account from one client once it signs in', async () => {
    const client = '203.0.113.60';
    for (let i = 0; i < 9; i++) expect((await login(gw.url, TEST_MERCHANT.email, client)).status).toBe(200); // test mode: any password
    const throttle = new LoginThrottle(gw.runtime);
    for (let i = 0; i < 9; i++) await throttle.fail(client, TEST_MERCHANT.email);
    expect(await throttle.retryAfterMs(client, ' Test@Example.com ')).toBe(0);
    await throttle.fail(client, 'TEST@example.com');
    expect(await throttle.retryAfterMs(client, TEST_MERCHANT.email)).toBeGreaterThan(0);
    expect(await throttle.retryAfterMs('203.0.113.61', TEST_MERCHANT.email)).toBe(0);
    await throttle.succeed(client, TEST_MERCHANT.email);
    expect(await throttle.retryAfterMs(client, TEST_MERCHANT.email)).toBe(0);
  });
});

describe('with Redis unreachable the limits fail open', () => {
  let redis: PrivateRedis;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    gw = await startTestGateway({
      env: { REDIS_URL: redis.url, RATE_LIMIT_AUTH_FAILURES: '2', RATE_LIMIT_PUBLIC: '3' },
    });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await gw?.close();
    await redis?.stop();
  });

  it('limits while Redis is up, answers everything while it is down, and limits again once it is back', {
    timeout: 60_000,
  }, async () => {
    await waitFor(() => gw.runtime.counters.status === 'ready');
    for (let i = 0; i < 2; i++)
      expect((await gw.request('GET', '/api/v1/payments', { auth: WRONG })).status).toBe(401);
    expect((await gw.request('GET', '/api/v1/payments')).status).toBe(429);

    await redis.stop();
    // A bound the API must keep whatever Redis does: it never waits for the limits.
    const quick = { timeoutMs: 3000 };
    expect((await gw.request('GET', '/api/v1/payments', quick)).status).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await gw.request('GET', '/api/v1/payments', { ...quick, auth: WRONG })).status).toBe(401);
    const order = await createOrder(gw);
    const payment = await gw.request('POST', '/api/v1/payments', {
      ...quick,
      body: { order_id: order.id, method: 'upi', vpa: 'user@paytm' },
    });
    expect(payment.status).toBe(201);
    for (let i = 0; i < 5; i++)
      expect((await gw.request('GET', `/api/v1/orders/${order.id}/public`, quick)).status).toBe(200);
    const dashboard = new DashboardClient(gw.url);
    expect(
      (
        await dashboard.request('POST', '/dashboard/api/login', {
          body: { email: unknownEmail(), password: 'x' },
        })
      ).status,
    ).toBe(401);
    expect((await dashboard.login(TEST_MERCHANT.email, 'x')).status).toBe(200);
    expect(gw.logs.text).toContain('failing open');

    await redis.start();
    await waitFor(() => gw.runtime.counters.status === 'ready', 15_000);
    for (let i = 0; i < 2; i++)
      expect((await gw.request('GET', '/api/v1/payments', { auth: WRONG })).status).toBe(401);
    expect((await gw.request('GET', '/api/v1/payments')).status).toBe(429);
  });
});
