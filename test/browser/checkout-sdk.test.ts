import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SUCCESS_VISIBLE_MS } from '../../web/sdk/payment-gateway.js';
import { screenshotPath, seriousViolations } from '../support/browser.js';
import { createOrder, waitFor } from '../support/gateway.js';
import {
  type CheckoutHarness,
  futureExpiry,
  type StaticSite,
  serveStaticSite,
  startCheckoutHarness,
  VIEWPORTS,
  visibleText,
} from './checkout-harness.js';
import {
  checkoutFrame,
  modalClosed,
  modalCount,
  openCheckout,
  payByUpi,
  sdkEvents,
  serveMerchantSite,
} from './checkout-merchant-site.js';

/**
 * The SDK as a merchant uses it: a page on another origin (with a strict CSP of its own) loads
 * checkout.js from the checkout server, opens the modal, and the payer pays inside the iframe.
 */
let harness: CheckoutHarness;
let merchant: StaticSite;
let foreign: StaticSite;
let context: BrowserContext;

// A page of another origin that tries to pass itself off as the checkout.
const FORGERY_SCRIPT = `
const data = { paymentId: 'pay_forgedForgedForg', orderId: 'order_forgedForgedFo', status: 'success' };
parent.postMessage({ type: 'payment_success', data }, '*');
parent.postMessage({ type: 'payment_failed', data }, '*');
parent.postMessage({ type: 'close_modal', data }, '*');
parent.postMessage({ type: 'forgery_done' }, '*');
`;

beforeAll(async () => {
  harness = await startCheckoutHarness();
  foreign = await serveStaticSite(() => ({
    '/forge.html': { type: 'text/html', body: '<!doctype html><script src="/forge.js"></script>' },
    '/forge.js': { type: 'text/javascript', body: FORGERY_SCRIPT },
  }));
  merchant = await serveMerchantSite(harness.checkoutUrl, [foreign.url]);
});

afterAll(async () => {
  await merchant?.close();
  await foreign?.close();
  await harness?.close();
});

afterEach(async () => {
  await context?.close();
});

async function openShop(viewport: { width: number; height: number } = VIEWPORTS[0]): Promise<Page> {
  context = await harness.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${merchant.url}/shop.html`);
  await page.waitForFunction(() => typeof window.PaymentGateway === 'function');
  return page;
}

const events = sdkEvents;

describe('checkout.js on a merchant page of another origin', () => {
  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.name}: builds the documented markup, takes a UPI payment, calls onSuccess at once and shows the success before closing`, async () => {
      const page = await openShop(viewport);
      const order = await createOrder(harness.gateway, 50_000);
      const frame = await openCheckout(page, order.id);

      const modal = '#payment-gateway-modal[data-test-id="payment-modal"] > .modal-overlay > .modal-content';
      const iframe = page.locator(`${modal} > iframe[data-test-id="payment-iframe"]`);
      expect(await iframe.getAttribute('src')).toBe(
        `${harness.checkoutUrl}/checkout?order_id=${order.id}&embedded=true`,
      );
      await page
        .locator(`${modal} > iframe + button.close-button[data-test-id="close-modal-button"]`)
        .waitFor();
      // The frame cannot navigate the merchant's page.
      expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms');
      // The scoped styles applied despite the page's CSP.
      expect(
        await page.locator('#payment-gateway-modal').evaluate((el) => getComputedStyle(el).position),
      ).toBe('fixed');
      expect(await visibleText(frame.locator('[data-test-id="order-amount"]'))).toBe('₹500.00');

      await payByUpi(frame, 'user@paytm');
      // The payer sees the outcome inside the modal, not a spinner followed by nothing.
      expect(await visibleText(frame.locator('[data-test-id="success-state"] h2'))).toBe(
        'Payment successful',
      );
      await page.waitForFunction(() => window.events.length > 0);
      const [success] = await events(page);
      expect(success?.name).toBe('success');
      expect(success?.data).toMatchObject({ orderId: order.id, status: 'success' });
      expect(success?.data?.paymentId).toMatch(/^pay_[A-Za-z0-9]{16}$/);

      // onSuccess ran while the modal was still up, and the modal closed by itself about 1.5 s later.
      await page.waitForFunction(() => window.timeline.closed !== undefined, undefined, { timeout: 10_000 });
      const timeline = await page.evaluate(() => window.timeline);
      expect(timeline.modalOpenAtSuccess).toBe(true);
      expect((timeline.closed as number) - (timeline.success as number)).toBeGreaterThanOrEqual(
        SUCCESS_VISIBLE_MS - 20,
      );
      expect(await modalCount(page)).toBe(0);
      // Success closes the modal without reporting a dismissal.
      expect((await events(page)).map((e) => e.name)).toEqual(['success']);

      const payment = await harness.gateway.request('GET', `/api/v1/payments/${success?.data?.paymentId}`);
      expect(payment.body).toMatchObject({ status: 'success', method: 'upi', vpa: 'user@paytm' });
    });
  }

  it('closes at once when the merchant closes it during the success message, still without onClose', async () => {
    const page = await openShop();
    await page.evaluate(() => {
      window.closeOnSuccess = true;
    });
    const order = await createOrder(harness.gateway);
    const frame = await openCheckout(page, order.id);
    await payByUpi(frame, 'user@paytm');
    await page.waitForFunction(() => window.events.length > 0);
    expect(await modalCount(page)).toBe(0);
    expect((await events(page)).map((e) => e.name)).toEqual(['success']);
  });

  it('calls onFailure for a declined payment and keeps the modal open for a retry', async () => {
    const page = await openShop();
    const order = await createOrder(harness.gateway);
    const frame = await openCheckout(page, order.id);

    await payByUpi(frame, 'failure@test');
    await page.waitForFunction(() => window.events.length > 0);
    const [failure] = await events(page);
    expect(failure?.name).toBe('failure');
    expect(failure?.data).toMatchObject({ orderId: order.id, status: 'failed' });
    expect(failure?.data?.paymentId).toMatch(/^pay_/);
    expect(await modalCount(page)).toBe(1);
    expect(await visibleText(frame.locator('[data-test-id="error-message"]'))).not.toBe('');

    // Retry in the same modal, this time with a card that goes through.
    await frame.locator('[data-test-id="retry-button"]').click();
    await frame.locator('[data-test-id="method-card"]').click();
    await frame.locator('[data-test-id="card-number-input"]').fill('4111 1111 1111 1111');
    await frame.locator('[data-test-id="expiry-input"]').fill(futureExpiry());
    await frame.locator('[data-test-id="cvv-input"]').fill('123');
    await frame.locator('[data-test-id="pay-button"]').click();
    await page.waitForFunction(() => window.events.length > 1);
    expect((await events(page)).map((e) => e.name)).toEqual(['failure', 'success']);
    await modalClosed(page);
  });

  // Key presses into a framed page: one retry for the rare run where a loaded machine's Chromium
  // stops answering a key press (each wait below is bounded, so such a run says where it stopped).
  it('calls onClose for the close button, Escape on the page and Escape inside the iframe', {
    retry: 1,
  }, async () => {
    const page = await openShop();
    const order = await createOrder(harness.gateway);
    // Opened means settled: the frame has loaded, met the SDK and taken focus on its first field.
    const openSettled = async () => {
      const frame = await openCheckout(page, order.id);
      const vpa = frame.locator('[data-test-id="vpa-input"]');
      await expect
        .poll(() => vpa.evaluate((el) => el === document.activeElement), { timeout: 10_000 })
        .toBe(true);
      return frame;
    };
    const closes = (count: number) =>
      page.waitForFunction((n) => window.events.length === n, count, { timeout: 10_000 });

    await openSettled();
    await page.locator('[data-test-id="close-modal-button"]').click();
    await closes(1);
    expect(await modalCount(page)).toBe(0);

    await openSettled();
    // Focus went into the iframe on open; give it back to the merchant page first.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    await closes(2);
    expect(await modalCount(page)).toBe(0);

    const frame = await openSettled();
    await frame.locator('[data-test-id="vpa-input"]').press('Escape');
    await closes(3);
    expect(await modalCount(page)).toBe(0);

    expect((await events(page)).map((e) => e.name)).toEqual(['close', 'close', 'close']);
    // Closing again is a no-op: the listeners went with the modal.
    await page.keyboard.press('Escape');
    expect(await events(page)).toHaveLength(3);
  });

  it('ignores look-alike messages from a foreign origin and from the page itself', async () => {
    const page = await openShop();
    const order = await createOrder(harness.gateway);
    await openCheckout(page, order.id);

    await page.evaluate(() => {
      const data = { paymentId: 'pay_forgedForgedForg', status: 'success' };
      window.postMessage({ type: 'payment_success', data }, '*');
      window.postMessage({ type: 'close_modal', data }, '*');
    });
    await page.evaluate((src) => window.addForeignFrame(src), `${foreign.url}/forge.html`);
    await page.waitForFunction(() => window.received.some((m) => m.type === 'forgery_done'));
    const forged = await page.evaluate(() => window.received.filter((m) => m.type === 'payment_success'));
    expect(forged.map((m) => m.origin).sort()).toEqual([foreign.url, merchant.url].sort());

    expect(await events(page)).toEqual([]);
    expect(await modalCount(page)).toBe(1);
  });

  it('keeps one modal at a time and validates its options with a clear error', async () => {
    const page = await openShop();
    const first = await createOrder(harness.gateway);
    const second = await createOrder(harness.gateway);
    await openCheckout(page, first.id);
    // Opening the same checkout again does not stack a second modal.
    await page.evaluate(() => (window as unknown as { checkout: { open(): void } }).checkout.open());
    expect(await modalCount(page)).toBe(1);

    await openCheckout(page, second.id);
    expect(await modalCount(page)).toBe(1);
    expect(await page.locator('[data-test-id="payment-iframe"]').getAttribute('src')).toContain(second.id);
    // The replaced checkout was dismissed.
    expect((await events(page)).map((e) => e.name)).toEqual(['close']);

    const errors = await page.evaluate(() =>
      [{ orderId: 'order_x' }, { key: 'key_test_abc123' }, { key: 'k', orderId: 'o', onSuccess: 'nope' }].map(
        (options) => {
          try {
            new window.PaymentGateway(options as never);
            return 'no error';
          } catch (err) {
            return (err as Error).message;
          }
        },
      ),
    );
    expect(errors[0]).toMatch(/option "key" is required/);
    expect(errors[1]).toMatch(/option "orderId" is required/);
    expect(errors[2]).toMatch(/option "onSuccess" must be a function/);
  });

  it('sends the merchant key along: a key of another merchant cannot pay the order', async () => {
    const page = await openShop();
    const order = await createOrder(harness.gateway);
    const frame = await openCheckout(page, order.id, 'key_of_someone_else');
    await payByUpi(frame, 'user@paytm');
    expect(await visibleText(frame.locator('[data-test-id="order-unavailable-message"]'))).toMatch(
      /does not belong to this merchant/,
    );
    expect(await events(page)).toEqual([]);
  });

  it('fits a 360 px wide phone and takes the screenshots', async () => {
    const page = await openShop({ width: 360, height: 740 });
    const order = await createOrder(harness.gateway, 129_900);
    const frame = await openCheckout(page, order.id);
    const box = await page.locator('[data-test-id="payment-iframe"]').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(360);
    const inner = checkoutFrame(page);
    expect(await inner.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await frame.locator('[data-test-id="pay-button"]').isVisible()).toBe(true);
    await frame.locator('[data-test-id="vpa-input"]').fill('user@paytm');
    await page.screenshot({ path: screenshotPath('checkout-mobile.png') });

    await page.setViewportSize({ width: 1280, height: 800 });
    await frame.locator('[data-test-id="method-card"]').click();
    await frame.locator('[data-test-id="card-number-input"]').pressSequentially('4111111111111111');
    expect(await visibleText(frame.locator('[data-test-id="card-network"]'))).toBe('Visa');
    await frame.locator('[data-test-id="expiry-input"]').fill(futureExpiry());
    await frame.locator('[data-test-id="cvv-input"]').fill('123');
    await frame.locator('[data-test-id="cardholder-name-input"]').fill('Asha Rao');
    await page.screenshot({ path: screenshotPath('checkout.png') });
  });

  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.name}: the open modal and the checkout in it are accessible and fit the screen`, async () => {
      context = await harness.browser.newContext({ viewport, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${merchant.url}/shop.html`);
      await page.waitForFunction(() => typeof window.PaymentGateway === 'function');
      const order = await createOrder(harness.gateway);
      const frame = await openCheckout(page, order.id);
      const inner = checkoutFrame(page);

      const modal = await page.locator('[data-test-id="payment-iframe"]').boundingBox();
      expect(modal?.width).toBeLessThanOrEqual(viewport.width);
      for (const method of ['upi', 'card'] as const) {
        await frame.locator(`[data-test-id="method-${method}"]`).click();
        expect(await inner.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
          true,
        );
        expect(await seriousViolations(inner)).toEqual([]);
      }
      expect(await seriousViolations(page.mainFrame())).toEqual([]);

      // The close button covers nothing of the checkout, the test-mode badge included.
      const close = await page.locator('[data-test-id="close-modal-button"]').boundingBox();
      const badge = await frame.locator('[data-test-id="test-mode-badge"]').boundingBox();
      expect(close && badge).toBeTruthy();
      if (close && badge) {
        const apart =
          badge.x + badge.width <= close.x ||
          close.x + close.width <= badge.x ||
          badge.y + badge.height <= close.y ||
          close.y + close.height <= badge.y;
        expect(apart).toBe(true);
      }
    });
  }

  it('powers the /demo store: its server creates the order over HTTP, the SDK takes the payment', async () => {
    context = await harness.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harness.checkoutUrl}/demo`);
    await page.locator('[data-test-id="demo-pay-button"]').click();
    const frame = page.frameLocator('[data-test-id="payment-iframe"]');
    await payByUpi(frame, 'user@paytm');
    await waitFor(async () =>
      /succeeded/.test((await page.locator('[data-test-id="demo-result"]').textContent()) ?? ''),
    );
    await modalClosed(page);
  });
});
