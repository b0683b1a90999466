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
 * The dashboard's pages in Chromium: signing in, every documented data-test-id on every page under
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

  for (const width of [1280, 390]) {
    it(`opens the docs first in a fresh browser signed in as the test merchant, in test mode (${width} px)`, async () => {
      const fresh = await harness.open({ width, height: 800 });
      await fresh.goto('/dashboard/docs');
      await byTestId(fresh, 'api-docs').waitFor();
      expect(await fresh.getByRole('navigation', { name: 'Dashboard' }).count()).toBe(1);
      expect(await fresh.getByRole('link', { name: 'Log in' }).count()).toBe(0);
      expect(await fresh.locator('.account-name').textContent()).toBe('Test Merchant');
      await fresh.getByRole('link', { name: 'Transactions' }).click();
      await fresh.waitForURL('**/dashboard/transactions');
    });
  }

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
  it('carry every documented data-test-id, with and without .html', async () => {
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

describe('a new merchant’s overview', () => {
  for (const width of [1280, 390]) {
    it(`shows "—" for the success rate, the first steps, then the recent payments (${width} px)`, async () => {
      const email = uniqueEmail(`fresh${width}`);
      const merchant = await signUpMerchant(harness.gateway, `Fresh ${width}`, email, 'fresh password');
      const tab = await harness.open({ width, signIn: { email, password: 'fresh password' } });
      expect(await byTestId(tab, 'success-rate').textContent()).toBe('—');
      const steps = byTestId(tab, 'checklist-item');
      expect(await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-done')))).toEqual(
        ['false', 'false', 'false'],
      );
      expect(await fitsViewport(tab)).toBe(true);
      const found = serious(await axeViolations(tab));
      expect(found, JSON.stringify(found, null, 1)).toEqual([]);
      if (width === 390)
        await tab.screenshot({ path: screenshotPath('dashboard-first-run-mobile.png'), fullPage: true });

      const paymentId = await payment(merchant, 21_000);
      await tab.reload();
      expect(await byTestId(tab, 'success-rate').textContent()).toBe('100%');
      expect(await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-done')))).toEqual(
        ['false', 'true', 'false'],
      );
      const row = byTestId(tab, 'recent-payment-row');
      expect(await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-payment-id')))).toEqual([
        paymentId,
      ]);
      expect(await fitsViewport(tab)).toBe(true);
      await row.locator('a').click();
      await tab.waitForURL(`**/dashboard/transactions?payment=${paymentId}#payment-detail`);
      expect(await byTestId(tab, 'payment-detail').getAttribute('data-payment-id')).toBe(paymentId);
    });
  }
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
  }, 120_000); // axe-core over seven pages, the long docs page among them, on a busy machine

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

  it('shows transactions as cards on a 390 px phone: amount and status in view, no sideways scrolling', async () => {
    // One payment refunded in full beside the partly refunded one.
    const full = await payment(testAuth, 30_000);
    await harness.gateway.request('POST', `/api/v1/payments/${full}/refunds`, { body: { amount: 30_000 } });
    const phone = await harness.open({
      width: 390,
      height: 844,
      signIn: { email: TEST_MERCHANT.email, password: 'x' },
    });
    await phone.goto('/dashboard/transactions');
    expect(await fitsViewport(phone)).toBe(true);
    const scroller = phone.locator('.table-scroll').first();
    expect(await scroller.evaluate((box) => box.scrollWidth <= box.clientWidth)).toBe(true);
    const rows = byTestId(phone, 'transaction-row');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(4);
    for (let index = 0; index < count; index++) {
      const row = rows.nth(index);
      for (const cell of ['payment-id', 'amount', 'status', 'method', 'created-at']) {
        const box = await byTestId(row, cell).boundingBox();
        expect(box, cell).not.toBeNull();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390, cell).toBe(true);
      }
      // Amount and status share the card's first line.
      const amount = await byTestId(row, 'amount').boundingBox();
      const status = await byTestId(row, 'status').boundingBox();
      expect(Math.abs((amount?.y ?? 0) - (status?.y ?? 100)) < 16).toBe(true);
    }
    const api = (await harness.gateway.request('GET', '/api/v1/payments?limit=100')).body.data as Array<{
      id: string;
      status: string;
    }>;
    const statusOf = (id: string) => api.find((item) => item.id === id)?.status;
    const rowOf = (id: string) => phone.locator(`[data-test-id="transaction-row"][data-payment-id="${id}"]`);
    // The status cell says exactly what the API says; the human label sits beside it.
    expect(await byTestId(rowOf(full), 'status').textContent()).toBe(statusOf(full));
    expect(await byTestId(rowOf(full), 'refund-label').textContent()).toBe('Refunded');
    expect(await byTestId(rowOf(refundedPayment), 'status').textContent()).toBe('success');
    expect(await byTestId(rowOf(refundedPayment), 'refund-label').textContent()).toBe('Partially refunded');
    await phone.screenshot({ path: screenshotPath('dashboard-transactions-mobile.png'), fullPage: true });
  });

  it('labels the mode on every page, at both widths', async () => {
    for (const width of [1280, 390]) {
      const guest = await harness.open({ width });
      await guest.goto('/login');
      expect(await byTestId(guest, 'mode-badge').textContent()).toBe('Test mode');
      expect(await byTestId(guest, 'mode-badge').isVisible()).toBe(true);
      const member = await harness.open({ width, signIn: { email: TEST_MERCHANT.email, password: 'x' } });
      for (const path of pages.slice(2)) {
        await member.goto(path);
        expect(await byTestId(member, 'mode-badge').isVisible(), `${path} at ${width}`).toBe(true);
      }
    }
  }, 90_000); // eight pages at two widths on a busy machine

  it('shows times in the reader’s time zone, with UTC on hover', async () => {
    const tab = await harness.open({
      timezoneId: 'Asia/Kolkata',
      locale: 'en-GB',
      signIn: { email: TEST_MERCHANT.email, password: 'x' },
    });
    await tab.goto('/dashboard/transactions');
    const time = byTestId(tab, 'created-at').first().locator('time');
    const iso = (await time.getAttribute('datetime')) ?? '';
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kolkata',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(iso));
    await expect.poll(() => time.textContent()).toContain(local);
    expect(await time.textContent()).not.toContain('UTC');
    const utc = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(iso));
    expect(await time.getAttribute('title')).toMatch(new RegExp(`${utc}:\\d\\d UTC$`));
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
