import type { Frame, FrameLocator, Page } from 'playwright-core';
import { type StaticSite, serveStaticSite } from './checkout-harness.js';

/**
 * A merchant's shop on an origin of its own, locked down by a strict CSP, that loads checkout.js
 * from the checkout server and records what the SDK tells it. Focusable elements before and after
 * the Buy button let the focus tests see whether Tab ever escapes the modal onto the page.
 */
export type SdkEvent = { name: 'success' | 'failure' | 'close'; data?: Record<string, unknown> };

declare global {
  interface Window {
    events: SdkEvent[];
    /** When onSuccess ran and when the modal left the page (performance.now()), and what onSuccess saw. */
    timeline: { success?: number; closed?: number; modalOpenAtSuccess?: boolean };
    /** Makes onSuccess close the checkout itself, as a merchant may. */
    closeOnSuccess?: boolean;
    /** The order the shop's Buy button opens the checkout for. */
    buyOrderId?: string;
    received: Array<{ origin: string; type: unknown }>;
    openCheckout(orderId: string, key?: string): void;
    addForeignFrame(src: string): void;
  }
}

const MERCHANT_SCRIPT = `
window.events = [];
window.received = [];
window.timeline = {};
new MutationObserver(() => {
  if (window.timeline.success !== undefined && window.timeline.closed === undefined &&
      !document.getElementById('payment-gateway-modal')) window.timeline.closed = performance.now();
}).observe(document.documentElement, { childList: true, subtree: true });
window.addEventListener('message', (e) => window.received.push({ origin: e.origin, type: e.data && e.data.type }));
window.openCheckout = (orderId, key) => {
  window.checkout = new PaymentGateway({
    key: key || 'key_test_abc123',
    orderId,
    onSuccess: (data) => {
      window.timeline.success = performance.now();
      window.timeline.modalOpenAtSuccess = document.getElementById('payment-gateway-modal') !== null;
      window.events.push({ name: 'success', data });
      if (window.closeOnSuccess) window.checkout.close();
    },
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
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('buy').addEventListener('click', () => window.openCheckout(window.buyOrderId));
});
`;

export async function serveMerchantSite(
  checkoutUrl: string,
  otherFrameSources: string[] = [],
): Promise<StaticSite> {
  return serveStaticSite(() => ({
    '/shop.html': {
      type: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="${checkoutUrl}/checkout.js"></script><script src="/merchant.js"></script></head>
<body><header><a id="home" href="#top">Home</a></header>
<main><h1>A merchant's shop</h1><label>Coupon <input id="coupon"></label><button id="buy">Buy</button></main>
<footer><a id="terms" href="#terms">Terms</a></footer></body></html>`,
      headers: {
        // No inline styles or scripts: the SDK has to work on pages that lock themselves down.
        'Content-Security-Policy': `default-src 'none'; script-src 'self' ${checkoutUrl}; style-src 'self'; frame-src ${[checkoutUrl, ...otherFrameSources].join(' ')}`,
      },
    },
    '/merchant.js': { type: 'text/javascript', body: MERCHANT_SCRIPT },
  }));
}

export async function openCheckout(page: Page, orderId: string, key?: string): Promise<FrameLocator> {
  await page.evaluate(([id, k]) => window.openCheckout(id as string, k), [orderId, key]);
  const frame = page.frameLocator('[data-test-id="payment-iframe"]');
  await frame.locator('[data-test-id="pay-button"]').waitFor();
  return frame;
}

export const sdkEvents = (page: Page) => page.evaluate(() => window.events);
export const modalCount = (page: Page) => page.locator('#payment-gateway-modal').count();

/** After a success the modal stays up briefly to show it, then leaves by itself. */
export const modalClosed = (page: Page) =>
  page.locator('#payment-gateway-modal').waitFor({ state: 'detached', timeout: 10_000 });

export function checkoutFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/checkout?'));
  if (!frame) throw new Error('the checkout frame is not on the page');
  return frame;
}

export async function payByUpi(frame: FrameLocator, vpa: string): Promise<void> {
  await frame.locator('[data-test-id="method-upi"]').click();
  await frame.locator('[data-test-id="vpa-input"]').fill(vpa);
  await frame.locator('[data-test-id="pay-button"]').click();
}
