import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERIES_CHANNEL } from '../../src/db/delivery-announcements.js';
import { startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * Dispatchers start new deliveries when they are announced on gateway_deliveries. The writers
 * announce them after their statement commits, in a statement of their own, so the notification
 * must arrive, and by the time it does the deliveries it announces must be there to claim.
 */
describe('delivery announcements', () => {
  let gw: TestGateway;
  let sink: WebhookSink;
  let listener: pg.Client;
  let reader: pg.Client;
  const heard: number[] = [];
  let pendingWhenHeard: number[] = [];

  beforeAll(async () => {
    sink = await WebhookSink.start();
    gw = await startTestGateway();
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
    listener = new pg.Client({ connectionString: gw.env.DATABASE_URL });
    await listener.connect();
    reader = new pg.Client({ connectionString: gw.env.DATABASE_URL });
    await reader.connect();
    listener.on('notification', (message) => {
      if (message.channel !== DELIVERIES_CHANNEL) return;
      heard.push(Date.now());
      void reader
        .query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_logs WHERE status = 'pending'")
        .then((result) => pendingWhenHeard.push(result.rows[0]?.n ?? 0));
    });
    await listener.query(`LISTEN ${DELIVERIES_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await reader.end();
    await gw.close();
    await sink.close();
  });

  it("announces a payment's deliveries once they are committed", async () => {
    const before = heard.length;
    pendingWhenHeard = [];
    const order = await gw.request('POST', '/api/v1/orders', { body: { amount: 50_000 } });
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.body.id, method: 'upi', vpa: 'user@paytm' },
    });
    expect(payment.status).toBe(201);
    await waitFor(() => heard.length > before && pendingWhenHeard.length > 0, 5000);
    // payment.created and payment.pending, both visible when the announcement is heard.
    expect(pendingWhenHeard[0]).toBeGreaterThanOrEqual(2);
  });

  it('announces a test event', async () => {
    const before = heard.length;
    const sent = await gw.request('POST', '/api/v1/merchant/webhook/test');
    expect(sent.status).toBe(202);
    await waitFor(() => heard.length > before, 5000);
  });

  it('announces a manual retry, a new round of a delivery', async () => {
    const sent = await gw.request('POST', '/api/v1/merchant/webhook/test');
    await waitFor(async () => (await gw.request('GET', `/api/v1/webhooks/${sent.body.id}`)).status === 200);
    const before = heard.length;
    const retried = await gw.request('POST', `/api/v1/webhooks/${sent.body.id}/retry`);
    expect(retried.status).toBe(200);
    await waitFor(() => heard.length > before, 5000);
  });

  it('announces nothing for a request that writes no delivery', async () => {
    await gw.request('GET', '/api/v1/payments?limit=1');
    const before = heard.length;
    const refused = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: 'order_AAAAAAAAAAAAAAAA', method: 'upi', vpa: 'user@paytm' },
    });
    expect(refused.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard.length).toBe(before);
  });
});
