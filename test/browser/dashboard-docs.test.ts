import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/dashboard-client.js';
import {
  axeViolations,
  byTestId,
  type DashboardHarness,
  fitsViewport,
  screenshotPath,
  serious,
  signUpMerchant,
  startDashboardHarness,
} from './dashboard-harness.js';

const run = promisify(execFile);

/**
 * The docs page in Chromium at 1280 and 390 px: navigation that stays in reach (sticky beside the
 * content, folded above it on phones), the reference's examples, and a signed-up merchant's own
 * secret put into the samples without ever leaving the browser tab.
 */
let harness: DashboardHarness;
let merchant: { id: string; key: string; secret: string };
const password = 'correct horse battery staple';
let email: string;

beforeAll(async () => {
  harness = await startDashboardHarness();
  email = uniqueEmail('docs-browser');
  merchant = await signUpMerchant(harness.gateway, 'Docs Shop', email, password);
}, 60_000);
afterAll(() => harness?.close());

describe('the docs page', () => {
  it('keeps its navigation beside the content while reading, and jumps to an operation (1280 px)', async () => {
    const page = await harness.open({ width: 1280, height: 800 });
    await page.goto('/dashboard/docs');
    const nav = byTestId(page, 'docs-nav');
    await nav.getByRole('link', { name: /POST \/payments$/ }).click();
    await page.waitForURL('**/dashboard/docs#op-post-api-v1-payments');
    const endpoint = page.locator('#op-post-api-v1-payments');
    expect((await endpoint.boundingBox())?.y).toBeLessThan(100);
    // Far down the page the navigation is still on screen, at the top.
    await page.locator('#op-get-health').scrollIntoViewIfNeeded();
    const box = await nav.boundingBox();
    expect(box?.y).toBeGreaterThanOrEqual(0);
    expect(box?.y).toBeLessThan(40);
    expect(await endpoint.locator('[data-test-id="idempotency-note"]').isVisible()).toBe(true);
    expect(await page.locator('#op-post-api-v1-payments-response').textContent()).toContain(
      '"status": "pending"',
    );
    expect(await fitsViewport(page)).toBe(true);
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.screenshot({ path: screenshotPath('dashboard-docs-reference-1280.png') });
  }, 90_000);

  it('folds the navigation above the content on a phone, and opens it on a tap (390 px)', async () => {
    const page = await harness.open({ width: 390, height: 800 });
    await page.goto('/dashboard/docs');
    const nav = byTestId(page, 'docs-nav');
    await expect.poll(() => nav.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await nav.locator('summary').click();
    await nav.getByRole('link', { name: 'Test values' }).click();
    await page.waitForURL('**/dashboard/docs#test-values');
    expect(await byTestId(page, 'test-values-table').isVisible()).toBe(true);
    expect(await fitsViewport(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('dashboard-docs-390.png') });
  }, 60_000);

  for (const width of [1280, 390]) {
    it(`puts a signed-in merchant's own secret into the samples, kept in the tab only (${width} px)`, async () => {
      const page = await harness.open({ width, height: 900, signIn: { email, password } });
      const sentSecret: string[] = [];
      page.on('request', (request) => {
        const sent = `${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`;
        if (sent.includes(merchant.secret)) sentSecret.push(request.url());
      });
      await page.goto('/dashboard/docs');
      const snippet = byTestId(page, 'code-snippet-create-order');
      expect(await snippet.textContent()).toContain('$GATEWAY_API_SECRET');
      expect(await snippet.textContent()).toContain(merchant.key);

      await byTestId(page, 'sample-secret-input').fill(merchant.secret);
      await byTestId(page, 'sample-secret-toggle').check();
      expect(await snippet.textContent()).toContain(`X-Api-Secret: ${merchant.secret}`);
      const reference = page.locator('#op-post-api-v1-orders-request');
      expect(await reference.textContent()).toContain(`X-Api-Secret: ${merchant.secret}`);
      expect(await byTestId(page, 'sample-secret-status').textContent()).toContain('use your secret');

      // The sample now runs as shown, against the merchant's own account.
      const command = (await reference.textContent())?.replace(
        harness.gateway.config.API_PUBLIC_URL.replace(/\/+$/, ''),
        harness.gateway.url,
      );
      const created = JSON.parse((await run('sh', ['-c', command ?? ''])).stdout);
      expect(created).toMatchObject({ merchant_id: merchant.id, status: 'created' });

      // Kept for this tab: a reload still uses it; turning it off brings the placeholder back.
      await page.reload();
      expect(await byTestId(page, 'sample-secret-toggle').isChecked()).toBe(true);
      expect(await snippet.textContent()).toContain(merchant.secret);
      await byTestId(page, 'sample-secret-toggle').uncheck();
      expect(await snippet.textContent()).toContain('$GATEWAY_API_SECRET');
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      expect(sentSecret).toEqual([]);
      if (width === 390) expect(await fitsViewport(page)).toBe(true);
    }, 60_000);
  }

  it('shows no secret form where the samples already run: the public test merchant in test mode', async () => {
    const page = await harness.open();
    await page.goto('/dashboard/docs');
    await byTestId(page, 'api-docs').waitFor();
    expect(await byTestId(page, 'sample-secret').count()).toBe(0);
    expect(await byTestId(page, 'code-snippet-create-order').textContent()).toContain('secret_test_xyz789');
  });
});
