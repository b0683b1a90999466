import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DECLINE_DESCRIPTIONS,
  type DeclineCode,
  formatCardNumber,
  SUCCEEDING_TEST_VALUES,
  TEST_VALUES,
} from '../../common/test-values.js';
import { buildApi } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { listenDashboardAlias } from '../../src/dashboard/alias-server.js';
import type { OpenApiDocument } from '../../src/dashboard/openapi-types.js';
import { operationId } from '../../src/dashboard/views/api-reference.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { DashboardClient, uniqueEmail } from '../support/dashboard-client.js';
import { startTestGateway, successfulPayment, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { freePort } from '../support/redis-server.js';
import { WebhookSink } from '../support/webhook-sink.js';

const run = promisify(execFile);

/**
 * The dashboard's server side over HTTP, against the real API, PostgreSQL, Redis and workers:
 * sessions, CSRF, sign-up and sign-in rules, isolation through the dashboard, the pages' states and
 * headers, and the docs' snippets actually run.
 */
let gw: TestGateway;
let testMerchant: DashboardClient;

beforeAll(async () => {
  gw = await startTestGateway({ workers: true });
  testMerchant = new DashboardClient(gw.url);
  expect((await testMerchant.login(TEST_MERCHANT.email, 'anything at all')).status).toBe(200);
});
afterAll(() => gw?.close());

const paid = (auth: { key: string; secret: string }, amount = 50_000) => successfulPayment(gw, amount, auth);

const testAuth = { key: TEST_MERCHANT.api_key, secret: TEST_MERCHANT.api_secret };

describe('pages and their access', () => {
  it('opens as the public test merchant for signed-out visitors in test mode, as the original pages did', async () => {
    const visitor = new DashboardClient(gw.url);
    const page = await visitor.page('/dashboard/webhooks.html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-test-id="webhook-config"');
    expect(page.headers.get('set-cookie')).toMatch(/^gw_session=/);
    const root = await visitor.page('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard');
  });

  it('outside test mode sends signed-out visitors to the sign-in page, and back after', async () => {
    const live = await startTestGateway({ env: { TEST_MODE: 'false' } });
    try {
      const visitor = new DashboardClient(live.url);
      for (const path of ['/dashboard', '/dashboard/transactions', '/dashboard/webhooks.html']) {
        const response = await visitor.page(path);
        expect(response.status).toBe(302);
        expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
      const login = await visitor.page('/login?next=%2Fdashboard%2Fwebhooks');
      expect(login.status).toBe(200);
      expect(login.text).toContain('data-next="/dashboard/webhooks"');
      expect(login.text).toContain('data-test-id="mode-badge">Live mode<');
      // Only dashboard paths are places to go back to.
      const offsite = await visitor.page('/login?next=https%3A%2F%2Fevil.example%2F');
      expect(offsite.text).not.toContain('data-next');
    } finally {
      await live.close();
    }
  });

  it('answers every page with and without .html, with the documented ids and strict headers', async () => {
    const pages: Record<string, string[]> = {
      '/dashboard': [
        'api-credentials',
        'api-key',
        'api-secret',
        'stats-container',
        'total-transactions',
        'total-amount',
        'success-rate',
      ],
      '/dashboard/transactions': ['transactions-table'],
      '/dashboard/webhooks': [
        'webhook-config',
        'webhook-config-form',
        'webhook-url-input',
        'webhook-secret',
        'regenerate-secret-button',
        'save-webhook-button',
        'test-webhook-button',
        'webhook-logs-table',
      ],
      '/dashboard/docs': [
        'api-docs',
        'section-create-order',
        'code-snippet-create-order',
        'section-sdk-integration',
        'code-snippet-sdk',
        'section-webhook-verification',
        'code-snippet-webhook',
      ],
    };
    for (const [path, ids] of Object.entries(pages)) {
      for (const variant of [path, `${path}.html`]) {
        const page = await testMerchant.page(variant);
        expect(page.status, variant).toBe(200);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(page.headers.get('x-frame-options')).toBe('DENY');
        expect(page.headers.get('x-content-type-options')).toBe('nosniff');
        expect(page.headers.get('referrer-policy')).toBe('same-origin');
        expect(page.headers.get('cache-control')).toBe('no-store');
        for (const id of ids) expect(page.text, `${variant} ${id}`).toContain(`data-test-id="${id}"`);
        expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      }
    }
    const login = await new DashboardClient(gw.url).page('/login.html');
    for (const id of ['login-form', 'email-input', 'password-input', 'login-button']) {
      expect(login.text).toContain(`data-test-id="${id}"`);
    }
  });

  it('serves the bundle and stylesheet with long-lived caching for versioned URLs', async () => {
    const home = await testMerchant.page('/dashboard');
    const script = /<script src="([^"]+)"/.exec(home.text)?.[1];
    const style = /<link rel="stylesheet" href="([^"]+)"/.exec(home.text)?.[1];
    expect(script).toMatch(/^\/dashboard\/assets\/dashboard\.js\?v=/);
    const js = await fetch(gw.url + script);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const css = await fetch(gw.url + style);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${gw.url}/dashboard/assets/nope.js`)).status).toBe(404);
  });

  it('shows docs to anyone: test credentials in test mode, the own key when signed in', async () => {
    const anonymous = await new DashboardClient(gw.url).page('/dashboard/docs');
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain(`X-Api-Key: ${TEST_MERCHANT.api_key}`);
    const other = new DashboardClient(gw.url);
    const signedUp = await other.signUp('Docs Reader', uniqueEmail('docs'), 'correct horse battery');
    const { api_key, api_secret } = signedUp.body.credentials;
    const own = await other.page('/dashboard/docs');
    expect(own.text).toContain(`X-Api-Key: ${api_key}`);
    // A real secret is never printed: the snippet reads it from the environment.
    expect(own.text).not.toContain(api_secret);
    expect(own.text).toContain('$GATEWAY_API_SECRET');
  });
});

describe('sign-in, sign-up and sessions', () => {
  it('sets an HttpOnly, SameSite, signed session cookie, and refuses a tampered one', async () => {
    const client = new DashboardClient(gw.url);
    const response = await client.login(TEST_MERCHANT.email, 'whatever');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gw_session=[^;]+\.[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(response.body.merchant).toEqual({
      id: TEST_MERCHANT.id,
      name: 'Test Merchant',
      email: TEST_MERCHANT.email,
    });
    expect((await client.request('GET', '/dashboard/api/session')).status).toBe(200);

    const [name, value] = (client.cookie ?? '').split('=');
    const token = decodeURIComponent(value ?? '');
    const forged = `${name}=${encodeURIComponent(`${token.slice(0, -3)}AAA`)}`;
    const refused = await client.request('GET', '/dashboard/api/session', { cookie: forged });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('AUTHENTICATION_ERROR');
  });

  it('signs up a merchant with fresh credentials, shown once, and a scrypt-hashed password', async () => {
    const email = uniqueEmail('signup');
    const client = new DashboardClient(gw.url);
    const created = await client.signUp('Second Shop', email, 'a long enough password');
    expect(created.status).toBe(201);
    const { credentials } = created.body;
    expect(credentials.api_key).toMatch(/^key_test_[A-Za-z0-9]{16}$/);
    expect(credentials.api_secret).toMatch(/^secret_test_[A-Za-z0-9]{32}$/);
    // Afterwards the secret is nowhere to be read again: the dashboard knows only its hash.
    const later = (await client.request('GET', '/dashboard/api/credentials')).body;
    expect(later).toEqual({ api_key: credentials.api_key, api_secret: null });
    expect((await client.page('/dashboard')).text).not.toContain(credentials.api_secret);
    const config = (await client.request('GET', '/dashboard/api/merchant/webhook')).body;
    expect(config).toEqual({ webhook_url: null, webhook_secret: expect.stringMatching(/^whsec_/) });
    const stored = await gw.runtime.db.query('SELECT password_hash FROM merchants WHERE email = $1', [email]);
    expect(stored.rows[0].password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored.rows[0].password_hash).not.toContain('a long enough password');

    // The same email again, in any case, is refused; so are weak inputs, with the field named.
    const again = await new DashboardClient(gw.url).signUp('Copy', email.toUpperCase(), 'another password');
    expect(again.status).toBe(400);
    expect(again.body.error.field).toBe('email');
    const short = await new DashboardClient(gw.url).signUp('Shop', uniqueEmail(), 'short');
    expect(short.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: 'password' });
    const noEmail = await new DashboardClient(gw.url).signUp('Shop', 'not-an-email', 'long enough pass');
    expect(noEmail.body.error.field).toBe('email');
  });

  it('keeps the test merchant on its published secret: shown on the overview, never regenerated', async () => {
    const credentials = (await testMerchant.request('GET', '/dashboard/api/credentials')).body;
    expect(credentials).toEqual({ api_key: TEST_MERCHANT.api_key, api_secret: TEST_MERCHANT.api_secret });
    const refused = await testMerchant.request('POST', '/dashboard/api/credentials/secret');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('BAD_REQUEST_ERROR');
    expect((await gw.request('GET', '/api/v1/payments', { auth: testAuth })).status).toBe(200);
  });

  it('needs the real password for every merchant but the test merchant, and says the same for unknown emails', async () => {
    const email = uniqueEmail('password');
    await new DashboardClient(gw.url).signUp('Password Shop', email, 'the right password');
    const wrong = await new DashboardClient(gw.url).login(email, 'the wrong password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await new DashboardClient(gw.url).login(uniqueEmail('nobody'), 'the wrong password');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.description).toBe(wrong.body.error.description);
    const right = await new DashboardClient(gw.url).login(email.toUpperCase(), 'the right password');
    expect(right.status).toBe(200);
    // A merchant made outside the dashboard has no password at all: nothing signs it in.
    const apiOnly = await createMerchant(gw.runtime.db);
    const row = await gw.runtime.db.query('SELECT email FROM merchants WHERE id = $1', [apiOnly.id]);
    expect((await new DashboardClient(gw.url).login(row.rows[0].email, '')).status).toBe(401);
  });

  it('slows password guessing: 429 with Retry-After after ten failures, even for the right password', async () => {
    const email = uniqueEmail('guess');
    await new DashboardClient(gw.url).signUp('Guess Shop', email, 'the right password');
    const client = new DashboardClient(gw.url);
    for (let i = 0; i < 10; i++) expect((await client.login(email, `guess ${i}`)).status).toBe(401);
    const blocked = await client.login(email, 'the right password');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logs out: the session ends on the server, not just in the browser', async () => {
    const client = new DashboardClient(gw.url);
    await client.login(TEST_MERCHANT.email, 'x');
    const cookie = client.cookie;
    const out = await client.request('POST', '/dashboard/api/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^gw_session=; Max-Age=0/);
    expect((await client.request('GET', '/dashboard/api/session', { cookie })).status).toBe(401);
  });
});

describe('cross-site request forgery', () => {
  it('refuses state changes without the session CSRF token or from another origin', async () => {
    const path = '/dashboard/api/merchant/webhook/secret';
    const noToken = await testMerchant.request('POST', path, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('FORBIDDEN');
    expect((await testMerchant.request('POST', path, { csrf: 'not-the-token' })).status).toBe(403);
    const foreign = await testMerchant.request('POST', path, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await testMerchant.request('POST', path, {
      origin: null,
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    // Signing in from another origin is refused too (login CSRF).
    const foreignLogin = await new DashboardClient(gw.url).request('POST', '/dashboard/api/login', {
      body: { email: TEST_MERCHANT.email, password: 'x' },
      origin: 'https://evil.example',
    });
    expect(foreignLogin.status).toBe(403);
    const ok = await testMerchant.request('POST', path);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    await testMerchant.request('POST', path); // leave a generated secret; nothing relies on the seeded one here
  });
});

describe('the dashboard goes through the same services as the API', () => {
  it('lists, details and refunds payments, with the API’s validation messages', async () => {
    const paymentId = await paid(testAuth, 30_000);
    const list = await testMerchant.request('GET', '/dashboard/api/payments?status=success&limit=100');
    expect(list.body.data.map((p: { id: string }) => p.id)).toContain(paymentId);

    const tooMuch = await testMerchant.request('POST', `/dashboard/api/payments/${paymentId}/refunds`, {
      body: { amount: 30_001 },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.description).toBe('Refund amount exceeds available amount');
    const partial = await testMerchant.request('POST', `/dashboard/api/payments/${paymentId}/refunds`, {
      body: { amount: 10_000, reason: 'damaged' },
      headers: { 'Idempotency-Key': 'dashboard-refund-1' },
    });
    expect(partial.status).toBe(201);
    const replay = await testMerchant.request('POST', `/dashboard/api/payments/${paymentId}/refunds`, {
      body: { amount: 10_000, reason: 'damaged' },
      headers: { 'Idempotency-Key': 'dashboard-refund-1' },
    });
    expect(replay.text).toBe(partial.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const viaApi = await gw.request('GET', `/api/v1/payments/${paymentId}/refunds`);
    expect(viaApi.body.data.map((r: { id: string }) => r.id)).toEqual([partial.body.id]);
    const detail = await testMerchant.request('GET', `/dashboard/api/payments/${paymentId}/detail`);
    expect(detail.body.payment.amount_refunded).toBe(10_000);
    expect(detail.body.refunds.map((r: { id: string }) => r.id)).toEqual([partial.body.id]);

    const page = await testMerchant.page(`/dashboard/transactions?payment=${paymentId}`);
    expect(page.text).toContain(`data-test-id="payment-detail" data-payment-id="${paymentId}"`);
    expect(page.text).toContain(`data-refund-id="${partial.body.id}"`);
    expect(page.text).toContain('value="200.00"'); // what is left, prefilled for a full refund
  });

  it('serves every merchant route of the API, answering exactly as the API does', async () => {
    const { body: order } = await gw.request('POST', '/api/v1/orders', { body: { amount: 12_345 } });
    const viaApi = await gw.request('GET', `/api/v1/orders/${order.id}`);
    const viaDashboard = await testMerchant.request('GET', `/dashboard/api/orders/${order.id}`);
    expect(viaDashboard.status).toBe(200);
    expect(viaDashboard.body).toEqual(viaApi.body);
    const badApi = await gw.request('POST', '/api/v1/orders', { body: { amount: 1 } });
    const badDashboard = await testMerchant.request('POST', '/dashboard/api/orders', { body: { amount: 1 } });
    expect([badDashboard.status, badDashboard.body.error.description]).toEqual([
      badApi.status,
      badApi.body.error.description,
    ]);
    // The session names the merchant there; API keys do not.
    const withKeysOnly = await new DashboardClient(gw.url).request(
      'GET',
      `/dashboard/api/orders/${order.id}`,
      {
        headers: { 'x-api-key': testAuth.key, 'x-api-secret': testAuth.secret },
      },
    );
    expect(withKeysOnly.status).toBe(401);
    const { paths } = (await gw.request('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(paths).filter((path) => path.startsWith('/dashboard'))).toEqual([]);
  });

  it('counts the merchant’s own payments on the overview', async () => {
    const client = new DashboardClient(gw.url);
    const signedUp = await client.signUp('Stats Shop', uniqueEmail('stats'), 'stats password');
    const empty = await client.request('GET', '/dashboard/api/stats');
    expect(empty.body).toMatchObject({ total_transactions: 0, success_rate: 0, amounts: [] });
    const { api_key, api_secret } = signedUp.body.credentials;
    await paid({ key: api_key, secret: api_secret }, 12_345);
    await paid({ key: api_key, secret: api_secret }, 10_000);
    const stats = (await client.request('GET', '/dashboard/api/stats')).body;
    expect(stats).toMatchObject({ total_transactions: 2, successful: 2, success_rate: 100 });
    expect(stats.amounts).toEqual([{ currency: 'INR', amount: 22_345 }]);
    const home = await client.page('/dashboard');
    expect(home.text).toMatch(/data-test-id="total-transactions">2</);
    expect(home.text).toMatch(/data-test-id="total-amount">₹223.45</);
    expect(home.text).toMatch(/data-test-id="success-rate">100%</);
    const volume = (await client.request('GET', '/dashboard/api/volume?days=7')).body;
    expect(volume.days).toHaveLength(7);
    expect(volume.days.at(-1)).toMatchObject({ payments: 2, successful: 2, amount: 22_345 });
  });

  it('walks a new merchant through its first steps, with "—" for a success rate it does not have yet', async () => {
    const client = new DashboardClient(gw.url);
    const signedUp = await client.signUp('Fresh Shop', uniqueEmail('fresh'), 'fresh password');
    const checklistOf = (html: string) =>
      [...html.matchAll(/data-test-id="checklist-item" data-done="(true|false)"/g)].map((match) => match[1]);
    const empty = await client.page('/dashboard');
    expect(empty.text).toMatch(/data-test-id="success-rate">—</);
    expect(empty.text).not.toContain('0%');
    expect(checklistOf(empty.text)).toEqual(['false', 'false', 'false']);
    expect(empty.text).toContain('data-test-id="recent-payments-empty"');

    const sink = await WebhookSink.start();
    try {
      await client.request('PUT', '/dashboard/api/merchant/webhook', { body: { webhook_url: sink.url } });
      expect(checklistOf((await client.page('/dashboard')).text)).toEqual(['true', 'false', 'false']);
      const { api_key, api_secret } = signedUp.body.credentials;
      const paymentId = await paid({ key: api_key, secret: api_secret }, 15_000);
      await waitFor(
        async () => (await client.request('GET', '/dashboard/api/webhooks?status=success')).body.total > 0,
      );
      const done = await client.page('/dashboard');
      expect(done.text).not.toContain('data-test-id="first-run-checklist"');
      expect(done.text).toMatch(/data-test-id="success-rate">100%</);
      // Recent payments: its own, linked to their detail; none of the test merchant's.
      const recent = [
        ...done.text.matchAll(/data-test-id="recent-payment-row" data-payment-id="([^"]+)"/g),
      ].map((match) => match[1]);
      expect(recent).toEqual([paymentId]);
      expect(done.text).toContain(`href="/dashboard/transactions?payment=${paymentId}#payment-detail"`);
      const theirs = await testMerchant.page('/dashboard');
      expect(theirs.text).not.toContain(paymentId);
    } finally {
      await sink.close();
    }
  });

  it('keeps merchants apart: another merchant’s payment and delivery are not found', async () => {
    const paymentId = await paid(testAuth);
    const configured = await testMerchant.request('PUT', '/dashboard/api/merchant/webhook', {
      body: { webhook_url: 'http://127.0.0.1:9/unreachable' },
    });
    expect(configured.status).toBe(200);
    const test = await testMerchant.request('POST', '/dashboard/api/merchant/webhook/test');
    expect(test.status).toBe(202);

    const other = new DashboardClient(gw.url);
    await other.signUp('Nosy Shop', uniqueEmail('nosy'), 'nosy password');
    expect((await other.request('GET', `/dashboard/api/payments/${paymentId}/detail`)).status).toBe(404);
    const refund = await other.request('POST', `/dashboard/api/payments/${paymentId}/refunds`, {
      body: { amount: 100 },
    });
    expect(refund.status).toBe(404);
    expect((await other.request('POST', `/dashboard/api/webhooks/${test.body.id}/retry`)).status).toBe(404);
    expect((await other.request('GET', `/dashboard/api/webhooks/${test.body.id}`)).status).toBe(404);
    expect((await other.request('GET', '/dashboard/api/payments')).body.total).toBe(0);
    expect((await other.request('GET', '/dashboard/api/webhooks')).body.total).toBe(0);
    const page = await other.page(`/dashboard/transactions?payment=${paymentId}`);
    expect(page.text).toContain('data-test-id="payment-not-found"');
    expect(page.text).not.toContain(`data-payment-id="${paymentId}"`);
    await testMerchant.request('PUT', '/dashboard/api/merchant/webhook', { body: { webhook_url: null } });
  });
});

describe('the docs', () => {
  it('renders the API reference from the OpenAPI document, without the dashboard’s own endpoints', async () => {
    const openapi = (await gw.request('GET', '/api/v1/openapi.json', { auth: false })).body;
    const paths = Object.keys(openapi.paths);
    expect(paths.some((path) => path.startsWith('/dashboard') || path === '/login')).toBe(false);
    const docs = await testMerchant.page('/dashboard/docs');
    for (const [path, item] of Object.entries(openapi.paths as Record<string, object>)) {
      for (const method of Object.keys(item)) {
        expect(docs.text).toContain(`data-method="${method.toUpperCase()}" data-path="${path}"`);
      }
    }
  });

  it('gives every operation an example request and response, and the Idempotency-Key note where the route takes one', async () => {
    const openapi = (await gw.request('GET', '/api/v1/openapi.json', { auth: false }))
      .body as OpenApiDocument;
    const docs = (await testMerchant.page('/dashboard/docs')).text;
    const idempotent: string[] = [];
    for (const [path, item] of Object.entries(openapi.paths ?? {})) {
      for (const [method, op] of Object.entries(item)) {
        const id = operationId(method, path);
        const article = new RegExp(`<article[^>]* id="${id}"[\\s\\S]*?</article>`).exec(docs)?.[0] ?? '';
        expect(article, `${method} ${path}`).toContain(`id="${id}-request"`);
        const succeeds = Object.keys(op.responses ?? {}).some((status) => status.startsWith('2'));
        if (succeeds) expect(article, `${method} ${path}`).toContain(`id="${id}-response"`);
        const noted = article.includes('data-test-id="idempotency-note"');
        expect(article.includes('Idempotency-Key: '), `${method} ${path}`).toBe(noted);
        if (noted) idempotent.push(`${method.toUpperCase()} ${path}`);
      }
    }
    // Every POST that creates something, capture and both test sends (as the API applies keys).
    expect(idempotent.sort()).toEqual(
      [
        'POST /api/v1/orders',
        'POST /api/v1/payments',
        'POST /api/v1/payments/public',
        'POST /api/v1/payments/{id}/capture',
        'POST /api/v1/payments/{id}/refunds',
        'POST /api/v1/webhook_endpoints',
        'POST /api/v1/webhook_endpoints/{id}/test',
        'POST /api/v1/merchant/webhook/test',
      ].sort(),
    );
  });

  it('puts the merchant’s operations first and the operator’s last, in the navigation too', async () => {
    const docs = (await testMerchant.page('/dashboard/docs')).text;
    const order = [
      ...docs.matchAll(/data-test-id="api-endpoint" data-method="\w+" data-path="([^"]+)"/g),
    ].map((match) => match[1] ?? '');
    expect(order[0]).toBe('/api/v1/orders');
    const firstOperatorCall = order.findIndex(
      (path) => path === '/health' || path.startsWith('/api/v1/test/'),
    );
    expect(
      order.slice(firstOperatorCall).every((path) => path === '/health' || path.startsWith('/api/v1/test/')),
    ).toBe(true);
    const nav = /<details class="docs-nav"[\s\S]*?<\/details>/.exec(docs)?.[0] ?? '';
    const navOrder = [...nav.matchAll(/href="#(op-[^"]+)"/g)].map((match) => match[1]);
    const pageOrder = [...docs.matchAll(/<article class="endpoint" id="(op-[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(navOrder).toEqual(pageOrder);
  });

  it('says which payment fields each method needs', async () => {
    const docs = unescapeHtml((await testMerchant.page('/dashboard/docs')).text);
    const article = /<article[^>]* id="op-post-api-v1-payments"[\s\S]*?<\/article>/.exec(docs)?.[0] ?? '';
    const required = (field: string) =>
      new RegExp(`<td><code>${field.replace('.', '\\.')}</code></td><td>.*?</td><td>(.*?)</td>`).exec(
        article,
      )?.[1];
    expect(required('method')).toBe('yes');
    expect(required('vpa')).toBe('if method is "upi"');
    expect(required('card')).toBe('if method is "card"');
    expect(required('card.number')).toBe('yes, in card');
    expect(required('card.cvv')).toBe('yes, in card');
  });

  it('shows the test values with each decline’s own error code and description', async () => {
    const docs = unescapeHtml((await testMerchant.page('/dashboard/docs')).text);
    const table = /data-test-id="test-values-table"[\s\S]*?<\/table>/.exec(docs)?.[0] ?? '';
    for (const value of TEST_VALUES) {
      const row = new RegExp(`<tr data-outcome="${value.outcome}">[\\s\\S]*?</tr>`).exec(table)?.[0] ?? '';
      for (const card of value.cards) expect(row).toContain(formatCardNumber(card));
      for (const vpa of value.vpas) expect(row).toContain(vpa);
      if (value.outcome !== 'DISPUTED') {
        expect(row).toContain(`<code>${value.outcome}</code>`);
        expect(row).toContain(DECLINE_DESCRIPTIONS[value.outcome as DeclineCode]);
      }
    }
    expect(table).toContain(SUCCEEDING_TEST_VALUES.card.slice(0, 4));
  });

  it('has reference examples that run as printed', async () => {
    const docs = unescapeHtml((await testMerchant.page('/dashboard/docs')).text);
    const example = (id: string) =>
      (new RegExp(`<code id="${id}-request"[^>]*>([\\s\\S]*?)</code>`).exec(docs)?.[1] ?? '').replace(
        gw.config.API_PUBLIC_URL.replace(/\/+$/, ''),
        gw.url,
      );
    const created = JSON.parse((await run('sh', ['-c', example('op-post-api-v1-orders')])).stdout);
    expect(created).toMatchObject({ amount: 50_000, currency: 'INR', status: 'created' });
    const listed = JSON.parse((await run('sh', ['-c', example('op-get-api-v1-payments')])).stdout);
    expect(listed).toMatchObject({ limit: 10, offset: 0 });
    const health = JSON.parse((await run('sh', ['-c', example('op-get-health')])).stdout);
    expect(health.status).toBe('healthy');
  });

  it('has a create-order snippet that works as printed', async () => {
    const docs = await testMerchant.page('/dashboard/docs');
    const snippet = unescapeHtml(
      /data-test-id="code-snippet-create-order">([\s\S]*?)<\/code>/.exec(docs.text)?.[1] ?? '',
    );
    expect(snippet).toContain('curl -X POST');
    const command = snippet.replace(gw.config.API_PUBLIC_URL, gw.url);
    const { stdout } = await run('sh', ['-c', command]);
    expect(JSON.parse(stdout)).toMatchObject({
      amount: 50_000,
      currency: 'INR',
      receipt: 'receipt_123',
      status: 'created',
    });
  });

  it('has a webhook receiver snippet that verifies real deliveries over the raw body', async () => {
    const docs = await testMerchant.page('/dashboard/docs');
    const code = unescapeHtml(
      /data-test-id="code-snippet-webhook">([\s\S]*?)<\/code>/.exec(docs.text)?.[1] ?? '',
    );
    const dir = await mkdtemp(join(tmpdir(), 'webhook-snippet-'));
    const file = join(dir, 'receiver.cjs');
    await writeFile(file, code);
    const secret = (await testMerchant.request('GET', '/dashboard/api/merchant/webhook')).body.webhook_secret;
    const port = await freePort();
    const receiver = spawn(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '', WEBHOOK_SECRET: secret, PORT: String(port) },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}/webhook`;
    try {
      const forged = () =>
        fetch(url, { method: 'POST', body: '{}', headers: { 'X-Webhook-Signature': 'f00d' } });
      await waitFor(async () => (await forged().catch(() => null))?.status === 401);
      await testMerchant.request('PUT', '/dashboard/api/merchant/webhook', { body: { webhook_url: url } });
      const queued = await testMerchant.request('POST', '/dashboard/api/merchant/webhook/test');
      const delivered = await waitFor(async () => {
        const log = (await testMerchant.request('GET', `/dashboard/api/webhooks/${queued.body.id}`)).body;
        return log.status === 'pending' ? null : log;
      });
      expect(delivered).toMatchObject({ status: 'success', response_code: 200, attempts: 1 });
    } finally {
      receiver.kill();
      await testMerchant.request('PUT', '/dashboard/api/merchant/webhook', { body: { webhook_url: null } });
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('when the database is unreachable', () => {
  it('answers pages with a clear HTML error page and the endpoints with 503, quickly', async () => {
    const config = loadConfig({ ...gw.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/unreachable' });
    const runtime = createRuntime(config, 'no-database', { log: createLogger('silent', 'no-database') });
    const app = await buildApi(runtime);
    try {
      const cookie = 'gw_session=some-token.some-signature';
      const started = Date.now();
      const page = await app.inject({ method: 'GET', url: '/dashboard', headers: { cookie } });
      expect(page.statusCode).toBe(503);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('cannot reach its database');
      const login = await app.inject({
        method: 'POST',
        url: '/dashboard/api/login',
        payload: { email: TEST_MERCHANT.email, password: 'x' },
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(8000);
      // Signed out, the sign-in page and the docs need no database at all.
      expect((await app.inject({ method: 'GET', url: '/login' })).statusCode).toBe(200);
      const docs = await app.inject({ method: 'GET', url: '/dashboard/docs' });
      expect(docs.statusCode).toBe(200);
      expect(docs.body).toContain('href="/login">Log in');
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

describe('small things a browser runs into', () => {
  it('serves an icon at /favicon.ico on the API port and the dashboard port', async () => {
    const alias = await listenDashboardAlias(gw.app, 0, '127.0.0.1');
    try {
      for (const base of [gw.url, `http://127.0.0.1:${alias.port}`]) {
        const icon = await fetch(`${base}/favicon.ico`);
        expect(icon.status).toBe(200);
        expect(icon.headers.get('content-type')).toBe('image/x-icon');
        const bytes = Buffer.from(await icon.arrayBuffer());
        // An ICO directory (reserved 0, type 1) holding PNG images.
        expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2)]).toEqual([0, 1]);
        expect(bytes.readUInt16LE(4)).toBeGreaterThan(0);
        expect(bytes.includes(Buffer.from('\x89PNG', 'latin1'))).toBe(true);
      }
    } finally {
      await alias.close();
    }
  });

  it('signs a first-time visitor of the docs in as the test merchant in test mode', async () => {
    const visitor = new DashboardClient(gw.url);
    const docs = await visitor.page('/dashboard/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('set-cookie')).toMatch(/^gw_session=/);
    expect(docs.text).toContain('aria-label="Dashboard"');
    expect(docs.text).not.toContain('href="/login">Log in');
    // Outside test mode the docs stay open to anyone, signed out.
    const live = await startTestGateway({ env: { TEST_MODE: 'false' } });
    try {
      const page = await new DashboardClient(live.url).page('/dashboard/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(page.text).toContain('href="/login">Log in');
    } finally {
      await live.close();
    }
  });

  it('forgets the last round’s response when a delivered webhook is retried', async () => {
    const sink = await WebhookSink.start(() => ({ status: 200, body: 'ok' }));
    try {
      await testMerchant.request('PUT', '/dashboard/api/merchant/webhook', {
        body: { webhook_url: sink.url },
      });
      const queued = await testMerchant.request('POST', '/dashboard/api/merchant/webhook/test');
      const path = `/dashboard/api/webhooks/${queued.body.id}`;
      await waitFor(async () => (await testMerchant.request('GET', path)).body.status === 'success');
      // Without workers the new round cannot start: what the row says in between is what is checked.
      await gw.stopWorkers();
      try {
        expect((await testMerchant.request('POST', `${path}/retry`)).status).toBe(200);
        const between = (await testMerchant.request('GET', path)).body;
        expect(between).toMatchObject({
          status: 'pending',
          attempts: 0,
          response_code: null,
          response_body: null,
        });
        // The first round's answer stays in the history.
        expect(between.attempt_history).toMatchObject([{ round: 1, response_code: 200 }]);
        const page = await testMerchant.page('/dashboard/webhooks');
        const row =
          new RegExp(`data-webhook-id="${queued.body.id}"[\\s\\S]*?</tr>`).exec(page.text)?.[0] ?? '';
        expect(row).toMatch(/data-test-id="webhook-attempts" class="num">0</);
        expect(row).toMatch(/data-test-id="webhook-response-code" class="num">—</);
      } finally {
        gw.startWorkers();
      }
      const after = await waitFor(async () => {
        const log = (await testMerchant.request('GET', path)).body;
        return log.status === 'success' && log;
      });
      expect(after).toMatchObject({ attempts: 1, response_code: 200 });
    } finally {
      await testMerchant.request('PUT', '/dashboard/api/merchant/webhook', { body: { webhook_url: null } });
      await sink.close();
    }
  });
});

describe('the dashboard port', () => {
  it('serves the same pages and endpoints on a second port', async () => {
    const alias = await listenDashboardAlias(gw.app, 0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${alias.port}`;
      const root = await fetch(`${base}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/dashboard');
      const client = new DashboardClient(base);
      expect((await client.login(TEST_MERCHANT.email, 'x')).status).toBe(200);
      for (const path of [
        '/dashboard',
        '/dashboard/transactions',
        '/dashboard/webhooks',
        '/dashboard/docs',
        '/login',
      ]) {
        expect([200, 302]).toContain((await client.page(path)).status);
      }
      expect((await client.page('/dashboard/webhooks.html')).text).toContain('data-test-id="webhook-config"');
    } finally {
      await alias.close();
    }
  });
});

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
