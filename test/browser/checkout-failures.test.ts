import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DECLINE_DESCRIPTIONS,
  type DeclineCode,
  SUCCEEDING_TEST_VALUES,
  TEST_VALUES,
} from '../../common/test-values.js';
import { screenshotPath, seriousViolations } from '../support/browser.js';
import { createOrder, VALID_CARD, waitFor } from '../support/gateway.js';
import {
  type CheckoutHarness,
  futureExpiry,
  startCheckoutHarness,
  VIEWPORTS,
  visibleText,
} from './checkout-harness.js';

/**
 * What a buyer reads and can do when a payment ends `failed`: plain words per `error_code`, "Try
 * again" that asks for the declined details afresh, "Pay another way", and a final word when the
 * order was paid by another payment meanwhile.
 */

/**
 * The decline codes that the simulated bank of this build gives its test values by itself: those
 * payments are decided by the real worker. Any other code is decided here in the database exactly
 * as the bank decides it (status `failed`, the code, its description from DECLINE_DESCRIPTIONS),
 * with the workers paused so that only one decision is ever made. A code the bank learns to give
 * belongs in this set.
 */
const DECLINE_CODES = Object.keys(DECLINE_DESCRIPTIONS) as DeclineCode[];

const DECIDED_BY_THE_BANK: ReadonlySet<DeclineCode> = new Set<DeclineCode>(DECLINE_CODES);

/** What a buyer paying by card reads for each code. */
const CARD_COPY: Record<DeclineCode, { title: string; message: string }> = {
  PAYMENT_FAILED: {
    title: 'Payment declined',
    message: 'Your bank declined the payment. Try another card or pay by UPI.',
  },
  INSUFFICIENT_FUNDS: {
    title: 'Payment declined',
    message: 'Your bank declined the payment: not enough funds. Try another card or pay by UPI.',
  },
  INCORRECT_CVC: {
    title: 'Payment declined',
    message:
      "Your bank declined the payment: the card's security code (CVV) is incorrect. Enter the card again with the right code, or pay by UPI.",
  },
  PROCESSING_ERROR: {
    title: 'Payment not completed',
    message:
      'Your bank could not process the payment just now, and nothing was charged. Try again in a moment, or pay by UPI.',
  },
};

let harness: CheckoutHarness;
let context: BrowserContext;

beforeAll(async () => {
  harness = await startCheckoutHarness({ env: { TEST_PROCESSING_DELAY: '300' } });
});
afterAll(() => harness?.close());
afterEach(() => context?.close());

const byId = (page: Page, id: string) => page.locator(`[data-test-id="${id}"]`);
const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-test-id') ?? null);

function testCard(code: DeclineCode): string {
  const card = TEST_VALUES.find((value) => value.outcome === code)?.cards[0];
  if (!card) throw new Error(`the test values have no card for ${code}`);
  return card;
}

async function openCheckoutPage(viewport: { width: number; height: number }, orderId: string): Promise<Page> {
  context = await harness.browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${harness.checkoutUrl}/checkout?order_id=${orderId}`);
  await byId(page, 'pay-button').waitFor();
  return page;
}

function workersRunning(): void {
  if (!harness.gateway.workers) harness.gateway.startWorkers();
}

/** Sets the outcome of a pending payment as the worker would, once; fails if it was decided already. */
async function decideInDatabase(paymentId: string, code: string, description: string): Promise<void> {
  const result = await harness.gateway.runtime.db.query(
    `UPDATE payments SET status = 'failed', error_code = $2, error_description = $3, updated_at = now()
     WHERE id = $1 AND status = 'pending'`,
    [paymentId, code, description],
  );
  expect(result.rowCount).toBe(1);
}

/** Presses Pay and returns the id of the payment the page created. */
async function pressPay(page: Page): Promise<string> {
  const created = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && response.url().endsWith('/api/v1/payments/public'),
  );
  await byId(page, 'pay-button').click();
  const response = await created;
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Pays with what the form holds, and has the payment declined with `code`. */
async function payAndDecline(page: Page, code: DeclineCode): Promise<string> {
  const byTheBank = DECIDED_BY_THE_BANK.has(code);
  if (byTheBank) workersRunning();
  else await harness.gateway.stopWorkers();
  const paymentId = await pressPay(page);
  if (!byTheBank) await decideInDatabase(paymentId, code, DECLINE_DESCRIPTIONS[code]);
  await byId(page, 'error-state').waitFor();
  const decided = await harness.gateway.request('GET', `/api/v1/payments/${paymentId}`);
  expect(decided.body).toMatchObject({ status: 'failed', error_code: code });
  return paymentId;
}

async function fillCard(page: Page, number: string, cvv = '123'): Promise<void> {
  await byId(page, 'method-card').click();
  await byId(page, 'card-number-input').fill(number);
  if ((await byId(page, 'expiry-input').inputValue()) === '')
    await byId(page, 'expiry-input').fill(futureExpiry());
  await byId(page, 'cvv-input').fill(cvv);
}

describe('a declined payment on the checkout page', () => {
  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.name}: says in plain words why each card was declined; Try again asks for the card again, keeping the name`, async () => {
      const order = await createOrder(harness.gateway);
      const page = await openCheckoutPage(viewport, order.id);
      await byId(page, 'method-card').click();
      await byId(page, 'cardholder-name-input').fill('Asha Rao');

      for (const code of DECLINE_CODES) {
        await fillCard(page, testCard(code));
        await payAndDecline(page, code);
        expect(await visibleText(byId(page, 'error-title'))).toBe(CARD_COPY[code].title);
        expect(await visibleText(byId(page, 'error-message'))).toBe(CARD_COPY[code].message);
        expect(await byId(page, 'retry-button').isVisible()).toBe(true);
        expect(await byId(page, 'pay-another-way-button').isVisible()).toBe(true);
        if (code === 'INSUFFICIENT_FUNDS') {
          expect(await seriousViolations(page)).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
            true,
          );
          if (viewport.width < 500) await page.screenshot({ path: screenshotPath('checkout-declined.png') });
        }

        await byId(page, 'retry-button').click();
        await byId(page, 'card-form').waitFor();
        // The declined number and CVV are never sent again without being typed again.
        expect(await byId(page, 'card-number-input').inputValue()).toBe('');
        expect(await byId(page, 'cvv-input').inputValue()).toBe('');
        expect(await byId(page, 'card-network').textContent()).toBe('');
        expect(await byId(page, 'cardholder-name-input').inputValue()).toBe('Asha Rao');
        expect(await focusedTestId(page)).toBe('card-number-input');
      }
      // Nothing was sent that the buyer did not confirm: one payment per press of Pay.
      const payments = await harness.gateway.runtime.db.query('SELECT id FROM payments WHERE order_id = $1', [
        order.id,
      ]);
      expect(payments.rows).toHaveLength(DECLINE_CODES.length);
    });

    it(`at ${viewport.name}: a declined UPI ID offers "Pay another way", which switches to card and clears the UPI ID`, async () => {
      const order = await createOrder(harness.gateway);
      const page = await openCheckoutPage(viewport, order.id);
      await byId(page, 'vpa-input').fill('insufficient@test');
      await payAndDecline(page, 'INSUFFICIENT_FUNDS');
      expect(await visibleText(byId(page, 'error-message'))).toBe(
        'Your bank declined the payment: not enough funds. Try another UPI ID or pay by card.',
      );

      await byId(page, 'pay-another-way-button').click();
      await byId(page, 'card-form').waitFor();
      expect(await byId(page, 'method-card').getAttribute('aria-pressed')).toBe('true');
      expect(await byId(page, 'upi-form').isHidden()).toBe(true);
      expect(await byId(page, 'vpa-input').inputValue()).toBe('');
      expect(await focusedTestId(page)).toBe('card-number-input');

      workersRunning();
      await fillCard(page, SUCCEEDING_TEST_VALUES.card);
      await pressPay(page);
      expect(await visibleText(byId(page, 'success-state').locator('h2'))).toBe('Payment successful');
    });

    it(`at ${viewport.name}: "Pay another way" after a declined card switches to UPI and clears the card number and CVV`, async () => {
      const order = await createOrder(harness.gateway);
      const page = await openCheckoutPage(viewport, order.id);
      await fillCard(page, testCard('PAYMENT_FAILED'));
      await byId(page, 'cardholder-name-input').fill('Asha Rao');
      await payAndDecline(page, 'PAYMENT_FAILED');

      await byId(page, 'pay-another-way-button').click();
      await byId(page, 'upi-form').waitFor();
      expect(await byId(page, 'method-upi').getAttribute('aria-pressed')).toBe('true');
      expect(await focusedTestId(page)).toBe('vpa-input');
      expect(await byId(page, 'card-number-input').inputValue()).toBe('');
      expect(await byId(page, 'cvv-input').inputValue()).toBe('');
      expect(await byId(page, 'cardholder-name-input').inputValue()).toBe('Asha Rao');

      workersRunning();
      await byId(page, 'vpa-input').fill(SUCCEEDING_TEST_VALUES.vpa);
      await pressPay(page);
      expect(await visibleText(byId(page, 'success-state').locator('h2'))).toBe('Payment successful');
    });

    it(`at ${viewport.name}: a payment that lost the race for an already paid order says so, and offers no retry`, async () => {
      const order = await createOrder(harness.gateway);
      const page = await openCheckoutPage(viewport, order.id);
      await harness.gateway.stopWorkers();
      await byId(page, 'vpa-input').fill(SUCCEEDING_TEST_VALUES.vpa);
      const loser = await pressPay(page);

      // Another payment of the same order, made elsewhere, succeeds first.
      const winner = await harness.gateway.request('POST', '/api/v1/payments', {
        body: { order_id: order.id, method: 'card', card: VALID_CARD },
      });
      expect(winner.status).toBe(201);
      await harness.gateway.runtime.db.query(
        `WITH won AS (UPDATE payments SET status = 'success', updated_at = now()
                      WHERE id = $1 AND status = 'pending' RETURNING order_id)
         UPDATE orders SET status = 'paid', updated_at = now() FROM won WHERE orders.id = won.order_id`,
        [winner.body.id],
      );
      await decideInDatabase(loser, 'ORDER_ALREADY_PAID', 'The order was paid by another payment.');

      expect(await visibleText(byId(page, 'error-title'))).toBe('Order already paid');
      expect(await visibleText(byId(page, 'error-message'))).toBe(
        'This order has already been paid, so this payment was not taken: nothing more was charged.',
      );
      expect(await byId(page, 'retry-button').isVisible()).toBe(false);
      expect(await byId(page, 'pay-another-way-button').isVisible()).toBe(false);
      expect(await byId(page, 'payment-form').isVisible()).toBe(false);
      await waitFor(
        async () =>
          (await harness.gateway.request('GET', `/api/v1/orders/${order.id}`)).body.status === 'paid',
      );
      workersRunning();
    });
  }
});
