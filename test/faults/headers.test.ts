import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient } from '../support/dashboard-client.js';
import { testEnvironment } from '../support/gateway.js';
import { ProcessGateway } from '../support/process-gateway.js';
import type { GatewayProcess } from '../support/processes.js';

/**
 * Security headers as the running processes send them. The dashboard (which shows API secrets and
 * can rotate them) may not be framed by anyone; the hosted checkout page must be framable by any
 * merchant site, since that is what checkout.js does; both run nothing but their own scripts, and
 * both ask for HTTPS from then on (HSTS).
 */
let gw: ProcessGateway;
let checkout: GatewayProcess;
let dashboard: DashboardClient;

beforeAll(async () => {
  gw = await ProcessGateway.start({ env: await testEnvironment(), workers: 0 });
  checkout = await gw.group.spawn('checkout', { env: { ...gw.env, API_PUBLIC_URL: gw.url } });
  dashboard = new DashboardClient(gw.url);
  const signedUp = await dashboard.signUp(
    'Header Shop',
    `headers-${Date.now()}@example.com`,
    'correct horse battery',
  );
  expect(signedUp.status).toBe(201);
}, 60_000);

afterAll(() => gw?.close());

function csp(headers: Headers): Map<string, string> {
  const directives = (headers.get('content-security-policy') ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/));
  return new Map(directives.map(([name = '', ...values]) => [name, values.join(' ')]));
}

/** What every HTML page of either server must send. */
function expectScriptLockdown(path: string, headers: Headers) {
  const policy = csp(headers);
  expect(policy.get('default-src'), path).toBe("'none'");
  expect(policy.get('script-src'), path).toBe("'self'");
  expect(policy.get('base-uri'), path).toBe("'none'");
  expect(headers.get('x-content-type-options'), path).toBe('nosniff');
  expect(headers.get('referrer-policy'), path).toBeTruthy();
  expectHsts(path, headers);
}

/** Behind TLS the browser must never fall back to plain HTTP (ignored over HTTP, by design). */
function expectHsts(path: string, headers: Headers) {
  expect(headers.get('strict-transport-security'), path).toMatch(/^max-age=(\d+)/);
  expect(
    Number(/max-age=(\d+)/.exec(headers.get('strict-transport-security') ?? '')?.[1]),
    path,
  ).toBeGreaterThanOrEqual(180 * 24 * 3600);
}

describe('dashboard pages', () => {
  const pages = ['/login', '/dashboard', '/dashboard/transactions', '/dashboard/webhooks', '/dashboard/docs'];

  it.each(pages)('%s cannot be framed and runs only its own scripts', async (path) => {
    const res = await dashboard.page(path);
    expect(res.status).toBe(path === '/login' ? 302 : 200); // a signed-in visit to /login goes home
    expectScriptLockdown(path, res.headers);
    expect(csp(res.headers).get('frame-ancestors')).toBe("'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(csp(res.headers).get('connect-src')).toBe("'self'");
    expect(csp(res.headers).get('form-action')).toBe("'self'");
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('the sign-in page, to a visitor, is locked down the same way', async () => {
    const res = await new DashboardClient(gw.url).page('/login');
    expect(res.status).toBe(200);
    expectScriptLockdown('/login', res.headers);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('also on the dashboard port (3000 by default)', async () => {
    const alias = new DashboardClient(`http://127.0.0.1:${gw.api.port('DASHBOARD_PORT')}`);
    const res = await alias.page('/login');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(csp(res.headers).get('frame-ancestors')).toBe("'none'");
  });

  it('its JSON, which carries secrets, is never cached', async () => {
    const res = await dashboard.request('GET', '/dashboard/api/session');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(csp(res.headers).get('default-src')).toBe("'none'");
    expectHsts('/dashboard/api/session', res.headers);
  });
});

describe('checkout server', () => {
  it('serves the hosted checkout page framable by merchant sites, and nothing else', async () => {
    const order = (await gw.request('POST', '/api/v1/orders', { body: { amount: 5000 } })).body;
    const res = await fetch(`${checkout.url}/checkout?order_id=${order.id}&embedded=true`);
    expect(res.status).toBe(200);
    expectScriptLockdown('/checkout', res.headers);
    const policy = csp(res.headers);
    expect(policy.get('frame-ancestors')).toBe('http: https:');
    expect(res.headers.get('x-frame-options')).toBeNull();
    // It talks to the API only.
    expect(policy.get('connect-src')).toBe(gw.url);
    expect(policy.get('require-trusted-types-for')).toBe("'script'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
  });

  it('does not let its own demo store be framed', async () => {
    const res = await fetch(`${checkout.url}/demo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(csp(res.headers).get('frame-ancestors')).toBe("'none'");
    expectScriptLockdown('/demo', res.headers);
  });

  it('serves checkout.js to any origin', async () => {
    const res = await fetch(`${checkout.url}/checkout.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
