import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/dashboard-client.js';
import { successfulPayment, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import {
  axeViolations,
  byTestId,
  type DashboardHarness,
  fitsViewport,
  serious,
  signUpMerchant,
  startDashboardHarness,
} from './dashboard-harness.js';

/**
 * The Endpoints and Events pages in Chromium, on a desktop and a phone, checked against the API and
 * the endpoint that receives the deliveries: an endpoint added with a filter, a payment's events and
 * their deliveries, a resend, a secret rotated with an overlap, an endpoint disabled, cursor pages.
 */
let harness: DashboardHarness;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  harness = await startDashboardHarness();
});
afterAll(async () => {
  await harness?.close();
  await sink?.close();
});

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
/** What the sink received at its URL followed by this path. */
const received = (path: string) =>
  sink.requests.filter((request) => request.url === new URL(sink.url + path).pathname);

/** The pages refresh themselves every few seconds while a delivery is pending. */
const SETTLED = { timeout: 15_000 };

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name, exact: true });

async function expectAccessible(page: Page, label: string) {
  const found = serious(await axeViolations(page));
  expect(found, `${label}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
  expect(await fitsViewport(page), label).toBe(true);
}

describe.each([1280, 390])('at %i px', (width) => {
  let page: Page;
  let auth: { key: string; secret: string };
  const hookPath = `/hooks/w${width}`;
  const api = (method: string, path: string, body?: unknown) =>
    harness.gateway.request(method, path, { body, auth });
  const row = (id: string) => page.locator(`[data-test-id="endpoint-row"][data-endpoint-id="${id}"]`);
  let endpointId = '';
  let createdSecret = '';

  beforeAll(async () => {
    const password = 'endpoints password';
    const email = uniqueEmail(`endpoints-${width}`);
    const merchant = await signUpMerchant(harness.gateway, `Endpoints ${width}`, email, password);
    auth = { key: merchant.key, secret: merchant.secret };
    page = await harness.open({ width, height: 900, signIn: { email, password } });
    // A step that cannot be done fails by name, well within the test's own time.
    page.setDefaultTimeout(8_000);
  });

  it("adds an endpoint with a filter, showing the API's error first and the secret once", async () => {
    await page.goto('/dashboard');
    await nav(page, 'Endpoints').click();
    await page.waitForURL('**/dashboard/endpoints');
    const form = byTestId(page, 'add-endpoint-form');
    const box = (value: string) => form.locator(`[data-test-id="endpoint-event-checkbox"][value="${value}"]`);

    // Refused by the API: its own description is shown beside the form.
    const refusedUrl = `http://user:pw@127.0.0.1:${new URL(sink.url).port}${hookPath}`;
    const refused = await api('POST', '/api/v1/webhook_endpoints', { url: refusedUrl });
    expect(refused.status).toBe(400);
    await byTestId(page, 'endpoint-url-input').fill(refusedUrl);
    await byTestId(page, 'add-endpoint-button').click();
    await expect.poll(() => text(byTestId(page, 'add-endpoint-error'))).toBe(refused.body.error.description);
    expect(await byTestId(page, 'endpoint-url-input').getAttribute('aria-invalid')).toBe('true');

    // From the keyboard: the filter is only payment events.
    await byTestId(page, 'endpoint-url-input').fill(sink.url + hookPath);
    await byTestId(page, 'endpoint-description-input').first().fill(`Orders at ${width}`);
    await box('*').focus();
    await page.keyboard.press('Space');
    await box('payment.*').focus();
    await page.keyboard.press('Space');
    await byTestId(page, 'add-endpoint-button').focus();
    await page.keyboard.press('Enter');

    const secret = byTestId(page, 'created-endpoint-secret');
    await expect.poll(() => text(secret)).toMatch(/^whsec_/);
    createdSecret = await text(secret);
    const listed = (await api('GET', '/api/v1/webhook_endpoints')).body.data;
    expect(listed).toHaveLength(1);
    endpointId = listed[0].id;
    expect(listed[0]).toMatchObject({
      url: sink.url + hookPath,
      enabled_events: ['payment.*'],
      secret: createdSecret,
    });
    await row(endpointId).waitFor();
    expect(await text(row(endpointId).locator('[data-test-id="endpoint-events"]'))).toBe('payment.*');
    expect(await text(row(endpointId).locator('[data-test-id="endpoint-status"]'))).toBe('enabled');
    await page.reload();
    expect(await page.content()).not.toContain(createdSecret);
  });

  it("shows a payment's events, each with its delivery, and resends one", async () => {
    const paymentId = await successfulPayment(harness.gateway, 25_000, auth);
    await waitFor(() => received(hookPath).some((r) => r.headers['x-webhook-event'] === 'payment.success'));
    await nav(page, 'Events').click();
    await page.waitForURL('**/dashboard/events');
    const events = (await api('GET', `/api/v1/events?resource_id=${paymentId}`)).body.data as Array<{
      id: string;
      type: string;
    }>;
    for (const event of events)
      await page.locator(`[data-test-id="event-row"][data-event-id="${event.id}"]`).waitFor();

    await byTestId(page, 'event-type-filter').selectOption('payment.*');
    await byTestId(page, 'apply-event-filter-button').click();
    await page.waitForURL('**/dashboard/events?type=payment.*');
    const types = await byTestId(page, 'event-row').evaluateAll((rows) =>
      rows.map((r) => r.getAttribute('data-type')),
    );
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((type) => type?.startsWith('payment.'))).toBe(true);

    const success = events.find((event) => event.type === 'payment.success');
    if (!success) throw new Error('no payment.success event');
    await page.locator(`[data-test-id="event-row"][data-event-id="${success.id}"] a`).click();
    const detail = byTestId(page, 'event-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-event-id')).toBe(success.id);
    expect(await text(byTestId(page, 'event-payload'))).toContain(paymentId);
    const delivery = byTestId(page, 'event-delivery-row');
    await expect.poll(() => delivery.getAttribute('data-status'), SETTLED).toBe('success');
    expect(await delivery.getAttribute('data-endpoint-id')).toBe(endpointId);
    expect(await text(delivery.locator('[data-test-id="event-delivery-response-code"]'))).toBe('200');
    expect(await delivery.locator('[data-test-id="event-delivery-link"]').getAttribute('href')).toContain(
      `log=${await delivery.getAttribute('data-webhook-id')}`,
    );

    const before = received(hookPath).filter((r) => r.headers['x-event-id'] === success.id).length;
    await byTestId(page, 'resend-event-button').click();
    await expect.poll(() => text(byTestId(page, 'status-message'))).toBe('Resent to 1 endpoint.');
    await waitFor(
      () => received(hookPath).filter((r) => r.headers['x-event-id'] === success.id).length > before,
    );
    // The page follows the new round until it settles, showing what the API reports.
    const deliveryState = async () => {
      const { deliveries } = (await api('GET', `/api/v1/events/${success.id}`)).body;
      return deliveries.map((d: { id: string; status: string }) => `${d.id} ${d.status}`).sort();
    };
    await waitFor(async () => (await deliveryState()).every((d: string) => d.endsWith('success')));
    const shownState = () =>
      byTestId(page, 'event-delivery-row').evaluateAll((rows) =>
        rows.map((r) => `${r.getAttribute('data-webhook-id')} ${r.getAttribute('data-status')}`).sort(),
      );
    await expect.poll(shownState, SETTLED).toEqual(await deliveryState());
    await expectAccessible(page, `events at ${width}`);
  });

  it("edits the endpoint's URL, description and events, showing the API's refusal inline", async () => {
    await page.goto(`/dashboard/endpoints?endpoint=${endpointId}#endpoint-detail`);
    const form = byTestId(page, 'edit-endpoint-form');
    const box = (value: string) => form.locator(`[data-test-id="endpoint-event-checkbox"][value="${value}"]`);
    const urlInput = byTestId(page, 'edit-endpoint-url-input');
    await urlInput.fill('http://user:pw@127.0.0.1/hook');
    await byTestId(page, 'save-endpoint-button').click();
    await expect
      .poll(() => text(byTestId(page, 'edit-endpoint-error')))
      .toBe('webhook_url must not contain credentials');
    await urlInput.fill(`${sink.url}${hookPath}`);
    await form.locator('[data-test-id="endpoint-description-input"]').fill(`Edited at ${width}`);
    await box('refund.*').check();
    await byTestId(page, 'save-endpoint-button').click();
    await expect.poll(() => text(byTestId(page, 'status-message'))).toBe('Endpoint settings saved.');
    const saved = (await api('GET', `/api/v1/webhook_endpoints/${endpointId}`)).body;
    expect(saved).toMatchObject({
      description: `Edited at ${width}`,
      enabled_events: ['payment.*', 'refund.*'],
    });
    expect(await text(row(endpointId).locator('[data-test-id="endpoint-events"]'))).toBe('payment.*refund.*');
  });

  it('rotates the secret with an overlap: both secrets sign the next delivery', async () => {
    await page.goto('/dashboard/endpoints');
    await row(endpointId).locator('[data-test-id="endpoint-url"]').click();
    await byTestId(page, 'endpoint-detail').waitFor();
    await byTestId(page, 'rotate-overlap-select').selectOption('3600');
    await byTestId(page, 'rotate-secret-button').click();
    const shown = byTestId(page, 'rotated-endpoint-secret');
    await expect.poll(() => text(shown)).toMatch(/^whsec_/);
    const rotated = await text(shown);
    expect(rotated).not.toBe(createdSecret);
    expect((await api('GET', `/api/v1/webhook_endpoints/${endpointId}`)).body.secret).toBe(rotated);

    const count = received(hookPath).length;
    // From the keyboard (on a phone the status message may sit over the row's buttons).
    await row(endpointId).locator('[data-test-id="test-endpoint-button"]').focus();
    await page.keyboard.press('Enter');
    await waitFor(() => received(hookPath).length > count);
    const signatures = received(hookPath).at(-1)?.headers['webhook-signature'];
    expect(
      String(signatures)
        .split(' ')
        .filter((part) => part.startsWith('v1,')),
    ).toHaveLength(2);
    await expectAccessible(page, `endpoints at ${width}`);
  });

  it("recovers a window, showing the API's refusal of an empty one", async () => {
    await byTestId(page, 'recover-until-input').fill('2020-01-01T00:00:00');
    await byTestId(page, 'recover-button').click();
    await expect.poll(() => text(byTestId(page, 'recover-error'))).toBe('until must be later than since');
    await byTestId(page, 'recover-until-input').fill('');
    await byTestId(page, 'recover-button').click();
    await expect
      .poll(() => text(byTestId(page, 'status-message')))
      .toBe('No failed deliveries in that window.');
    expect(await text(byTestId(page, 'recover-error'))).toBe('');
  });

  it('disables the endpoint, which then receives no more events, and enables it again', async () => {
    await row(endpointId).locator('[data-test-id="disable-endpoint-button"]').click();
    await expect.poll(() => row(endpointId).getAttribute('data-status')).toBe('disabled');
    expect((await api('GET', `/api/v1/webhook_endpoints/${endpointId}`)).body.status).toBe('disabled');
    const paymentId = await successfulPayment(harness.gateway, 3_000, auth);
    const detail = await api('GET', `/api/v1/events?resource_id=${paymentId}&type=payment.success`);
    const [event] = detail.body.data;
    expect((await api('GET', `/api/v1/events/${event.id}`)).body.deliveries).toEqual([]);

    const enable = row(endpointId).locator('[data-test-id="enable-endpoint-button"]');
    await enable.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row(endpointId).getAttribute('data-status')).toBe('enabled');
  });
});

describe('event pages', () => {
  it('pages through events by cursor, older and newer, as the API does', async () => {
    const email = uniqueEmail('many');
    const merchant = await signUpMerchant(harness.gateway, 'Many Events', email, 'many events pass');
    const auth = { key: merchant.key, secret: merchant.secret };
    const endpoint = await harness.gateway.request('POST', '/api/v1/webhook_endpoints', {
      body: { url: `${sink.url}/hooks/many` },
      auth,
    });
    for (let i = 0; i < 25; i++) {
      const sent = await harness.gateway.request(
        'POST',
        `/api/v1/webhook_endpoints/${endpoint.body.id}/test`,
        {
          auth,
        },
      );
      expect(sent.status).toBe(202);
    }
    const all = await harness.gateway.request('GET', '/api/v1/events?limit=100', { auth });
    const ids = all.body.data.map((event: { id: string }) => event.id) as string[];
    expect(ids).toHaveLength(25);

    const page = await harness.open({ width: 390, signIn: { email, password: 'many events pass' } });
    const shown = () =>
      byTestId(page, 'event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    await page.goto('/dashboard/events');
    expect(await shown()).toEqual(ids.slice(0, 20));
    expect(await byTestId(page, 'events-previous').count()).toBe(0);
    await byTestId(page, 'events-next').click();
    await page.waitForURL(`**/dashboard/events?starting_after=${ids[19]}`);
    expect(await shown()).toEqual(ids.slice(20));
    expect(await byTestId(page, 'events-next').count()).toBe(0);
    await byTestId(page, 'events-previous').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/dashboard/events?ending_before=${ids[20]}`);
    expect(await shown()).toEqual(ids.slice(0, 20));
    expect(await byTestId(page, 'events-previous').count()).toBe(0);
    expect(await byTestId(page, 'events-next').count()).toBe(1);
    expect(await fitsViewport(page)).toBe(true);
  });
});
