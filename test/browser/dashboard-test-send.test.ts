import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import { byTestId, type DashboardHarness, fitsViewport, startDashboardHarness } from './dashboard-harness.js';

/**
 * "Send test webhook" with an event-type picker, in Chromium at 1280 and 390 px: webhook.test is a
 * sample event; a payment event comes from a real test payment, so the receiver gets exactly what a
 * live payment of that outcome sends.
 */
let harness: DashboardHarness;
let sink: WebhookSink;

beforeAll(async () => {
  harness = await startDashboardHarness();
  sink = await WebhookSink.start();
  await harness.gateway.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
}, 60_000);
afterAll(async () => {
  await harness?.close();
  await sink?.close();
});

const received = (event: string) =>
  sink.byEvent(event).map((request) => JSON.parse(request.body) as { data: Record<string, unknown> });

describe('sending a test webhook of a chosen type', () => {
  for (const [width, event] of [
    [1280, 'payment.failed'],
    [390, 'payment.success'],
  ] as const) {
    it(`sends ${event} from a real test payment (${width} px)`, async () => {
      const page = await harness.open({ width, height: 900 });
      await page.goto('/dashboard/webhooks');
      const before = received(event).length;
      await byTestId(page, 'test-event-type').selectOption(event);
      await byTestId(page, 'test-webhook-button').click();
      await page.getByText(/Test payment pay_[A-Za-z0-9]{16} created/).waitFor();
      const paymentId = /pay_[A-Za-z0-9]{16}/.exec(
        (await page.getByText(/Test payment pay_/).textContent()) ?? '',
      )?.[0];
      const delivered = await waitFor(() => {
        const mine = received(event)
          .slice(before)
          .filter((body) => (body.data.payment as { id?: string })?.id === paymentId);
        return mine.length > 0 ? mine : null;
      });
      expect(delivered).toHaveLength(1);
      const payment = delivered[0]?.data.payment as Record<string, unknown>;
      expect(payment).toMatchObject({ id: paymentId, amount: 50_000, method: 'upi' });
      if (event === 'payment.failed') expect(payment.error_code).toBe('PAYMENT_FAILED');
      // The same payment's other events came too, as a live payment's do.
      for (const other of ['payment.created', 'payment.pending']) {
        await waitFor(
          () =>
            received(other).some((body) => (body.data.payment as { id?: string })?.id === paymentId) || null,
        );
      }
      if (width === 390) expect(await fitsViewport(page)).toBe(true);
    }, 60_000);
  }

  it('still sends the sample webhook.test by default', async () => {
    const page = await harness.open();
    await page.goto('/dashboard/webhooks');
    const before = sink.byEvent('webhook.test').length;
    expect(await byTestId(page, 'test-event-type').inputValue()).toBe('webhook.test');
    await byTestId(page, 'test-webhook-button').click();
    await waitFor(() => sink.byEvent('webhook.test').length > before || null);
  });
});
