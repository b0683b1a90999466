import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatCardNumber, SUCCEEDING_TEST_VALUES, TEST_VALUES } from '../../common/test-values.js';
import { screenshotPath, seriousViolations } from '../support/browser.js';
import { createOrder } from '../support/gateway.js';
import {
  type CheckoutHarness,
  startCheckoutHarness,
  startCheckoutServer,
  VIEWPORTS,
  visibleText,
} from './checkout-harness.js';

/**
 * The hosted page tells a test-mode gateway apart at a glance, and offers the test values of the
 * simulated bank as chips that fill the field; in production mode none of it is there.
 */
let harness: CheckoutHarness;
let context: BrowserContext;

beforeAll(async () => {
  harness = await startCheckoutHarness({ env: { TEST_PROCESSING_DELAY: '200' } });
});
afterAll(() => harness?.close());
afterEach(() => context?.close());

const byId = (page: Page, id: string) => page.locator(`[data-test-id="${id}"]`);
const chipValues = (page: Page, list: string) =>
  byId(page, list)
    .locator('[data-test-id="test-value-chip"]')
    .evaluateAll((chips) => chips.map((chip) => (chip as HTMLElement).dataset.value));

async function openPage(checkoutUrl: string, viewport: { width: number; height: number }, orderId: string) {
  context = await harness.browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${checkoutUrl}/checkout?order_id=${orderId}`);
  await byId(page, 'pay-button').waitFor();
  return page;
}

describe('test mode on the hosted checkout page', () => {
  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.name}: shows the badge and fills the VPA or card from a chip, by keyboard too`, async () => {
      const order = await createOrder(harness.gateway);
      const page = await openPage(harness.checkoutUrl, viewport, order.id);
      expect(await visibleText(byId(page, 'test-mode-badge'))).toBe('TEST MODE');

      // Every VPA and card of the shared table is offered, the succeeding ones first.
      expect(await chipValues(page, 'test-vpas')).toEqual([
        SUCCEEDING_TEST_VALUES.vpa,
        ...TEST_VALUES.flatMap((value) => value.vpas),
      ]);
      const insufficient = byId(page, 'test-vpas').locator('[data-value="insufficient@test"]');
      expect(await visibleText(insufficient)).toBe('insufficient@test Insufficient funds');
      await insufficient.focus();
      await page.keyboard.press('Enter');
      expect(await byId(page, 'vpa-input').inputValue()).toBe('insufficient@test');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test-id'))).toBe(
        'vpa-input',
      );

      await byId(page, 'method-card').click();
      expect(await byId(page, 'test-vpas').isVisible()).toBe(false);
      expect(await chipValues(page, 'test-cards')).toEqual([
        SUCCEEDING_TEST_VALUES.card,
        ...TEST_VALUES.flatMap((value) => value.cards),
      ]);
      const declined = byId(page, 'test-cards').locator('[data-value="4000000000009995"]');
      await declined.focus();
      await page.keyboard.press('Space');
      expect(await byId(page, 'card-number-input').inputValue()).toBe(formatCardNumber('4000000000009995'));
      expect(await visibleText(byId(page, 'card-network'))).toBe('Visa');

      // Nothing sticks out sideways, and the chips keep the page accessible.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      if (viewport.width < 500) await page.screenshot({ path: screenshotPath('checkout-test-mode.png') });
    });
  }

  it("pays with a chip's value and the simulated bank treats it as the table says", async () => {
    const order = await createOrder(harness.gateway);
    const page = await openPage(harness.checkoutUrl, VIEWPORTS[0], order.id);
    await byId(page, 'test-vpas').locator('[data-value="failure@test"]').click();
    await byId(page, 'pay-button').click();
    await byId(page, 'error-state').waitFor();
    const payment = await harness.gateway.runtime.db.query<{ vpa: string; status: string }>(
      'SELECT vpa, status FROM payments WHERE order_id = $1',
      [order.id],
    );
    expect(payment.rows).toEqual([{ vpa: 'failure@test', status: 'failed' }]);
  });

  it('shows the badge inside the embedded checkout as well', async () => {
    context = await harness.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harness.checkoutUrl}/demo`);
    await page.locator('[data-test-id="demo-pay-button"]').click();
    const frame = page.frameLocator('[data-test-id="payment-iframe"]');
    expect(await visibleText(frame.locator('[data-test-id="test-mode-badge"]'))).toBe('TEST MODE');
  });

  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.name}: shows neither badge nor test values in production mode`, async () => {
      const production = await startCheckoutServer(harness.gateway.url, harness.gateway.url, {
        testMode: false,
      });
      try {
        const order = await createOrder(harness.gateway);
        const page = await openPage(production.url, viewport, order.id);
        expect(await byId(page, 'test-mode-badge').isVisible()).toBe(false);
        expect(await page.locator('[data-test-id="test-value-chip"]').count()).toBe(0);
        expect(await byId(page, 'test-vpas').isVisible()).toBe(false);
        await byId(page, 'method-card').click();
        expect(await byId(page, 'test-cards').isVisible()).toBe(false);
        expect(
          await page
            .getByText(/test (mode|card|upi)/i)
            .filter({ visible: true })
            .count(),
        ).toBe(0);
      } finally {
        // The page first: closing the server waits for the connections a live page keeps open.
        await context?.close();
        await production.app.close();
      }
    });
  }
});
