import { createHmac } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { successfulPayment, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import { byTestId, type DashboardHarness, startDashboardHarness } from './dashboard-harness.js';

/**
 * What a merchant does on the dashboard, in Chromium, checked against the API and the merchant's
 * webhook endpoint: the webhook URL and secret, a failing delivery retried from the logs table,
 * refunds from the transactions page, filters and pagination.
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
    expect(await text(byTestId(page, 'webhook-detail').locator('pre'))).toContain('"event": "webhook.test"');

    await byTestId(page, 'webhook-status-filter').selectOption('failed');
    await byTestId(page, 'webhook-event-filter').selectOption('refund.processed');
    await byTestId(page, 'apply-webhook-filter-button').click();
    expect(await text(byTestId(page, 'webhook-logs-empty'))).toContain('No deliveries match these filters');
  });
});

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
    await expect.poll(() => text(statusMessage())).toMatch(/^Refund rfnd_\w{16} of ₹100.50 created/);
    await expect.poll(() => byTestId(page, 'refund-row').count()).toBe(1);
    expect(await text(byTestId(page, 'refund-amount'))).toBe('₹100.50');
    expect(await amount.inputValue()).toBe('399.50');

    // Someone refunds through the API meanwhile: the page's stale amount is refused by the server.
    await api('POST', `/api/v1/payments/${paymentId}/refunds`, { amount: 100 });
    await byTestId(page, 'refund-button').click();
    await expect.poll(() => text(error)).toBe('Refund amount exceeds available amount');

    await page.reload();
    await byTestId(page, 'refund-full-button').click();
    expect(await amount.inputValue()).toBe('398.50');
    await byTestId(page, 'refund-button').click();
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
    expect(await text(row.locator('td').nth(6))).toBe('₹500.00');
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
