import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexSignature } from '../../src/domain/signing.js';
import { Event, WebhookEndpoint } from '../../src/shapes/index.js';
import { createOrder, startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';
import { type ReceivedRequest, WebhookSink } from '../support/webhook-sink.js';

/** Several endpoints per merchant, each with its own filter, secret, status and deliveries. */
let gw: TestGateway;
let sink: WebhookSink;
let auth: { key: string; secret: string };

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await startTestGateway({ workers: true });
  const merchant = await createMerchant(gw.runtime.db, 'Endpoints Merchant');
  auth = { key: merchant.key, secret: merchant.secret };
});
afterAll(async () => {
  await gw.close();
  await sink.close();
});

const call = (method: string, path: string, body?: unknown) => gw.request(method, path, { body, auth });

async function addEndpoint(path: string, enabled_events?: string[]) {
  const res = await call('POST', '/api/v1/webhook_endpoints', { url: `${sink.url}${path}`, enabled_events });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string; enabled_events: string[] };
}

const to = (path: string) => (r: ReceivedRequest) => r.url === `/webhook${path}`;

async function paidAndRefunded() {
  const order = await createOrder(gw, 10_000, auth);
  const payment = await call('POST', '/api/v1/payments', {
    order_id: order.id,
    method: 'upi',
    vpa: 'a@bank',
  });
  await waitFor(
    async () => (await call('GET', `/api/v1/payments/${payment.body.id}`)).body.status === 'success',
  );
  const refund = await call('POST', `/api/v1/payments/${payment.body.id}/refunds`, { amount: 500 });
  await waitFor(
    async () => (await call('GET', `/api/v1/refunds/${refund.body.id}`)).body.status === 'processed',
  );
  return { paymentId: payment.body.id as string, refundId: refund.body.id as string };
}

describe('webhook endpoints', () => {
  it('create with the pinned shape and defaults, list, get, update and delete', async () => {
    const created = await addEndpoint('/crud');
    expect(Object.keys(created)).toEqual(keysOf(WebhookEndpoint, created));
    expect(created).toMatchObject({ enabled_events: ['*'], description: null, status: 'enabled' });
    expect(created.id).toMatch(/^we_[A-Za-z0-9]{16}$/);
    expect(created.secret).toMatch(/^whsec_/);
    const listed = await call('GET', '/api/v1/webhook_endpoints');
    expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(created.id);
    expect(listed.body).toHaveProperty('has_more');
    const patched = await call('PATCH', `/api/v1/webhook_endpoints/${created.id}`, {
      description: 'Orders service',
      enabled_events: ['payment.*'],
      status: 'disabled',
    });
    expect(patched.body).toMatchObject({
      description: 'Orders service',
      enabled_events: ['payment.*'],
      status: 'disabled',
    });
    expect((await call('GET', `/api/v1/webhook_endpoints/${created.id}`)).body.status).toBe('disabled');
    const deleted = await call('DELETE', `/api/v1/webhook_endpoints/${created.id}`);
    expect(deleted.body).toEqual({ id: created.id, deleted: true });
    expect((await call('GET', `/api/v1/webhook_endpoints/${created.id}`)).status).toBe(404);
  });

  it('refuses bad URLs and filters with 400', async () => {
    for (const body of [
      { url: 'ftp://example.com/hook' },
      { url: 'not a url' },
      { url: sink.url, enabled_events: ['payment.nope'] },
      { url: sink.url, enabled_events: ['nothing.*'] },
      { url: sink.url, enabled_events: [] },
      { url: sink.url, secret: 'mine' },
    ]) {
      const res = await call('POST', '/api/v1/webhook_endpoints', body);
      expect([JSON.stringify(body), res.status, res.body.error?.code]).toEqual([
        JSON.stringify(body),
        400,
        'BAD_REQUEST_ERROR',
      ]);
    }
  });

  it('fans each event out to exactly the endpoints whose filter selects it, each signed with its own secret', async () => {
    const exact = await addEndpoint('/exact', ['payment.success']);
    const refunds = await addEndpoint('/refunds', ['refund.*']);
    const all = await addEndpoint('/all', ['*']);
    const { paymentId, refundId } = await paidAndRefunded();
    const expected: Record<string, string[]> = {
      '/exact': ['payment.success'],
      '/refunds': ['refund.created', 'refund.processed'],
      '/all': ['payment.created', 'payment.pending', 'payment.success', 'refund.created', 'refund.processed'],
    };
    const ours = (r: ReceivedRequest) => {
      const data = JSON.parse(r.body).data;
      return data.payment?.id === paymentId || data.refund?.id === refundId;
    };
    await waitFor(() => sink.requests.filter(ours).length === 8);
    for (const [path, endpoint] of [
      ['/exact', exact],
      ['/refunds', refunds],
      ['/all', all],
    ] as const) {
      const received = sink.requests.filter((r) => to(path)(r) && ours(r));
      expect([path, received.map((r) => r.headers['x-webhook-event']).sort()]).toEqual([
        path,
        expected[path]?.sort(),
      ]);
      for (const r of received) {
        expect(r.headers['x-webhook-signature']).toBe(hexSignature(endpoint.secret, r.body));
        expect(r.headers['x-event-id']).toMatch(/^evt_/);
        new Webhook(endpoint.secret).verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        });
      }
    }
    // The deliveries list says where each went and what it delivered.
    const logs = await call('GET', `/api/v1/webhooks?endpoint_id=${refunds.id}&limit=100`);
    expect(
      logs.body.data.every(
        (l: { endpoint_id: string; event_id: string }) =>
          l.endpoint_id === refunds.id && l.event_id.startsWith('evt_'),
      ),
    ).toBe(true);
    for (const endpoint of [exact, refunds, all])
      await call('DELETE', `/api/v1/webhook_endpoints/${endpoint.id}`);
  });

  it('records events with no endpoint at all, and resends them to an endpoint created later', async () => {
    const other = await createMerchant(gw.runtime.db, 'No endpoint yet');
    const otherAuth = { key: other.key, secret: other.secret };
    const order = await createOrder(gw, 5000, otherAuth);
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'b@bank' },
      auth: otherAuth,
    });
    await waitFor(
      async () =>
        (await gw.request('GET', `/api/v1/payments/${payment.body.id}`, { auth: otherAuth })).body.status ===
        'success',
    );
    const events = await gw.request('GET', `/api/v1/events?resource_id=${payment.body.id}`, {
      auth: otherAuth,
    });
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual([
      'payment.success',
      'payment.pending',
      'payment.created',
    ]);
    expect(Object.keys(events.body.data[0])).toEqual(keysOf(Event, events.body.data[0]));
    expect(events.body.data[0].data.payment).toMatchObject({ id: payment.body.id, status: 'success' });
    expect((await gw.request('GET', '/api/v1/webhooks', { auth: otherAuth })).body.total).toBe(0);

    const later = (
      await gw.request('POST', '/api/v1/webhook_endpoints', {
        body: { url: `${sink.url}/later` },
        auth: otherAuth,
      })
    ).body;
    const success = events.body.data[0];
    const resent = await gw.request('POST', `/api/v1/events/${success.id}/resend`, {
      body: {},
      auth: otherAuth,
    });
    expect(resent.status).toBe(202);
    expect(resent.body.deliveries).toEqual([{ id: expect.any(String), endpoint_id: later.id }]);
    const arrived = await waitFor(() => sink.requests.find((r) => r.headers['x-event-id'] === success.id));
    expect(JSON.parse(arrived.body)).toMatchObject({ event: 'payment.success', data: success.data });
    expect(arrived.headers['x-webhook-signature']).toBe(hexSignature(later.secret, arrived.body));
    const detail = await gw.request('GET', `/api/v1/events/${success.id}`, { auth: otherAuth });
    expect(detail.body.deliveries).toEqual([
      expect.objectContaining({ id: resent.body.deliveries[0].id, endpoint_id: later.id, status: 'success' }),
    ]);
    // Resent again to one endpoint: a new round of the same delivery.
    const again = await gw.request('POST', `/api/v1/events/${success.id}/resend`, {
      body: { endpoint_id: later.id },
      auth: otherAuth,
    });
    expect(again.body.deliveries).toEqual(resent.body.deliveries);
  });

  it('pages through 250 events by cursor, stable while new events arrive: no duplicates, no gaps', async () => {
    const pager = await createMerchant(gw.runtime.db, 'Pager');
    const pagerAuth = { key: pager.key, secret: pager.secret };
    const orders = await Promise.all(Array.from({ length: 125 }, () => createOrder(gw, 1000, pagerAuth)));
    await gw.stopWorkers(); // no decisions meanwhile: two events per payment, 250 in all

    await Promise.all(
      orders.map((order) =>
        gw.request('POST', '/api/v1/payments', {
          body: { order_id: order.id, method: 'upi', vpa: 'c@bank' },
          auth: pagerAuth,
        }),
      ),
    );
    const { rows } = await gw.runtime.db.query(
      'SELECT id FROM events WHERE merchant_id = $1 ORDER BY seq DESC',
      [pager.id],
    );
    expect(rows).toHaveLength(250);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await gw.request(
        'GET',
        `/api/v1/events?limit=40${cursor ? `&starting_after=${cursor}` : ''}`,
        { auth: pagerAuth },
      );
      seen.push(...res.body.data.map((e: { id: string }) => e.id));
      // New events between pages must not shift what follows.
      const extra = await createOrder(gw, 1000, pagerAuth);
      await gw.request('POST', '/api/v1/payments', {
        body: { order_id: extra.id, method: 'upi', vpa: 'd@bank' },
        auth: pagerAuth,
      });
      if (!res.body.has_more) break;
      cursor = res.body.data.at(-1).id;
    }
    expect(seen).toEqual(rows.map((r) => r.id));
    // And back toward newer events with ending_before, newest first on every page.
    const oldest = seen.at(-1) as string;
    const newer = await gw.request('GET', `/api/v1/events?limit=5&ending_before=${oldest}`, {
      auth: pagerAuth,
    });
    expect(newer.body.data.map((e: { id: string }) => e.id)).toEqual(seen.slice(-6, -1));
    expect(newer.body.has_more).toBe(true);
    const filtered = await gw.request('GET', '/api/v1/events?limit=100&type=payment.created,refund.*', {
      auth: pagerAuth,
    });
    expect(new Set(filtered.body.data.map((e: { type: string }) => e.type))).toEqual(
      new Set(['payment.created']),
    );
    const wildcard = await gw.request('GET', '/api/v1/events?limit=100&type=payment.*', { auth: pagerAuth });
    expect(new Set(wildcard.body.data.map((e: { type: string }) => e.type))).toEqual(
      new Set(['payment.created', 'payment.pending']),
    );
    expect((await gw.request('GET', '/api/v1/events?type=nope', { auth: pagerAuth })).status).toBe(400);
    expect(
      (await gw.request('GET', '/api/v1/events?limit=1000', { auth: pagerAuth })).body.data,
    ).toHaveLength(100);
    gw.startWorkers();
  });
});
