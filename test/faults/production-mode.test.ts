import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { hashApiSecret } from '../../src/domain/api-secrets.js';
import { DashboardClient, uniqueEmail } from '../support/dashboard-client.js';
import { databaseUrl } from '../support/databases.js';
import { request, TEST_AUTH, testEnvironment } from '../support/gateway.js';
import { sleep } from '../support/load.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { type GatewayProcess, ProcessGroup } from '../support/processes.js';

/**
 * Production mode (TEST_MODE unset), against real `gateway` processes: the published test
 * credentials open nothing, also on a database a test-mode start seeded and used; API secrets exist
 * only as hashes, shown once; a deactivated merchant takes no payment anywhere within a second;
 * /metrics wants its token; `gateway start` runs no test receiver; addresses follow the ports.
 */
const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const METRICS_TOKEN = randomBytes(24).toString('hex');
const PRIVATE_TARGET = 'http://127.0.0.1:9/webhook';

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    throw new Error(`gateway ${args.join(' ')} exited ${failed.code}: ${failed.stderr}`);
  }
}

type Auth = { key: string; secret: string };
const UPI = { method: 'upi', vpa: 'buyer@okbank' };

/** The authenticated operations of the API's own OpenAPI document, with their ids filled in. */
async function authenticatedOperations(url: string): Promise<Array<[string, string]>> {
  const doc = (await request(url, 'GET', '/api/v1/openapi.json', { auth: false })).body as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => (operation.security ?? []).length > 0)
      .map(([method, _]): [string, string] => [
        method.toUpperCase(),
        path.replace(/\{[^}]+\}/g, 'pay_AAAAAAAAAAAAAAAA'),
      ]),
  );
}

/** True once `refused` holds, polled for at most a second (a deactivation must count within one). */
async function refusedWithinOneSecond(refused: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 1000;
  for (;;) {
    if (await refused()) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}

describe('production mode (real processes)', () => {
  let gw: ProcessGateway;
  let production: Record<string, string>;
  let testModeOrder: string;
  let testModeSession: DashboardClient;
  const others = new ProcessGroup();

  beforeAll(async () => {
    // A database first used in test mode: the test merchant takes an order and opens a session.
    const env = await testEnvironment({ RATE_LIMIT_AUTH_FAILURES: '100000', LOG_LEVEL: 'warn' });
    const testMode = await ProcessGateway.start({ env, workers: 0, logLevel: 'warn' });
    const order = await testMode.request('POST', '/api/v1/orders', { body: { amount: 50_000 } });
    expect(order.status).toBe(201);
    testModeOrder = order.body.id;
    testModeSession = new DashboardClient(testMode.url);
    expect((await testModeSession.login(TEST_MERCHANT.email, 'anything')).status).toBe(200);
    await testMode.group.killAll();
    await testMode.db.end();

    production = { ...env, TEST_MODE: 'false', METRICS_TOKEN };
    gw = await ProcessGateway.start({ env: production, workers: 0, logLevel: 'warn' });
  }, 60_000);
  afterAll(async () => {
    await others.killAll();
    await gw?.close();
  });

  /** A merchant made by `gateway merchant create`, the way a deployment makes one. */
  async function newMerchant(label: string) {
    const email = uniqueEmail(label);
    const password = 'a production password';
    const { stdout } = await cli(
      ['merchant', 'create', '--name', `${label} Shop`, '--email', email, '--password', password],
      production,
    );
    const created = JSON.parse(stdout) as { id: string; api_key: string; api_secret: string };
    return { id: created.id, email, password, auth: { key: created.api_key, secret: created.api_secret } };
  }

  const orderFor = async (auth: Auth) => {
    const order = await gw.request('POST', '/api/v1/orders', { body: { amount: 20_000 }, auth });
    expect(order.status).toBe(201);
    return order.body.id as string;
  };

  describe('the public test credentials', () => {
    it('authenticate no endpoint of the API, on a database a test-mode start seeded', async () => {
      const operations = await authenticatedOperations(gw.url);
      expect(operations.length).toBeGreaterThan(20);
      for (const [method, path] of operations) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const answer = await gw.request(method, path, { body, timeoutMs: 5000 });
        expect([method, path, answer.status]).toEqual([method, path, 401]);
      }
    });

    it('pay nothing and sign in nowhere: public payments, the dashboard, an old session, the test helpers', async () => {
      const keyed: Record<string, string> = { 'X-Api-Key': TEST_AUTH['X-Api-Key'] };
      for (const headers of [{}, keyed]) {
        const paid = await gw.request('POST', '/api/v1/payments/public', {
          body: { order_id: testModeOrder, ...UPI },
          headers,
          auth: false,
        });
        expect(paid.status).toBe(404);
      }
      expect((await new DashboardClient(gw.url).login(TEST_MERCHANT.email, 'anything')).status).toBe(401);
      // The session the test merchant opened in test mode is worth nothing now.
      const reused = new DashboardClient(gw.url);
      reused.cookie = testModeSession.cookie;
      expect((await reused.request('GET', '/dashboard/api/session')).status).toBe(401);
      expect((await reused.page('/dashboard')).status).toBe(302);
      for (const path of ['/api/v1/test/merchant', '/api/v1/test/jobs/status']) {
        expect((await gw.request('GET', path, { auth: false })).status).toBe(404);
      }
    });

    it('authenticate nothing on a fresh database either, where production migrated and seeded', async () => {
      const fresh = await ProcessGateway.start({
        env: {
          ...production,
          DATABASE_URL: databaseUrl(`gw_test_${inject('runId')}_prod_${randomBytes(3).toString('hex')}`),
          METRICS_TOKEN: '',
        },
        migrate: true,
        workers: 0,
        logLevel: 'warn',
      });
      try {
        const seeded = await fresh.db.query('SELECT 1 FROM merchants WHERE id = $1', [TEST_MERCHANT.id]);
        expect(seeded.rowCount).toBe(1);
        expect((await fresh.request('GET', '/api/v1/payments')).status).toBe(401);
        expect((await new DashboardClient(fresh.url).login(TEST_MERCHANT.email, 'x')).status).toBe(401);
        // Without METRICS_TOKEN the API's /metrics is locked; so is the queue view without ADMIN_PASSWORD.
        expect((await fetch(`${fresh.url}/metrics`)).status).toBe(401);
        expect((await fetch(`${fresh.url}/admin/queues`)).status).toBe(401);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('API secrets', () => {
    it('are stored only as hashes, and the printed secret authenticates', async () => {
      const merchant = await newMerchant('Hashed');
      const row = (await gw.db.query('SELECT * FROM merchants WHERE id = $1', [merchant.id])).rows[0];
      expect(row.api_secret_hash).toBe(hashApiSecret(merchant.auth.secret));
      expect(JSON.stringify(row)).not.toContain(merchant.auth.secret);
      expect((await gw.request('GET', '/api/v1/payments', { auth: merchant.auth })).status).toBe(200);
      const wrong = { ...merchant.auth, secret: `${merchant.auth.secret}x` };
      expect((await gw.request('GET', '/api/v1/payments', { auth: wrong })).status).toBe(401);
    });

    it('are regenerated on the dashboard (session and CSRF token), shown once, and the old one stops at once', async () => {
      const merchant = await newMerchant('Rotating');
      const dashboard = new DashboardClient(gw.url);
      expect((await dashboard.login(merchant.email, merchant.password)).status).toBe(200);
      const shown = (await dashboard.request('GET', '/dashboard/api/credentials')).body;
      expect(shown).toEqual({ api_key: merchant.auth.key, api_secret: null });

      const forged = await dashboard.request('POST', '/dashboard/api/credentials/secret', { csrf: null });
      expect(forged.status).toBe(403);
      const anonymous = await new DashboardClient(gw.url).request(
        'POST',
        '/dashboard/api/credentials/secret',
      );
      expect(anonymous.status).toBe(401);
      expect((await gw.request('GET', '/api/v1/payments', { auth: merchant.auth })).status).toBe(200);

      const regenerated = await dashboard.request('POST', '/dashboard/api/credentials/secret');
      expect(regenerated.status).toBe(200);
      const fresh = regenerated.body as { api_key: string; api_secret: string };
      expect(fresh.api_key).toBe(merchant.auth.key);
      expect(fresh.api_secret).toMatch(/^secret_test_[A-Za-z0-9]{32}$/);
      expect((await gw.request('GET', '/api/v1/payments', { auth: merchant.auth })).status).toBe(401);
      const renewed = { key: fresh.api_key, secret: fresh.api_secret };
      expect((await gw.request('GET', '/api/v1/payments', { auth: renewed })).status).toBe(200);
      const row = (await gw.db.query('SELECT api_secret_hash FROM merchants WHERE id = $1', [merchant.id]))
        .rows[0];
      expect(row.api_secret_hash).toBe(hashApiSecret(fresh.api_secret));
      expect((await dashboard.page('/dashboard')).text).not.toContain(fresh.api_secret);
    });
  });

  it('a deactivated merchant takes no payment within a second, public endpoints included; reactivated, it does again', async () => {
    const merchant = await newMerchant('Deactivated');
    const dashboard = new DashboardClient(gw.url);
    expect((await dashboard.login(merchant.email, merchant.password)).status).toBe(200);
    const [forApi, forCheckout, forKeyedCheckout] = [
      await orderFor(merchant.auth),
      await orderFor(merchant.auth),
      await orderFor(merchant.auth),
    ];
    const pay = (orderId: string) =>
      gw.request('POST', '/api/v1/payments', { body: { order_id: orderId, ...UPI }, auth: merchant.auth });
    const payPublicly = (orderId: string, headers: Record<string, string> = {}) =>
      gw.request('POST', '/api/v1/payments/public', {
        body: { order_id: orderId, ...UPI },
        headers,
        auth: false,
      });
    // Warm every path first, so that anything cached would be cached now.
    for (let i = 0; i < 3; i++) {
      expect((await gw.request('GET', '/api/v1/payments', { auth: merchant.auth })).status).toBe(200);
      expect((await gw.request('GET', `/api/v1/orders/${forCheckout}/public`, { auth: false })).status).toBe(
        200,
      );
    }

    await cli(['merchant', 'deactivate', '--email', merchant.email], production);
    expect(await refusedWithinOneSecond(async () => (await pay(forApi)).status === 401)).toBe(true);
    expect(await refusedWithinOneSecond(async () => (await payPublicly(forCheckout)).status === 404)).toBe(
      true,
    );
    const keyed = async () =>
      (await payPublicly(forKeyedCheckout, { 'X-Api-Key': merchant.auth.key })).status;
    expect(await refusedWithinOneSecond(async () => (await keyed()) === 404)).toBe(true);
    expect((await dashboard.request('GET', '/dashboard/api/session')).status).toBe(401);
    const taken = await gw.db.query('SELECT count(*)::int AS n FROM payments WHERE merchant_id = $1', [
      merchant.id,
    ]);
    expect(taken.rows[0].n).toBe(0);

    await cli(['merchant', 'activate', '--email', merchant.email], production);
    expect((await pay(forApi)).status).toBe(201);
    expect((await payPublicly(forCheckout)).status).toBe(201);
  });

  it('refuses private webhook targets', async () => {
    const merchant = await newMerchant('Webhooks');
    const saved = await gw.request('PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: PRIVATE_TARGET },
      auth: merchant.auth,
    });
    expect(saved.status).toBe(400);
    const endpoint = await gw.request('POST', '/api/v1/webhook_endpoints', {
      body: { url: PRIVATE_TARGET },
      auth: merchant.auth,
    });
    expect(endpoint.status).toBe(400);
  });

  it('serves /metrics only for Authorization: Bearer $METRICS_TOKEN', async () => {
    const scrape = (headers: Record<string, string> = {}) => fetch(`${gw.url}/metrics`, { headers });
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ Authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await scrape({ Authorization: `Basic ${METRICS_TOKEN}` })).status).toBe(401);
    const allowed = await scrape({ Authorization: `Bearer ${METRICS_TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('# TYPE gateway_http_requests_total ');
  });

  it('the demo store of the checkout server creates nothing: the test merchant cannot act', async () => {
    const checkout = await others.spawn('checkout', {
      env: { ...production, API_INTERNAL_URL: gw.url, API_PUBLIC_URL: gw.url },
      logLevel: 'warn',
    });
    const answer = await fetch(`${checkout.url}/demo/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 10_000 }),
    });
    expect(answer.status).toBe(401);
  });

  describe('gateway start', () => {
    let started: GatewayProcess;
    beforeAll(async () => {
      started = await others.spawn('start', { env: { ...production, METRICS_TOKEN: '' }, logLevel: 'info' });
    }, 60_000);

    it('runs no test receiver', async () => {
      const receiver = `http://127.0.0.1:${started.port('RECEIVER_PORT')}/health`;
      await expect(fetch(receiver, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      expect((await fetch(`${started.url}/health`)).status).toBe(200);
    });

    it('points the hosted checkout and the demo at the configured ports', async () => {
      const apiOrigin = `http://localhost:${started.port('PORT')}`;
      const checkoutOrigin = `http://localhost:${started.port('CHECKOUT_PORT')}`;
      const page = await fetch(`http://127.0.0.1:${started.port('CHECKOUT_PORT')}/checkout?order_id=x`);
      expect(await page.text()).toContain(`<meta name="gateway-api-url" content="${apiOrigin}" />`);
      expect(page.headers.get('content-security-policy')).toContain(`connect-src ${apiOrigin}`);
      const demo = await fetch(`http://127.0.0.1:${started.port('CHECKOUT_PORT')}/demo`);
      expect(await demo.text()).toContain(`${checkoutOrigin}/checkout.js`);
    });
  });
});
