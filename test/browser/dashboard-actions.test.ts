import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { uniqueEmail } from '../support/dashboard-client.js';
import { successfulPayment, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import {
  byTestId,
  type DashboardHarness,
  fitsViewport,
  screenshotPath,
  startDashboardHarness,
} from './dashboard-harness.js';

/**
 * What a merchant does on the dashboard, in Chromium, checked against the API and the merchant's
 * webhook endpoint: the API secret shown once at sign-up and regenerated, the webhook URL and
 * secret, a failing delivery retried from the logs table, refunds from the transactions page,
 * filters and pagination.
 */
let harness: DashboardHarness;
let sink: WebhookSink;
let page: Page;

beforeAll(async () => {
  sink = await WebhookSink.start();
  harness = await startDashboardHarness();
  page = await harness.open({ signIn: { email: TEST_MERCHANT.email, password: 'test mode' } });
});
afterAll(async () => {
  await harness?.close();
  await sink?.close();
});
beforeEach(() => {
  sink.behaviour = () => ({ status: 200 });
});

const api = (method: string, path: string, body?: unknown) => harness.gateway.request(method, path, { body });
const statusMessage = () => byTestId(page, 'status-message');
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

describe('API secret', () => {
  const payments = (secret: string, key: string) =>
    harness.gateway.request('GET', '/api/v1/payments', { auth: { key, secret } });

  it('is shown once after sign-up, then regenerated from the overview, the old one stopping at once', async () => {
    const own = await harness.open();
    await own.goto('/signup');
    await byTestId(own, 'signup-name-input').fill('Secret Keeper');
    await byTestId(own, 'signup-email-input').fill(uniqueEmail('secret'));
    await byTestId(own, 'signup-password-input').fill('keeper password');
    await byTestId(own, 'signup-button').click();
    const issued = byTestId(own, 'issued-credentials');
    await issued.waitFor();
    const key = await text(byTestId(own, 'issued-api-key'));
    const first = await text(byTestId(own, 'issued-api-secret'));
    expect(first).toMatch(/^secret_test_[A-Za-z0-9]{32}$/);
    expect((await payments(first, key)).status).toBe(200);

    await byTestId(own, 'continue-button').click();
    await own.waitForURL('**/dashboard');
    // The overview cannot show it again: only its hash is kept.
    expect(await own.content()).not.toContain(first);
    own.once('dialog', (dialog) => void dialog.accept());
    await byTestId(own, 'regenerate-api-secret-button').click();
    const shown = byTestId(own, 'api-secret');
    await expect.poll(() => text(shown)).toMatch(/^secret_test_[A-Za-z0-9]{32}$/);
    const second = await text(shown);
    expect(second).not.toBe(first);
    expect((await payments(first, key)).status).toBe(401);
    expect((await payments(second, key)).status).toBe(200);
    await own.reload();
    expect(await own.content()).not.toContain(second);
  });

  it('of the test merchant is its published one, with nothing to regenerate', async () => {
    await page.goto('/dashboard');
    expect(await text(byTestId(page, 'api-secret'))).toBe(TEST_MERCHANT.api_secret);
    expect(await byTestId(page, 'regenerate-api-secret-button').count()).toBe(0);
  });
});

describe('webhook settings', () => {
  it('saves a webhook URL, which the API then reports', async () => {
    await page.goto('/dashboard/webhooks');
    const input = byTestId(page, 'webhook-url-input');
    await input.fill('ftp://example.com/hook');
    await byTestId(page, 'save-webhook-button').click();
    await expect.poll(() => text(byTestId(page, 'webhook-config-error'))).toContain('http:// or https://');
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    await input.fill(sink.url);
    await byTestId(page, 'save-webhook-button').click();
    await expect.poll(() => text(statusMessage())).toBe('Webhook URL saved.');
    expect((await api('GET', '/api/v1/merchant/webhook')).body.webhook_url).toBe(sink.url);
    await page.reload();
    expect(await input.inputValue()).toBe(sink.url);
  });

  it('regenerates the secret: shown at once, reported by the API, and signing the next delivery', async () => {
    await page.goto('/dashboard/webhooks');
    const shown = byTestId(page, 'webhook-secret');
    const before = await text(shown);
    await byTestId(page, 'regenerate-secret-button').click();
    await expect.poll(() => text(shown)).not.toBe(before);
    const secret = await text(shown);
    expect(secret).toMatch(/^whsec_/);
    expect((await api('GET', '/api/v1/merchant/webhook')).body.webhook_secret).toBe(secret);

    const received = sink.requests.length;
    await byTestId(page, 'test-webhook-button').click();
    await waitFor(() => sink.requests.length > received);
    const delivery = sink.requests.at(-1);
    expect(delivery?.headers['x-webhook-event']).toBe('webhook.test');
    expect(delivery?.headers['x-webhook-signature']).toBe(
      createHmac('sha256', secret)
        .update(delivery?.body ?? '')
        .digest('hex'),
    );
  });

  it('shows a failed delivery as it happens, and retries it from the table', async () => {
    sink.behaviour = () => ({ status: 500, body: 'down for maintenance' });
    await page.goto('/dashboard/webhooks');
    await byTestId(page, 'test-webhook-button').click();
    await expect.poll(() => text(statusMessage())).toContain('Test webhook queued');
    // No reload: the table refreshes itself while deliveries are pending.
    const row = byTestId(page, 'webhook-log-item').first();
    await expect.poll(() => text(byTestId(row, 'webhook-response-code')), { timeout: 10_000 }).toBe('500');
    const id = (await row.getAttribute('data-webhook-id')) ?? '';
    expect(await text(byTestId(row, 'webhook-event'))).toBe('webhook.test');
    expect(await text(byTestId(row, 'webhook-status'))).toBe('pending');
    expect(await text(byTestId(row, 'webhook-attempts'))).toBe('1');
    expect(await byTestId(row, 'webhook-next-retry').locator('time').count()).toBe(1);
    expect(await byTestId(page, 'auto-refresh-note').isVisible()).toBe(true);

    sink.behaviour = () => ({ status: 200 });
    await page.locator(`[data-test-id="retry-webhook-button"][data-webhook-id="${id}"]`).click();
    await expect.poll(() => text(statusMessage())).toContain('Retry scheduled');
    const retried = page.locator(`[data-test-id="webhook-log-item"][data-webhook-id="${id}"]`);
    await expect.poll(() => text(byTestId(retried, 'webhook-status')), { timeout: 10_000 }).toBe('success');
    expect(await text(byTestId(retried, 'webhook-response-code'))).toBe('200');
    const log = (await api('GET', `/api/v1/webhooks/${id}`)).body;
    expect(log).toMatchObject({ status: 'success', response_code: 200 });
    // The success came from the manual retry (round 2), not from the automatic schedule.
    expect(log.attempt_history.at(-1)).toMatchObject({ round: 2, attempt: 1, response_code: 200 });
    await expect.poll(() => byTestId(page, 'auto-refresh-note').isVisible()).toBe(false);
  });

  it('filters the logs by status and event, and opens one delivery', async () => {
    await page.goto('/dashboard/webhooks');
    await byTestId(page, 'webhook-status-filter').selectOption('success');
    await byTestId(page, 'webhook-event-filter').selectOption('webhook.test');
    await byTestId(page, 'apply-webhook-filter-button').click();
    await page.waitForURL('**/dashboard/webhooks?status=success&event=webhook.test');
    const statuses = await byTestId(page, 'webhook-status').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses.map((status) => status.trim()))).toEqual(new Set(['success']));
    await byTestId(page, 'webhook-event').first().locator('a').click();
    await byTestId(page, 'webhook-detail').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('webhook-detail-title');
    expect(await text(byTestId(page, 'webhook-detail').locator('pre').first())).toContain(
      '"event": "webhook.test"',
    );

    await byTestId(page, 'webhook-status-filter').selectOption('failed');
    await byTestId(page, 'webhook-event-filter').selectOption('refund.processed');
    await byTestId(page, 'apply-webhook-filter-button').click();
    expect(await text(byTestId(page, 'webhook-logs-empty'))).toContain('No deliveries match these filters');
  });
});

/** The confirmation step every refund goes through: it names the amount, then the refund is made. */
async function confirmRefund(label: string) {
  const dialog = byTestId(page, 'confirm-dialog');
  await dialog.waitFor();
  expect(await text(byTestId(dialog, 'confirm-button'))).toBe(label);
  await byTestId(dialog, 'confirm-button').click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('refunds from the transactions page', () => {
  it('refunds part, refuses too much with a clear message, then refunds the rest', async () => {
    const paymentId = await successfulPayment(harness.gateway, 50_000);
    await page.goto('/dashboard/transactions');
    await page.locator(`[data-test-id="transaction-row"][data-payment-id="${paymentId}"] a`).click();
    await byTestId(page, 'refund-form').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    const amount = byTestId(page, 'refund-amount-input');
    const error = byTestId(page, 'refund-error');
    expect(await amount.inputValue()).toBe('500.00');

    await amount.fill('600');
    await byTestId(page, 'refund-button').click();
    expect(await text(error)).toBe('At most ₹500.00 can be refunded.');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    await amount.fill('12.345');
    await byTestId(page, 'refund-button').click();
    expect(await text(error)).toBe('Use at most 2 decimal places.');

    await amount.fill('100.50');
    await byTestId(page, 'refund-reason-input').fill('One item returned');
    await byTestId(page, 'refund-button').click();
    await confirmRefund('Refund ₹100.50');
    await expect.poll(() => text(statusMessage())).toMatch(/^Refund rfnd_\w{16} of ₹100.50 created/);
    await expect.poll(() => byTestId(page, 'refund-row').count()).toBe(1);
    expect(await text(byTestId(page, 'refund-amount'))).toBe('₹100.50');
    expect(await amount.inputValue()).toBe('399.50');

    // Someone refunds through the API meanwhile: the page's stale amount is refused by the server.
    await api('POST', `/api/v1/payments/${paymentId}/refunds`, { amount: 100 });
    await byTestId(page, 'refund-button').click();
    await confirmRefund('Refund ₹399.50');
    await expect.poll(() => text(error)).toBe('Refund amount exceeds available amount');

    await page.reload();
    await byTestId(page, 'refund-full-button').click();
    expect(await amount.inputValue()).toBe('398.50');
    await byTestId(page, 'refund-button').click();
    await confirmRefund('Refund ₹398.50');
    await expect
      .poll(() => text(byTestId(page, 'refund-unavailable')))
      .toBe('This payment has been refunded in full.');
    const refunds = (await api('GET', `/api/v1/payments/${paymentId}/refunds`)).body.data as Array<{
      amount: number;
    }>;
    expect(refunds.map((refund) => refund.amount).sort((a, b) => a - b)).toEqual([100, 10_050, 39_850]);
    // Refunds are processed by the worker; the detail follows them without a reload.
    await expect
      .poll(async () => (await byTestId(page, 'refund-status').allTextContents()).map((s) => s.trim()), {
        timeout: 10_000,
      })
      .toEqual(['processed', 'processed', 'processed']);
    await page.goto(`/dashboard/transactions?payment=${paymentId}`);
    const row = page.locator(`[data-test-id="transaction-row"][data-payment-id="${paymentId}"]`);
    expect(await text(byTestId(row, 'status'))).toBe('success');
    expect(await text(byTestId(row, 'refund-label'))).toBe('Refunded');
    expect(await text(row.locator('.refunded-amount'))).toBe('₹500.00');
  });

  it('filters by status and pages through many payments', async () => {
    await Promise.all(
      Array.from({ length: 21 }, (_, index) => successfulPayment(harness.gateway, 10_000 + index)),
    );
    await page.goto('/dashboard/transactions');
    expect(await byTestId(page, 'transaction-row').count()).toBe(20);
    expect(await text(byTestId(page, 'pagination-summary'))).toMatch(/^Showing 1–20 of \d+$/);
    await byTestId(page, 'next-page').click();
    await page.waitForURL('**/dashboard/transactions?page=2');
    expect(await byTestId(page, 'transaction-row').count()).toBeGreaterThan(0);
    await byTestId(page, 'status-filter').selectOption('failed');
    await byTestId(page, 'apply-filter-button').click();
    await page.waitForURL('**/dashboard/transactions?status=failed');
    expect(await text(byTestId(page, 'transactions-empty'))).toContain('No failed payments');
  });
});

describe('lists that grow while they are open', () => {
  const signIn = { email: TEST_MERCHANT.email, password: 'test mode' };
  const rowIds = (tab: Page, testId: string, key: string) =>
    byTestId(tab, testId).evaluateAll((rows, name) => rows.map((row) => row.getAttribute(name)), key);

  for (const width of [1280, 390]) {
    it(`offers new payments in an "N new" banner and inserts them when asked (${width} px)`, async () => {
      const tab = await harness.open({ width, signIn });
      await tab.goto('/dashboard/transactions');
      const shown = await rowIds(tab, 'transaction-row', 'data-payment-id');
      const first = await successfulPayment(harness.gateway, 12_300);
      const second = await successfulPayment(harness.gateway, 45_600);
      const button = byTestId(tab, 'show-new-rows-button');
      await expect.poll(() => text(button), { timeout: 15_000 }).toBe('Show 2 new payments');
      // Nothing moved under the reader meanwhile.
      expect(await rowIds(tab, 'transaction-row', 'data-payment-id')).toEqual(shown);
      await button.click();
      await expect
        .poll(async () => (await rowIds(tab, 'transaction-row', 'data-payment-id')).slice(0, 3))
        .toEqual([second, first, shown[0]]);
      expect(await byTestId(tab, 'new-rows-banner').isHidden()).toBe(true);
      // Keyboard focus lands on the newest row, where the button was.
      expect(await tab.evaluate(() => document.activeElement?.closest('tr')?.dataset.paymentId)).toBe(second);
      await expect.poll(() => text(byTestId(tab, 'status-message'))).toContain('2 new payments shown');
    });

    it(`offers new webhook deliveries the same way (${width} px)`, async () => {
      await api('PUT', '/api/v1/merchant/webhook', { webhook_url: sink.url });
      const tab = await harness.open({ width, signIn });
      await tab.goto('/dashboard/webhooks');
      // Settled rows only, so the table does not refresh itself for pending ones.
      await waitFor(async () => (await api('GET', '/api/v1/webhooks?status=pending')).body.total === 0);
      await tab.reload();
      const queued = await api('POST', '/api/v1/merchant/webhook/test');
      const button = byTestId(tab, 'show-new-rows-button');
      await expect.poll(() => text(button), { timeout: 15_000 }).toBe('Show 1 new delivery');
      await button.click();
      await expect
        .poll(async () => (await rowIds(tab, 'webhook-log-item', 'data-webhook-id'))[0])
        .toBe(queued.body.id);
    });
  }

  it('asks nothing while the tab is hidden, and checks again when it is shown', async () => {
    const tab = await harness.open({ signIn });
    await tab.goto('/dashboard/transactions');
    const asked: string[] = [];
    tab.on('request', (request) => {
      if (new URL(request.url()).pathname === '/dashboard/api/payments') asked.push(request.url());
    });
    await expect.poll(() => asked.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const setVisibility = (state: 'hidden' | 'visible') =>
      tab.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    const whileShown = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 11_000)); // two polling intervals and then some
    expect(asked.length).toBe(whileShown);
    await setVisibility('visible');
    await expect.poll(() => asked.length).toBeGreaterThan(whileShown);
  });
});

describe('searching transactions and exporting them', () => {
  for (const width of [1280, 390]) {
    it(`finds a payment by its receipt, narrows by day, and downloads the filtered CSV (${width} px)`, async () => {
      const receipt = `rcpt-${width}-${Date.now()}`;
      const order = await api('POST', '/api/v1/orders', { amount: 77_700, receipt });
      const created = await api('POST', '/api/v1/payments', {
        order_id: order.body.id,
        method: 'upi',
        vpa: `search${width}@okaxis`,
      });
      await waitFor(
        async () => (await api('GET', `/api/v1/payments/${created.body.id}`)).body.status !== 'pending',
      );
      const tab = await harness.open({ width, signIn: { email: TEST_MERCHANT.email, password: 'x' } });
      await tab.goto('/dashboard/transactions');
      await byTestId(tab, 'search-input').fill(receipt);
      await byTestId(tab, 'apply-filter-button').click();
      await tab.waitForURL(`**/dashboard/transactions?q=${receipt}`);
      const ids = () =>
        byTestId(tab, 'transaction-row').evaluateAll((rows) =>
          rows.map((row) => row.getAttribute('data-payment-id')),
        );
      expect(await ids()).toEqual([created.body.id]);
      expect(await fitsViewport(tab)).toBe(true);

      // The same search by its VPA, limited to today (UTC): still found; from tomorrow: nothing.
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await byTestId(tab, 'search-input').fill(`search${width}@OKAXIS`);
      await byTestId(tab, 'from-date-input').fill(today);
      await byTestId(tab, 'to-date-input').fill(today);
      await byTestId(tab, 'apply-filter-button').click();
      await tab.waitForURL(`**/dashboard/transactions?q=*&from=${today}&to=${today}`);
      expect(await ids()).toEqual([created.body.id]);

      const [download] = await Promise.all([
        tab.waitForEvent('download'),
        byTestId(tab, 'export-csv-link').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^payments-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      const lines = csv.trim().split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(created.body.id);
      expect(lines[1]).toContain(receipt);

      await byTestId(tab, 'from-date-input').fill(tomorrow);
      await byTestId(tab, 'to-date-input').fill('');
      await byTestId(tab, 'apply-filter-button').click();
      await tab.waitForURL(`**/dashboard/transactions?q=*&from=${tomorrow}`);
      expect(await text(byTestId(tab, 'transactions-empty'))).toContain('No payments match this search');
      await byTestId(tab, 'clear-filter-link').click();
      await tab.waitForURL('**/dashboard/transactions');
      expect(await byTestId(tab, 'transaction-row').count()).toBeGreaterThan(1);
    });
  }
});

describe('a delivery in detail', () => {
  for (const width of [1280, 390]) {
    it(`shows each attempt's URL and headers beside its response, and resends a delivered one (${width} px)`, async () => {
      await api('PUT', '/api/v1/merchant/webhook', { webhook_url: sink.url });
      sink.behaviour = () => ({ status: 200, body: 'thanks' });
      const queued = await api('POST', '/api/v1/merchant/webhook/test');
      const id = queued.body.id as string;
      await waitFor(async () => (await api('GET', `/api/v1/webhooks/${id}`)).body.status === 'success');
      const received = sink.requests.filter((request) => request.headers['x-webhook-id'] === id);
      expect(received).toHaveLength(1);

      const tab = await harness.open({ width, signIn: { email: TEST_MERCHANT.email, password: 'x' } });
      await tab.goto(`/dashboard/webhooks?log=${id}#webhook-detail`);
      const attempt = byTestId(tab, 'webhook-attempt').first();
      expect(await text(byTestId(attempt, 'attempt-url'))).toBe(sink.url);
      const shown = await byTestId(attempt, 'attempt-request-headers').evaluate((list) =>
        Object.fromEntries(
          Array.from(list.querySelectorAll('div'), (pair) => [
            pair.querySelector('dt')?.textContent?.toLowerCase() ?? '',
            pair.querySelector('dd')?.textContent ?? '',
          ]),
        ),
      );
      // Exactly the headers the endpoint received, signature included.
      for (const name of ['content-type', 'x-webhook-signature', 'x-webhook-id', 'x-webhook-event']) {
        expect(shown[name], name).toBe(received[0]?.headers[name]);
      }
      expect(await text(byTestId(attempt, 'attempt-response-code'))).toBe('200');
      expect(await text(attempt)).toContain('thanks');
      expect(await fitsViewport(tab)).toBe(true);
      await byTestId(tab, 'webhook-detail').screenshot({
        path: screenshotPath(`dashboard-webhook-detail-${width}.png`),
      });

      // Delivered rows offer "Resend": the same delivery goes out again, a new round.
      const row = tab.locator(`[data-test-id="webhook-log-item"][data-webhook-id="${id}"]`);
      const resend = byTestId(row, 'retry-webhook-button');
      expect(await text(resend)).toBe('Resend');
      await resend.click();
      await expect.poll(() => text(byTestId(tab, 'status-message'))).toContain('Resend scheduled');
      await waitFor(
        () => sink.requests.filter((request) => request.headers['x-webhook-id'] === id).length === 2,
      );
      await expect
        .poll(() => byTestId(tab, 'webhook-attempt').first().getAttribute('data-round'), { timeout: 10_000 })
        .toBe('2');
    });
  }
});
