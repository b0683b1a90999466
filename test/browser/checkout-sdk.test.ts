import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, waitFor } from '../support/gateway.js';
import {
  type CheckoutHarness,
  futureExpiry,
  type StaticSite,
  serveStaticSite,
  startCheckoutHarness,
  visibleText,
} from './checkout-harness.js';

/**
 * The SDK as a merchant uses it: a page on another origin (with a strict CSP of its own) loads
 * checkout.js from the checkout server, opens the modal, and the payer pays inside the iframe.
 */
let harness: CheckoutHarness;
let merchant: StaticSite;
let foreign: StaticSite;
let context: BrowserContext;

type SdkEvent = { name: 'success' | 'failure' | 'close'; data?: Record<string, unknown> };
declare global {
  interface Window {
    events: SdkEvent[];
    received: Array<{ origin: string; type: unknown }>;
    openCheckout(orderId: string, key?: string): void;
    addForeignFrame(src: string): void;
  }
}

const MERCHANT_SCRIPT = `
window.events = [];
window.received = [];
window.addEventListener('message', (e) => window.received.push({ origin: e.origin, type: e.data && e.data.type }));
window.openCheckout = (orderId, key) => {
  window.checkout = new PaymentGateway({
    key: key || 'key_test_abc123',
    orderId,
    onSuccess: (data) => window.events.push({ name: 'success', data }),
    onFailure: (data) => window.events.push({ name: 'failure', data }),
    onClose: () => window.events.push({ name: 'close' }),
  });
  window.checkout.open();
};
window.addForeignFrame = (src) => {
  const frame = document.createElement('iframe');
  frame.src = src;
  document.body.appendChild(frame);
};
`;

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
  const checkoutUrl = harness.checkoutUrl;
  merchant = await serveStaticSite(() => ({
    '/shop.html': {
      type: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="${checkoutUrl}/checkout.js"></script><script src="/merchant.js"></script></head>
<body><h1>A merchant's shop</h1><button id="buy">Buy</button></body></html>`,
      headers: {
        // No inline styles or scripts: the SDK has to work on pages that lock themselves down.
        'Content-Security-Policy': `default-src 'none'; script-src 'self' ${checkoutUrl}; style-src 'self'; frame-src ${checkoutUrl} ${foreign.url}`,
      },
    },
    '/merchant.js': { type: 'text/javascript', body: MERCHANT_SCRIPT },
  }));
});

afterAll(async () => {
  await merchant?.close();
  await foreign?.close();
  await harness?.close();
});

afterEach(async () => {
  await context?.close();
});

async function openShop(viewport = { width: 1280, height: 800 }): Promise<Page> {
  context = await harness.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${merchant.url}/shop.html`);
  await page.waitForFunction(() => typeof window.PaymentGateway === 'function');
  return page;
}

async function openCheckout(page: Page, orderId: string, key?: string): Promise<FrameLocator> {
  await page.evaluate(([id, k]) => window.openCheckout(id as string, k), [orderId, key]);
  const frame = page.frameLocator('[data-test-id="payment-iframe"]');
  await frame.locator('[data-test-id="pay-button"]').waitFor();
  return frame;
}

const events = (page: Page) => page.evaluate(() => window.events);
const modalCount = (page: Page) => page.locator('#payment-gateway-modal').count();

async function payByUpi(frame: FrameLocator, vpa: string): Promise<void> {
  await frame.locator('[data-test-id="method-upi"]').click();
  await frame.locator('[data-test-id="vpa-input"]').fill(vpa);
  await frame.locator('[data-test-id="pay-button"]').click();
}

describe('checkout.js on a merchant page of another origin', () => {
  it('builds the contract markup, takes a UPI payment in the iframe, calls onSuccess and closes', async () => {
    const page = await openShop();
    const order = await createOrder(harness.gateway, 50_000);
    const frame = await openCheckout(page, order.id);

    const modal = '#payment-gateway-modal[data-test-id="payment-modal"] > .modal-overlay > .modal-content';
    const iframe = page.locator(`${modal} > iframe[data-test-id="payment-iframe"]`);
    expect(await iframe.getAttribute('src')).toBe(
      `${harness.checkoutUrl}/checkout?order_id=${order.id}&embedded=true`,
    );
    await page.locator(`${modal} > button.close-button[data-test-id="close-modal-button"]`).waitFor();
    // The frame cannot navigate the merchant's page.
    expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms');
    // The scoped styles applied despite the page's CSP.
    expect(await page.locator('#payment-gateway-modal').evaluate((el) => getComputedStyle(el).position)).toBe(
      'fixed',
    );
    expect(await visibleText(frame.locator('[data-test-id="order-amount"]'))).toBe('₹500.00');

    await payByUpi(frame, 'user@paytm');
    await page.waitForFunction(() => window.events.length > 0);
    const [success] = await events(page);
    expect(success?.name).toBe('success');
    expect(success?.data).toMatchObject({ orderId: order.id, status: 'success' });
    expect(success?.data?.paymentId).toMatch(/^pay_[A-Za-z0-9]{16}$/);
    expect(await modalCount(page)).toBe(0);
    // Success closes the modal without reporting a dismissal.
    expect((await events(page)).map((e) => e.name)).toEqual(['success']);

    const payment = await harness.gateway.request('GET', `/api/v1/payments/${success?.data?.paymentId}`);
    expect(payment.body).toMatchObject({ status: 'success', method: 'upi', vpa: 'user@paytm' });
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
    expect(await modalCount(page)).toBe(0);
  });

  it('calls onClose for the close button, Escape on the page and Escape inside the iframe', async () => {
    const page = await openShop();
    const order = await createOrder(harness.gateway);

    await openCheckout(page, order.id);
    await page.locator('[data-test-id="close-modal-button"]').click();
    expect(await modalCount(page)).toBe(0);

    await openCheckout(page, order.id);
    // Focus went into the iframe on open; give it back to the merchant page first.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    expect(await modalCount(page)).toBe(0);

    const frame = await openCheckout(page, order.id);
    await frame.locator('[data-test-id="vpa-input"]').press('Escape');
    await page.waitForFunction(() => window.events.length === 3);
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
    const inner = page.frames().find((f) => f.url().includes('/checkout?')) as Frame;
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
    expect(await modalCount(page)).toBe(0);
  });
});

function screenshotPath(name: string): string {
  return fileURLToPath(new URL(`../../screenshots/${name}`, import.meta.url));
}
