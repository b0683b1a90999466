import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { type Operation, operationsOf } from '../support/openapi-arbitraries.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * Merchant isolation, as a matrix over the OpenAPI document: merchant B calls every authenticated
 * operation that takes an id with merchant A's ids (and names A's order in a body) and must get 404,
 * exactly as for an id that does not exist, while A's objects stay untouched. New operations join
 * the matrix by themselves.
 */
type Kind = 'order' | 'payment' | 'refund' | 'webhook' | 'event' | 'endpoint' | 'requestLog';

let gw: ProcessGateway;
let sink: WebhookSink;
let operations: Operation[];
let a: Record<Kind, string> & { unpaidOrder: string; amount: number };
let bAuth: { key: string; secret: string };

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await ProcessGateway.start({ env: await testEnvironment(), workers: 1 });
  await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });

  const unpaid = (await gw.request('POST', '/api/v1/orders', { body: { amount: 10_000 } })).body;
  const order = (await gw.request('POST', '/api/v1/orders', { body: { amount: 40_000 } })).body;
  const payment = (
    await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'a@bank' },
    })
  ).body;
  await waitFor(
    async () => (await gw.request('GET', `/api/v1/payments/${payment.id}`)).body.status === 'success',
  );
  const refund = (
    await gw.request('POST', `/api/v1/payments/${payment.id}/refunds`, { body: { amount: 500 } })
  ).body;
  const webhook = await waitFor(async () => (await gw.request('GET', '/api/v1/webhooks')).body.data[0]);
  const event = (await gw.request('GET', '/api/v1/events?limit=1')).body.data[0];
  const endpoint = (
    await gw.request('POST', '/api/v1/webhook_endpoints', {
      body: { url: sink.url, enabled_events: ['refund.*'], description: 'A second endpoint' },
    })
  ).body;
  // The request log is written off the request path, in batches.
  const requestLog = await waitFor(
    async () => (await gw.request('GET', '/api/v1/request_logs?limit=1')).body.data?.[0],
  );
  a = {
    requestLog: requestLog.id,
    order: order.id,
    payment: payment.id,
    refund: refund.id,
    webhook: webhook.id,
    event: event.id,
    endpoint: endpoint.id,
    unpaidOrder: unpaid.id,
    amount: 40_000,
  };

  const b = await createMerchant(gw.db, 'Merchant B');
  bAuth = { key: b.key, secret: b.secret };
  operations = operationsOf((await gw.request('GET', '/api/v1/openapi.json')).body);
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await sink?.close();
});

function kindOf(path: string): Kind {
  const resource = path.split('/')[3];
  const kinds: Record<string, Kind> = {
    orders: 'order',
    payments: 'payment',
    refunds: 'refund',
    webhooks: 'webhook',
    events: 'event',
    webhook_endpoints: 'endpoint',
    request_logs: 'requestLog',
  };
  const kind = resource ? kinds[resource] : undefined;
  if (!kind) throw new Error(`no id kind known for ${path}: extend the matrix`);
  return kind;
}

/** A body that would be accepted if the id were the caller's own. */
function bodyFor(op: Operation): unknown {
  if (op.path.endsWith('/capture')) return { amount: a.amount };
  if (op.path.endsWith('/refunds') && op.method === 'POST') return { amount: 100 };
  if (op.path.endsWith('/recover')) return { since: '2020-01-01T00:00:00.000Z' };
  if (op.path.endsWith('/rotate')) return { overlap_seconds: 0 };
  if (op.path.startsWith('/api/v1/webhook_endpoints/') && op.method === 'PATCH')
    return { status: 'disabled' };
  return undefined;
}

async function snapshotOfA() {
  const { rows } = await gw.db.query(
    `SELECT (SELECT row_to_json(p) FROM payments p WHERE id = $1) AS payment,
            (SELECT count(*) FROM refunds WHERE payment_id = $1)::int AS refunds,
            (SELECT row_to_json(l) FROM (SELECT generation, attempts, status FROM webhook_logs WHERE id = $2) l) AS webhook,
            (SELECT count(*) FROM payments WHERE order_id = $3)::int AS unpaid_order_payments,
            (SELECT row_to_json(e) FROM webhook_endpoints e WHERE id = $4) AS endpoint,
            (SELECT json_agg(s.secret ORDER BY s.secret) FROM webhook_endpoint_secrets s WHERE endpoint_id = $4) AS secrets,
            (SELECT count(*) FROM webhook_logs WHERE event_id = $5)::int AS event_deliveries`,
    [a.payment, a.webhook, a.unpaidOrder, a.endpoint, a.event],
  );
  return rows[0];
}

describe('merchant B on merchant A’s ids', () => {
  it('gets 404 NOT_FOUND_ERROR on every authenticated operation that takes an id', async () => {
    const before = await snapshotOfA();
    const matrix = operations.filter((op) => op.secured && op.pathParams.includes('id'));
    expect(matrix.length).toBeGreaterThanOrEqual(8);
    const answers: string[] = [];
    for (const op of matrix) {
      const path = op.path.replace('{id}', a[kindOf(op.path)]);
      const res = await gw.request(op.method, path, { body: bodyFor(op), auth: bAuth });
      answers.push(`${op.method} ${op.path} → ${res.status} ${res.body?.error?.code}`);
    }
    expect(answers).toEqual(matrix.map((op) => `${op.method} ${op.path} → 404 NOT_FOUND_ERROR`));
    expect(await snapshotOfA()).toEqual(before);
  });

  it('cannot pay A’s order, not even through the public endpoint with B’s key', async () => {
    const body = { order_id: a.unpaidOrder, method: 'upi', vpa: 'b@bank' };
    const direct = await gw.request('POST', '/api/v1/payments', { body, auth: bAuth });
    const viaPublic = await gw.request('POST', '/api/v1/payments/public', {
      body,
      auth: false,
      headers: { 'X-Api-Key': bAuth.key },
    });
    expect([direct.status, direct.body.error.code]).toEqual([404, 'NOT_FOUND_ERROR']);
    expect([viaPublic.status, viaPublic.body.error.code]).toEqual([404, 'NOT_FOUND_ERROR']);
    const { rows } = await gw.db.query('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [
      a.unpaidOrder,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('sees none of A’s objects in its lists, whatever the filter', async () => {
    const payments = await gw.request('GET', '/api/v1/payments?limit=100', { auth: bAuth });
    const webhooks = await gw.request('GET', '/api/v1/webhooks?limit=100', { auth: bAuth });
    const byResource = await gw.request('GET', `/api/v1/webhooks?resource_id=${a.payment}`, { auth: bAuth });
    expect([payments.body.total, webhooks.body.total, byResource.body.total]).toEqual([0, 0, 0]);
    const config = await gw.request('GET', '/api/v1/merchant/webhook', { auth: bAuth });
    expect(config.body.webhook_url).toBeNull();
    const events = await gw.request('GET', '/api/v1/events?limit=100', { auth: bAuth });
    const ofPayment = await gw.request('GET', `/api/v1/events?resource_id=${a.payment}`, { auth: bAuth });
    const endpoints = await gw.request('GET', '/api/v1/webhook_endpoints?limit=100', { auth: bAuth });
    const deliveries = await gw.request('GET', `/api/v1/webhooks?endpoint_id=${a.endpoint}`, { auth: bAuth });
    expect([events.body.data, ofPayment.body.data, endpoints.body.data, deliveries.body.total]).toEqual([
      [],
      [],
      [],
      0,
    ]);
    // Nor can it use A's objects as cursors.
    const cursor = await gw.request('GET', `/api/v1/events?starting_after=${a.event}`, { auth: bAuth });
    expect(cursor.status).toBe(400);
    const resend = await gw.request('POST', `/api/v1/events/${a.event}/resend`, {
      body: { endpoint_id: a.endpoint },
      auth: bAuth,
    });
    expect(resend.status).toBe(404);
  });

  it('while A, on the very same requests, is answered (the 404s are about ownership)', async () => {
    for (const op of operations.filter(
      (o) => o.secured && o.pathParams.includes('id') && o.method === 'GET',
    )) {
      const res = await gw.request(op.method, op.path.replace('{id}', a[kindOf(op.path)]));
      expect([op.path, res.status]).toEqual([op.path, 200]);
    }
    // A's payment has a refund, so it is no longer capturable: B's 404 was not about that.
    const refunded = await gw.request('POST', `/api/v1/payments/${a.payment}/capture`, {
      body: { amount: a.amount },
    });
    expect(refunded.body.error).toMatchObject({ code: 'BAD_REQUEST_ERROR' });
    const order = (await gw.request('POST', '/api/v1/orders', { body: { amount: 20_000 } })).body;
    const fresh = (
      await gw.request('POST', '/api/v1/payments', {
        body: { order_id: order.id, method: 'upi', vpa: 'a@bank' },
      })
    ).body;
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/payments/${fresh.id}`)).body.status === 'success',
    );
    const capture = await gw.request('POST', `/api/v1/payments/${fresh.id}/capture`, {
      body: { amount: 20_000 },
    });
    expect(capture.status).toBe(200);
  });
});
