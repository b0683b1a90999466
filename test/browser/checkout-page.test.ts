import { createRequire } from 'node:module';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, request, TEST_AUTH, VALID_CARD, waitFor } from '../support/gateway.js';
import {
  type CheckoutHarness,
  closedPort,
  futureExpiry,
  startCheckoutHarness,
  startCheckoutServer,
  visibleText,
} from './checkout-harness.js';

/**
 * The hosted checkout page on its own (/checkout?order_id=…), against the real API and workers.
 * Payments take a second to be decided here, so the processing state can be seen.
 */
let harness: CheckoutHarness;
let context: BrowserContext;

beforeAll(async () => {
  harness = await startCheckoutHarness({ env: { TEST_PROCESSING_DELAY: '1000' } });
});
afterAll(() => harness?.close());
afterEach(() => context?.close());

const byId = (page: Page, id: string) => page.locator(`[data-test-id="${id}"]`);

async function openCheckoutPage(query: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
  context = await harness.browser.newContext({ bypassCSP: options.bypassCSP });
  const page = await context.newPage();
  await page.goto(`${harness.checkoutUrl}/checkout${query}`);
  return page;
}

async function fillCard(page: Page, card: { number: string; expiry: string; cvv: string; name?: string }) {
  await byId(page, 'method-card').click();
  await byId(page, 'card-number-input').fill(card.number);
  await byId(page, 'expiry-input').fill(card.expiry);
  await byId(page, 'cvv-input').fill(card.cvv);
  if (card.name) await byId(page, 'cardholder-name-input').fill(card.name);
}

/** Records the payment-creating requests the page sends. */
function paymentRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/api/v1/payments/public')) seen.push(req);
  });
  return seen;
}

describe('hosted checkout page', () => {
  it('takes a card payment: network shown as typed, pay button disabled, processing until decided', async () => {
    const order = await createOrder(harness.gateway, 250_050);
    const page = await openCheckoutPage(`?order_id=${order.id}`);
    expect(await visibleText(byId(page, 'order-amount'))).toBe('₹2,500.50');
    expect(await visibleText(byId(page, 'order-id'))).toBe(order.id);
    expect(await visibleText(byId(page, 'pay-button'))).toBe('Pay ₹2,500.50');

    await byId(page, 'method-card').click();
    expect(await byId(page, 'upi-form').isHidden()).toBe(true);
    await byId(page, 'card-number-input').pressSequentially('5555');
    expect(await visibleText(byId(page, 'card-network'))).toBe('Mastercard');
    await byId(page, 'card-number-input').fill('');
    await byId(page, 'card-number-input').pressSequentially('4111111111111111');
    expect(await byId(page, 'card-number-input').inputValue()).toBe('4111 1111 1111 1111');
    expect(await visibleText(byId(page, 'card-network'))).toBe('Visa');
    await byId(page, 'expiry-input').pressSequentially(futureExpiry().replace('/', ''));
    expect(await byId(page, 'expiry-input').inputValue()).toBe(futureExpiry());
    await byId(page, 'cvv-input').fill('123');
    await byId(page, 'cardholder-name-input').fill('Asha Rao');

    // Hold the request in flight to see the button while it is submitting.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/payments/public', async (route) => {
      await held;
      await route.continue();
    });
    await byId(page, 'pay-button').click();
    await page.waitForFunction(
      () => document.querySelector<HTMLButtonElement>('[data-test-id="pay-button"]')?.disabled,
    );
    expect(await byId(page, 'pay-button').textContent()).toBe('Processing…');
    await byId(page, 'pay-button').click({ force: true });
    release();

    expect(await visibleText(byId(page, 'processing-message'))).toMatch(/Processing your payment/);
    const paymentId = await visibleText(byId(page, 'payment-id'));
    expect(paymentId).toMatch(/^pay_[A-Za-z0-9]{16}$/);
    expect(await visibleText(byId(page, 'success-message'))).not.toBe('');
    expect(await byId(page, 'processing-state').isHidden()).toBe(true);

    const payment = await harness.gateway.request('GET', `/api/v1/payments/${paymentId}`);
    expect(payment.body).toMatchObject({ status: 'success', card_network: 'visa', card_last4: '1111' });
    // The second click while submitting created nothing.
    const payments = await harness.gateway.runtime.db.query('SELECT id FROM payments WHERE order_id = $1', [
      order.id,
    ]);
    expect(payments.rows).toHaveLength(1);
  });

  it('validates inline with the server rules and sends nothing invalid', async () => {
    const order = await createOrder(harness.gateway);
    const page = await openCheckoutPage(`?order_id=${order.id}`);
    const sent = paymentRequests(page);

    await byId(page, 'vpa-input').fill('not a vpa');
    await byId(page, 'pay-button').click();
    expect(await visibleText(page.locator('#vpa-error'))).toMatch(/UPI ID like name@bank/);
    expect(await byId(page, 'vpa-input').getAttribute('aria-invalid')).toBe('true');
    await byId(page, 'vpa-input').fill('first.last@okbank');
    expect(await byId(page, 'vpa-input').getAttribute('aria-invalid')).toBeNull();

    await fillCard(page, { number: '4111 1111 1111 1112', expiry: '01/20', cvv: '12' });
    await byId(page, 'pay-button').click();
    expect(await visibleText(page.locator('#card-number-error'))).toMatch(/not valid/);
    expect(await visibleText(page.locator('#expiry-error'))).toMatch(/expired/);
    expect(await visibleText(page.locator('#cvv-error'))).toMatch(/3 or 4 digits/);
    // Focus goes to the first field to fix.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test-id'))).toBe(
      'card-number-input',
    );
    await byId(page, 'expiry-input').fill('13/30');
    await byId(page, 'expiry-input').blur();
    expect(await visibleText(page.locator('#expiry-error'))).toMatch(/01 to 12/);
    expect(sent).toHaveLength(0);
  });

  it('shows a card the bank declined in plain words; Try again asks for the card again, keeping the name', async () => {
    const order = await createOrder(harness.gateway);
    const page = await openCheckoutPage(`?order_id=${order.id}`);
    const expiry = futureExpiry();
    await fillCard(page, { number: '4000 0000 0000 0002', expiry, cvv: '123', name: 'Asha Rao' });
    await byId(page, 'pay-button').click();

    expect(await visibleText(byId(page, 'error-message'))).toBe(
      'Your bank declined the payment. Try another card or pay by UPI.',
    );
    expect(await byId(page, 'success-state').isHidden()).toBe(true);
    expect(await byId(page, 'pay-another-way-button').isVisible()).toBe(true);
    await byId(page, 'retry-button').click();
    await byId(page, 'card-form').waitFor();
    // The declined number and its CVV are not sent again unless typed again.
    expect(await byId(page, 'card-number-input').inputValue()).toBe('');
    expect(await byId(page, 'cvv-input').inputValue()).toBe('');
    expect(await byId(page, 'expiry-input').inputValue()).toBe(expiry);
    expect(await byId(page, 'cardholder-name-input').inputValue()).toBe('Asha Rao');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test-id'))).toBe(
      'card-number-input',
    );
    expect(await byId(page, 'pay-button').isEnabled()).toBe(true);
  });

  it('re-sends a request that got no answer with the same Idempotency-Key, so it cannot pay twice', async () => {
    const order = await createOrder(harness.gateway);
    const page = await openCheckoutPage(`?order_id=${order.id}`);
    const sent = paymentRequests(page);
    await page.route('**/api/v1/payments/public', (route) => route.abort('connectionreset'), { times: 1 });

    await byId(page, 'vpa-input').fill('user@paytm');
    await byId(page, 'pay-button').click();
    expect(await visibleText(byId(page, 'error-message'))).toMatch(/could not reach the payment service/i);
    await byId(page, 'retry-button').click();
    await byId(page, 'pay-button').click();
    await byId(page, 'payment-id').waitFor();

    expect(sent).toHaveLength(2);
    const keys = await Promise.all(sent.map((req) => req.headerValue('idempotency-key')));
    expect(keys[0]).toMatch(/^checkout-/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('explains a missing, unknown, malformed and already paid order', async () => {
    const title = async (query: string) => {
      const page = await openCheckoutPage(query);
      const text = await visibleText(byId(page, 'order-unavailable-title'));
      const message = await visibleText(byId(page, 'order-unavailable-message'));
      const payable = await byId(page, 'payment-form').isVisible();
      await context.close();
      return { text, message, payable };
    };
    expect(await title('')).toMatchObject({ text: 'No order to pay', payable: false });
    expect(await title('?order_id=order_doesNotExist0000')).toMatchObject({ text: 'Order not found' });
    expect(await title('?order_id=%3Cscript%3E')).toMatchObject({ text: 'Order not found' });

    const order = await createOrder(harness.gateway);
    const paid = await harness.gateway.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'card', card: VALID_CARD },
    });
    expect(paid.status).toBe(201);
    await waitFor(
      async () => (await harness.gateway.request('GET', `/api/v1/orders/${order.id}`)).body.status === 'paid',
    );
    expect(await title(`?order_id=${order.id}`)).toMatchObject({
      text: 'Order already paid',
      payable: false,
    });
  });

  it('says so when the API cannot be reached', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const server = await startCheckoutServer(unreachable, unreachable);
    try {
      context = await harness.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/checkout?order_id=order_0000000000000000`);
      expect(await visibleText(byId(page, 'order-unavailable-title'))).toBe('Payment service unreachable');
      expect(await byId(page, 'reload-button').isVisible()).toBe(true);
    } finally {
      await server.app.close();
    }
  });

  it('has no serious accessibility violations, also with inline errors showing', async () => {
    const order = await createOrder(harness.gateway);
    const page = await openCheckoutPage(`?order_id=${order.id}`, { bypassCSP: true });
    await byId(page, 'pay-button').waitFor();
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const audit = () =>
      page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
        const result = await axe.run();
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.help}`);
      });
    expect(await audit()).toEqual([]);
    await byId(page, 'method-card').click();
    await byId(page, 'pay-button').click();
    expect(await audit()).toEqual([]);
  });
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
}

describe('checkout server over HTTP', () => {
  it('serves checkout.js cacheably to any origin, with an ETag the browser can revalidate', async () => {
    const res = await fetch(`${harness.checkoutUrl}/checkout.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.text();
    expect(body).toContain('PaymentGateway');
    const etag = res.headers.get('etag') as string;
    const again = await fetch(`${harness.checkoutUrl}/checkout.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves the page with its API address and a CSP that allows framing but no foreign script', async () => {
    const res = await fetch(`${harness.checkoutUrl}/checkout?order_id=order_x&embedded=true`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src ${harness.gateway.url}`);
    expect(csp).toContain('frame-ancestors http: https:');
    const html = await res.text();
    expect(html).toContain(`<meta name="gateway-api-url" content="${harness.gateway.url}" />`);

    const script = /src="(assets\/checkout\.js\?v=[^"]+)"/.exec(html)?.[1];
    const asset = await fetch(`${harness.checkoutUrl}/${script}`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const unversioned = await fetch(`${harness.checkoutUrl}/assets/checkout.js`);
    expect(unversioned.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers unknown paths with the JSON error format', async () => {
    for (const path of ['/package.json', '/assets/server.js', '/assets/%2e%2e%2fsdk.js']) {
      const res = await fetch(`${harness.checkoutUrl}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND_ERROR', description: 'Not found' } });
    }
  });

  it("creates demo orders through the API with the test merchant's credentials", async () => {
    const created = await request(harness.checkoutUrl, 'POST', '/demo/orders', {
      body: { amount: 4200 },
      auth: false,
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toBe(TEST_AUTH['X-Api-Key']);
    const order = await harness.gateway.request('GET', `/api/v1/orders/${created.body.order_id}`);
    expect(order.body).toMatchObject({ amount: 4200, currency: 'INR', status: 'created' });

    const tooSmall = await request(harness.checkoutUrl, 'POST', '/demo/orders', {
      body: { amount: 5 },
      auth: false,
    });
    expect(tooSmall.status).toBe(400);
    expect(tooSmall.body.error.code).toBe('BAD_REQUEST_ERROR');
  });
});
