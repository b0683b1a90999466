import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { uniqueEmail } from '../support/dashboard-client.js';
import { createOrder, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import {
  axeViolations,
  byTestId,
  type DashboardHarness,
  fitsViewport,
  screenshotPath,
  serious,
  signUpMerchant,
  startDashboardHarness,
} from './dashboard-harness.js';

/**
 * The dashboard's pages in Chromium: signing in, every contract data-test-id on every page under
 * both path forms, isolation between merchants, accessibility (axe-core), phone widths, and the
 * screenshots in screenshots/.
 */
let harness: DashboardHarness;
let page: Page;
let sink: WebhookSink;
let refundedPayment: string;

const CONTRACT_IDS: Record<string, string[]> = {
  '/dashboard': [
    'api-credentials',
    'api-key',
    'api-secret',
    'stats-container',
    'total-transactions',
    'total-amount',
    'success-rate',
  ],
  '/dashboard/transactions': [
    'transactions-table',
    'transaction-row',
    'payment-id',
    'order-id',
    'amount',
    'method',
    'status',
    'created-at',
  ],
  '/dashboard/webhooks': [
    'webhook-config',
    'webhook-config-form',
    'webhook-url-input',
    'webhook-secret',
    'regenerate-secret-button',
    'save-webhook-button',
    'test-webhook-button',
    'webhook-logs-table',
    'webhook-log-item',
    'webhook-event',
    'webhook-status',
    'webhook-attempts',
    'webhook-last-attempt',
    'webhook-response-code',
    'retry-webhook-button',
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

async function payment(auth: { key: string; secret: string }, amount: number, vpa = 'user@paytm') {
  const order = await createOrder(harness.gateway, amount, auth);
  const created = await harness.gateway.request('POST', '/api/v1/payments', {
    body: { order_id: order.id, method: 'upi', vpa },
    auth,
  });
  await waitFor(
    async () =>
      (await harness.gateway.request('GET', `/api/v1/payments/${created.body.id}`, { auth })).body.status !==
      'pending',
  );
  return created.body.id as string;
}

const testAuth = { key: TEST_MERCHANT.api_key, secret: TEST_MERCHANT.api_secret };

beforeAll(async () => {
  harness = await startDashboardHarness();
  // Data for the pages to show: payments that succeed and fail, a refund, and webhook deliveries,
  // delivered to an endpoint that accepts everything but failure events.
  sink = await WebhookSink.start((_index, request) =>
    request.headers['x-webhook-event'] === 'payment.failed'
      ? { status: 500, body: 'Internal Server Error' }
      : { status: 200 },
  );
  await harness.gateway.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  refundedPayment = await payment(testAuth, 150_000);
  await payment(testAuth, 49_900);
  await payment(testAuth, 25_000, 'failure@test');
  await harness.gateway.request('POST', `/api/v1/payments/${refundedPayment}/refunds`, {
    body: { amount: 20_000, reason: 'Returned item' },
  });
});
afterAll(async () => {
  await harness?.close();
  await sink?.close();
});

describe('signing in', () => {
  it('refuses a wrong password for a merchant other than the test merchant, then lets the right one in', async () => {
    const email = uniqueEmail('browser');
    await signUpMerchant(harness.gateway, 'Browser Shop', email, 'the right password');
    page = await harness.open();
    await page.goto('/login');
    await byTestId(page, 'email-input').fill(email);
    await byTestId(page, 'password-input').fill('not the password');
    await byTestId(page, 'login-button').click();
    const error = page.locator('#login-error');
    await expect.poll(() => error.textContent()).toBe('Invalid email or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await byTestId(page, 'password-input').inputValue()).toBe('');

    await byTestId(page, 'password-input').fill('the right password');
    await byTestId(page, 'login-button').click();
    await page.waitForURL('**/dashboard');
    expect(await page.locator('.account-name').textContent()).toBe('Browser Shop');
    // The session is an HttpOnly cookie: nothing of it, and no credential, is in the page's storage.
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'gw_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  });

  it('goes back to the page that asked for sign-in, and logs out', async () => {
    page = await harness.open();
    await page.goto('/login?next=%2Fdashboard%2Fwebhooks.html');
    await byTestId(page, 'email-input').fill(TEST_MERCHANT.email);
    await byTestId(page, 'password-input').fill('any password works in test mode');
    await byTestId(page, 'login-button').click();
    await page.waitForURL('**/dashboard/webhooks.html');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
  });
});

describe('the pages', () => {
  it('carry every contract data-test-id, with and without .html', async () => {
    page = await harness.open({ signIn: { email: TEST_MERCHANT.email, password: 'x' } });
    for (const [path, ids] of Object.entries(CONTRACT_IDS)) {
      for (const variant of [path, `${path}.html`]) {
        const response = await page.goto(variant);
        expect(response?.status(), variant).toBe(200);
        for (const id of ids)
          expect(await byTestId(page, id).count(), `${variant}: ${id}`).toBeGreaterThan(0);
      }
    }
    await page.goto('/dashboard/transactions');
    const rows = byTestId(page, 'transaction-row');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().getAttribute('data-payment-id')).toMatch(/^pay_[A-Za-z0-9]{16}$/);
    await page.goto('/dashboard/webhooks');
    const log = byTestId(page, 'webhook-log-item').first();
    expect(await log.getAttribute('data-webhook-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await byTestId(log, 'retry-webhook-button').getAttribute('data-webhook-id')).toBe(
      await log.getAttribute('data-webhook-id'),
    );
  });

  it('show the overview numbers, formatted', async () => {
    page = await harness.open({ signIn: { email: TEST_MERCHANT.email, password: 'x' } });
    expect(await byTestId(page, 'api-key').textContent()).toBe(TEST_MERCHANT.api_key);
    expect(await byTestId(page, 'api-secret').textContent()).toBe(TEST_MERCHANT.api_secret);
    expect(await byTestId(page, 'total-transactions').textContent()).toBe('3');
    expect(await byTestId(page, 'total-amount').textContent()).toBe('₹1,999.00');
    expect(await byTestId(page, 'success-rate').textContent()).toBe('66.7%');
    // The chart is drawn by the bundled uPlot (no CDN), into a canvas.
    await page.locator('[data-role="volume-chart"] canvas').waitFor();
    // The secret starts masked; Reveal shows it.
    const reveal = byTestId(page, 'reveal-secret-button');
    await reveal.click();
    expect(await reveal.getAttribute('aria-pressed')).toBe('true');
    expect(await byTestId(page, 'api-secret').getAttribute('class')).not.toContain('is-masked');
  });

  it('keep merchants apart: a second merchant sees none of the first one’s data', async () => {
    const firstPayment = await payment(testAuth, 10_000);
    const email = uniqueEmail('second');
    const second = await signUpMerchant(harness.gateway, 'Second Shop', email, 'second password');
    const own = await payment(second, 77_700);
    page = await harness.open({ signIn: { email, password: 'second password' } });
    expect(await byTestId(page, 'api-key').textContent()).toBe(second.key);
    expect(await byTestId(page, 'total-transactions').textContent()).toBe('1');
    await page.goto('/dashboard/transactions');
    const ids = await byTestId(page, 'transaction-row').evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('data-payment-id')),
    );
    expect(ids).toEqual([own]);
    await page.goto(`/dashboard/transactions?payment=${firstPayment}`);
    expect(await byTestId(page, 'payment-not-found').isVisible()).toBe(true);
    await page.goto('/dashboard/webhooks');
    expect(await byTestId(page, 'webhook-log-item').count()).toBe(0);
    expect(await byTestId(page, 'webhook-secret').textContent()).not.toBe(TEST_MERCHANT.webhook_secret);
  });
});

describe('accessibility and small screens', () => {
  const pages = [
    '/login',
    '/signup',
    '/dashboard',
    '/dashboard/transactions',
    '/dashboard/webhooks',
    '/dashboard/docs',
  ];

  it('has no serious axe-core violations on any page', async () => {
    const guest = await harness.open();
    const member = await harness.open({ signIn: { email: TEST_MERCHANT.email, password: 'x' } });
    const paymentId = await byTestId(member, 'total-transactions')
      .count()
      .then(async () => {
        await member.goto('/dashboard/transactions');
        return byTestId(member, 'transaction-row').first().getAttribute('data-payment-id');
      });
    const webhookId = await (async () => {
      await member.goto('/dashboard/webhooks');
      return byTestId(member, 'webhook-log-item').first().getAttribute('data-webhook-id');
    })();
    const visits: Array<[Page, string]> = [
      [guest, '/login'],
      [guest, '/signup'],
      [guest, '/dashboard/docs'],
      [member, '/dashboard'],
      [member, `/dashboard/transactions?payment=${paymentId}`],
      [member, `/dashboard/webhooks?log=${webhookId}`],
      [member, '/dashboard/docs'],
    ];
    for (const [tab, path] of visits) {
      await tab.goto(path);
      const found = serious(await axeViolations(tab));
      expect(found, `${path}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
    }
  });

  it('fits a 360 px wide phone without sideways scrolling of the page', async () => {
    const phone = await harness.open({
      width: 360,
      height: 740,
      signIn: { email: TEST_MERCHANT.email, password: 'x' },
    });
    for (const path of pages.slice(2)) {
      await phone.goto(path);
      expect(await fitsViewport(phone), path).toBe(true);
    }
    await phone.goto('/dashboard');
    await phone.screenshot({ path: screenshotPath('dashboard-mobile.png'), fullPage: true });
    const guest = await harness.open({ width: 360, height: 740 });
    for (const path of pages.slice(0, 2)) {
      await guest.goto(path);
      expect(await fitsViewport(guest), path).toBe(true);
    }
  });

  it('can be used from the keyboard: skip link first, then the navigation', async () => {
    page = await harness.open({ signIn: { email: TEST_MERCHANT.email, password: 'x' } });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});

describe('screenshots', () => {
  it('of every page, from this run', async () => {
    const guest = await harness.open();
    await guest.goto('/login');
    await guest.screenshot({ path: screenshotPath('login.png') });
    page = await harness.open({ signIn: { email: TEST_MERCHANT.email, password: 'x' } });
    await page.locator('[data-role="volume-chart"] canvas').waitFor();
    await page.screenshot({ path: screenshotPath('dashboard-home.png'), fullPage: true });
    await page.goto(`/dashboard/transactions?payment=${refundedPayment}#payment-detail`);
    await expect.poll(() => byTestId(page, 'refund-status').textContent()).toBe('processed');
    await page.screenshot({ path: screenshotPath('dashboard-transactions.png'), fullPage: true });
    // Every event delivered once, the failure event's first attempt refused by the endpoint.
    await waitFor(async () => {
      const logs = (await harness.gateway.request('GET', '/api/v1/webhooks?limit=100')).body.data;
      return logs.every((log: { attempts: number }) => log.attempts > 0);
    });
    await page.goto('/dashboard/webhooks');
    await page.screenshot({ path: screenshotPath('dashboard-webhooks.png'), fullPage: true });
    await page.goto('/dashboard/docs');
    await page.screenshot({ path: screenshotPath('dashboard-docs.png') });
  });
});
