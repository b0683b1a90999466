import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { successfulPayment, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import {
  axeViolations,
  byTestId,
  type DashboardHarness,
  fitsViewport,
  screenshotPath,
  serious,
  startDashboardHarness,
} from './dashboard-harness.js';

/**
 * A payment's detail in Chromium, at laptop and phone widths: its timeline of events with their
 * deliveries, the raw JSON, copy buttons, capture through the API's capture route, and the
 * confirmation every refund goes through.
 */
let harness: DashboardHarness;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  harness = await startDashboardHarness();
  await harness.gateway.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
});
afterAll(async () => {
  await harness?.close();
  await sink?.close();
});

const signIn = { email: TEST_MERCHANT.email, password: 'test mode' };
const api = (method: string, path: string, body?: unknown) => harness.gateway.request(method, path, { body });
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

async function openDetail(width: number, paymentId: string): Promise<Page> {
  const tab = await harness.open({ width, height: 900, signIn });
  await tab.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await tab.goto(`/dashboard/transactions?payment=${paymentId}#payment-detail`);
  await byTestId(tab, 'payment-detail').waitFor();
  return tab;
}

/** Every event of the payment delivered (so the timeline shows each delivery's answer). */
async function delivered(paymentId: string, events: number) {
  await waitFor(async () => {
    const logs = (await api('GET', `/api/v1/webhooks?resource_id=${paymentId}&status=success`)).body;
    return logs.total >= events;
  });
}

for (const width of [1280, 390]) {
  describe(`a payment's detail at ${width} px`, () => {
    it('shows its timeline, each event linked to its deliveries, and the raw JSON', async () => {
      const paymentId = await successfulPayment(harness.gateway, 64_000);
      await delivered(paymentId, 3);
      const tab = await openDetail(width, paymentId);
      const events = byTestId(tab, 'timeline-event');
      expect(
        await events.evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type'))),
      ).toEqual(['payment.created', 'payment.pending', 'payment.success']);
      // The same events, in the same order, as the API's event list says (it lists newest first).
      const listed = (await api('GET', `/api/v1/events?resource_id=${paymentId}`)).body.data as Array<{
        id: string;
      }>;
      expect(
        await events.evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id'))),
      ).toEqual(listed.map((event) => event.id).reverse());
      expect(await text(events.nth(2).locator('strong'))).toBe('Payment succeeded');
      const delivery = byTestId(events.nth(2), 'timeline-delivery');
      expect(await delivery.count()).toBe(1);
      const deliveryId = await delivery.getAttribute('data-webhook-id');
      expect(await fitsViewport(tab)).toBe(true);

      const raw = byTestId(tab, 'payment-raw-json');
      await raw.locator('summary').click();
      const shown = JSON.parse(await text(raw.locator('code#payment-json')));
      expect(shown).toEqual((await api('GET', `/api/v1/payments/${paymentId}`)).body);

      const found = serious(await axeViolations(tab));
      expect(found, JSON.stringify(found, null, 1)).toEqual([]);
      await tab.screenshot({ path: screenshotPath(`dashboard-payment-detail-${width}.png`), fullPage: true });

      await delivery.click();
      await tab.waitForURL(`**/dashboard/webhooks?log=${deliveryId}#webhook-detail`);
      expect(await byTestId(tab, 'webhook-detail').getAttribute('data-webhook-id')).toBe(deliveryId);
    });

    it('copies the payment and order ids', async () => {
      const paymentId = await successfulPayment(harness.gateway, 11_100);
      const tab = await openDetail(width, paymentId);
      await tab.getByRole('button', { name: 'Copy payment ID' }).click();
      await expect.poll(() => tab.evaluate(() => navigator.clipboard.readText())).toBe(paymentId);
      const orderId = (await api('GET', `/api/v1/payments/${paymentId}`)).body.order_id;
      await tab.getByRole('button', { name: 'Copy order ID' }).click();
      await expect.poll(() => tab.evaluate(() => navigator.clipboard.readText())).toBe(orderId);
    });

    it('captures an uncaptured successful payment through the capture route, with an Idempotency-Key', async () => {
      const paymentId = await successfulPayment(harness.gateway, 22_200);
      const tab = await openDetail(width, paymentId);
      const keys: string[] = [];
      tab.on('request', (request) => {
        if (request.url().endsWith(`/dashboard/api/payments/${paymentId}/capture`)) {
          keys.push(request.headers()['idempotency-key'] ?? '');
        }
      });
      expect(await text(byTestId(tab, 'detail-captured'))).toBe('no');
      const button = byTestId(tab, 'capture-button');
      expect(await text(button)).toBe('Capture ₹222.00');
      await button.click();
      await expect.poll(() => text(byTestId(tab, 'detail-captured'))).toBe('yes');
      expect(await byTestId(tab, 'capture-button').count()).toBe(0);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/^dashboard-[0-9a-f]{32}$/);
      expect((await api('GET', `/api/v1/payments/${paymentId}`)).body.captured).toBe(true);
      await expect.poll(() => text(byTestId(tab, 'status-message'))).toContain('captured');
    });

    it('asks before refunding: Cancel refunds nothing, Confirm refunds the amount it named', {
      timeout: 60_000,
    }, async () => {
      const paymentId = await successfulPayment(harness.gateway, 33_300);
      const tab = await openDetail(width, paymentId);
      const dialog = byTestId(tab, 'confirm-dialog');
      await byTestId(tab, 'refund-amount-input').fill('100');
      await byTestId(tab, 'refund-button').click();
      await dialog.waitFor();
      expect(await text(dialog.locator('h2'))).toBe('Refund ₹100.00?');
      // Cancel holds the focus, so a second Enter does not refund by accident.
      expect(await tab.evaluate(() => document.activeElement?.getAttribute('data-test-id'))).toBe(
        'cancel-button',
      );
      await tab.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await tab.evaluate(() => document.activeElement?.getAttribute('data-test-id'))).toBe(
        'refund-button',
      );
      expect((await api('GET', `/api/v1/payments/${paymentId}/refunds`)).body.total).toBe(0);

      await byTestId(tab, 'refund-button').click();
      await byTestId(dialog, 'cancel-button').click();
      await dialog.waitFor({ state: 'hidden' });
      expect((await api('GET', `/api/v1/payments/${paymentId}/refunds`)).body.total).toBe(0);

      await byTestId(tab, 'refund-button').click();
      await byTestId(dialog, 'confirm-button').click();
      await expect.poll(() => byTestId(tab, 'refund-row').count(), { timeout: 10_000 }).toBe(1);
      const refunds = (await api('GET', `/api/v1/payments/${paymentId}/refunds`)).body.data;
      expect(refunds.map((refund: { amount: number }) => refund.amount)).toEqual([10_000]);
      // A refunded payment is no longer capturable, and the timeline records the refund.
      expect(await byTestId(tab, 'capture-button').count()).toBe(0);
      await expect
        .poll(
          async () =>
            (
              await byTestId(tab, 'timeline-event').evaluateAll((items) =>
                items.map((item) => item.getAttribute('data-event-type')),
              )
            ).slice(3),
          // The refund is processed by a worker after the test delay, then the page refreshes itself.
          { timeout: 30_000 },
        )
        .toEqual(['refund.created', 'refund.processed']);
    });
  });
}
