import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardClient, uniqueEmail } from '../support/dashboard-client.js';
import { startTestGateway, successfulPayment, type TestGateway, waitFor } from '../support/gateway.js';

/**
 * The Endpoints and Events pages as the server renders them: each signed-in merchant sees its own
 * endpoints and events only, never another merchant's, and never an endpoint's secret.
 */
let gw: TestGateway;

interface Merchant {
  client: DashboardClient;
  auth: { key: string; secret: string };
  endpoint: { id: string; url: string; secret: string };
  events: string[];
}

async function merchantWithActivity(name: string, hookPath: string): Promise<Merchant> {
  const client = new DashboardClient(gw.url);
  const created = await client.signUp(name, uniqueEmail(hookPath), 'long enough password');
  expect(created.status).toBe(201);
  const auth = { key: created.body.credentials.api_key, secret: created.body.credentials.api_secret };
  const endpoint = await gw.request('POST', '/api/v1/webhook_endpoints', {
    body: { url: `http://127.0.0.1:9/${hookPath}`, enabled_events: ['payment.*'] },
    auth,
  });
  expect(endpoint.status).toBe(201);
  const paymentId = await successfulPayment(gw, 12_345, auth);
  let events: string[] = [];
  await waitFor(async () => {
    const list = await gw.request('GET', `/api/v1/events?resource_id=${paymentId}`, { auth });
    events = list.body.data.map((event: { id: string }) => event.id);
    return events.length >= 2;
  });
  return { client, auth, endpoint: endpoint.body, events };
}

let first: Merchant;
let second: Merchant;

beforeAll(async () => {
  gw = await startTestGateway({ workers: true });
  first = await merchantWithActivity('First Shop', 'first-shop-hook');
  second = await merchantWithActivity('Second Shop', 'second-shop-hook');
});
afterAll(() => gw?.close());

describe('Endpoints page', () => {
  it("lists the signed-in merchant's endpoints only, without their secrets", async () => {
    const page = await first.client.page('/dashboard/endpoints');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-test-id="endpoints-table"');
    expect(page.text).toContain(`data-endpoint-id="${first.endpoint.id}"`);
    expect(page.text).toContain(first.endpoint.url);
    expect(page.text).not.toContain(second.endpoint.id);
    expect(page.text).not.toContain(second.endpoint.url);
    expect(page.text).not.toContain(first.endpoint.secret);

    const theirs = await second.client.page('/dashboard/endpoints');
    expect(theirs.text).toContain(`data-endpoint-id="${second.endpoint.id}"`);
    expect(theirs.text).not.toContain(first.endpoint.id);
  });

  it('shows since when an endpoint has been failing', async () => {
    // Both endpoints point at a closed port: every attempt fails.
    const failingCell = async () => {
      const page = await first.client.page('/dashboard/endpoints');
      const row = page.text.slice(page.text.indexOf(`data-endpoint-id="${first.endpoint.id}"`));
      return row
        .slice(0, row.indexOf('</tr>'))
        .match(/data-test-id="endpoint-failing-since"><time datetime="([^"]+)"/)?.[1];
    };
    let since: string | undefined;
    await waitFor(async () => {
      since = await failingCell();
      return since !== undefined;
    });
    const deliveries = await gw.request('GET', '/api/v1/webhooks?limit=100', { auth: first.auth });
    const attempted = deliveries.body.data
      .filter(
        (log: { endpoint_id: string; last_attempt_at: string | null }) =>
          log.endpoint_id === first.endpoint.id,
      )
      .map((log: { last_attempt_at: string | null }) => log.last_attempt_at)
      .filter(Boolean)
      .sort();
    expect(Date.parse(since ?? '')).toBeLessThanOrEqual(Date.parse(attempted.at(-1)));
  });

  it("opens an endpoint's settings, and treats another merchant's endpoint as missing", async () => {
    const own = await first.client.page(`/dashboard/endpoints?endpoint=${first.endpoint.id}`);
    expect(own.text).toContain(`data-test-id="endpoint-detail" data-endpoint-id="${first.endpoint.id}"`);
    expect(own.text).toContain('data-test-id="rotate-secret-button"');
    const other = await first.client.page(`/dashboard/endpoints?endpoint=${second.endpoint.id}`);
    expect(other.status).toBe(200);
    expect(other.text).toContain('Endpoint not found');
    expect(other.text).not.toContain(second.endpoint.url);
  });
});

describe('Events page', () => {
  it("lists the signed-in merchant's events only", async () => {
    const page = await first.client.page('/dashboard/events');
    expect(page.status).toBe(200);
    for (const id of first.events) expect(page.text).toContain(`data-event-id="${id}"`);
    for (const id of second.events) expect(page.text).not.toContain(id);
  });

  it("shows an event's deliveries, and another merchant's event as missing", async () => {
    const [eventId] = first.events;
    const own = await first.client.page(`/dashboard/events?event=${eventId}`);
    expect(own.text).toContain(`data-test-id="event-detail" data-event-id="${eventId}"`);
    expect(own.text).toContain('data-test-id="event-delivery-row"');
    expect(own.text).toContain(first.endpoint.url);
    const other = await first.client.page(`/dashboard/events?event=${second.events[0]}`);
    expect(other.status).toBe(200);
    expect(other.text).toContain('Event not found');
    expect(other.text).not.toContain(second.endpoint.url);
  });

  it("takes another merchant's event as a cursor as no page, not as a way into its events", async () => {
    const page = await first.client.page(`/dashboard/events?starting_after=${second.events[0]}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-test-id="events-empty"');
    for (const id of [...first.events, ...second.events])
      expect(page.text).not.toContain(`data-event-id="${id}"`);
  });

  it('filters by type', async () => {
    const test = await gw.request('POST', `/api/v1/webhook_endpoints/${first.endpoint.id}/test`, {
      auth: first.auth,
    });
    expect(test.status).toBe(202);
    const payments = await first.client.page('/dashboard/events?type=payment.*');
    expect(payments.text).not.toContain('data-type="webhook.test"');
    expect(payments.text).toContain('data-type="payment.success"');
    await waitFor(async () =>
      (await first.client.page('/dashboard/events?type=webhook.test')).text.includes(
        'data-type="webhook.test"',
      ),
    );
  });
});
