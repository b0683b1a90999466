import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { PaymentInEvent, Refund, WebhookSummary } from '../../src/shapes/index.js';
import { createOrder, startTestGateway, type TestGateway, VALID_CARD, waitFor } from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';
import { keysOf } from '../support/shape-keys.js';
import { WebhookSink } from '../support/webhook-sink.js';

let gw: TestGateway;
let sink: WebhookSink;
let other: TestMerchant;

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await startTestGateway({ workers: true });
  other = await createMerchant(gw.runtime.db);
  const configured = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  expect(configured.status).toBe(200);
});
afterAll(async () => {
  await gw.close();
  await sink.close();
});
beforeEach(() => {
  sink.behaviour = () => ({ status: 200 });
});

const hex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

async function paidPayment(body: object = { method: 'upi', vpa: 'user@paytm' }) {
  const order = await createOrder(gw, 20_000);
  const created = await gw.request('POST', '/api/v1/payments', { body: { order_id: order.id, ...body } });
  await waitFor(
    async () => (await gw.request('GET', `/api/v1/payments/${created.body.id}`)).body.status !== 'pending',
  );
  return created.body.id as string;
}

const forResource = (id: string) =>
  sink.requests.filter((r) => {
    const data = JSON.parse(r.body).data;
    return data?.payment?.id === id || data?.refund?.id === id || data?.refund?.payment_id === id;
  });

describe('event delivery', () => {
  it('delivers every payment and refund event, signed over the exact body', async () => {
    const paymentId = await paidPayment();
    const refund = await gw.request('POST', `/api/v1/payments/${paymentId}/refunds`, {
      body: { amount: 5000 },
    });
    expect(refund.status).toBe(201);
    await waitFor(() => forResource(paymentId).length === 5);
    const received = forResource(paymentId);
    expect(received.map((r) => r.headers['x-webhook-event']).sort()).toEqual(
      ['payment.created', 'payment.pending', 'payment.success', 'refund.created', 'refund.processed'].sort(),
    );
    for (const request of received) {
      const signature = request.headers['x-webhook-signature'];
      expect(request.headers['content-type']).toBe('application/json');
      expect(signature).toBe(hex(TEST_MERCHANT.webhook_secret, request.body));
      // What the simplest sample receiver does: verify over the re-stringified parsed body.
      expect(signature).toBe(hex(TEST_MERCHANT.webhook_secret, JSON.stringify(JSON.parse(request.body))));
      expect(request.headers['x-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(request.headers['x-webhook-attempt']).toBe('1');
      expect(Number(request.headers['x-webhook-timestamp'])).toBeGreaterThan(1_600_000_000);
      // The whsec_test secret is not base64, so no Standard Webhooks headers are sent with it.
      expect(request.headers['webhook-signature']).toBeUndefined();
    }
    for (const event of ['payment.created', 'payment.pending']) {
      const early = JSON.parse(received.find((r) => r.headers['x-webhook-event'] === event)!.body);
      expect(early.data.payment).toMatchObject({
        id: paymentId,
        amount: 20_000,
        currency: 'INR',
        status: 'pending',
      });
    }
    const success = received.find((r) => r.headers['x-webhook-event'] === 'payment.success')!;
    const payload = JSON.parse(success.body);
    expect(Object.keys(payload)).toEqual(['event', 'timestamp', 'data']);
    expect(Object.keys(payload.data.payment)).toEqual(keysOf(PaymentInEvent, payload.data.payment));
    expect(payload).toMatchObject({
      event: 'payment.success',
      data: { payment: { id: paymentId, status: 'success', amount: 20_000 } },
    });
    const processed = received.find((r) => r.headers['x-webhook-event'] === 'refund.processed')!;
    expect(Object.keys(JSON.parse(processed.body).data.refund)).toEqual(
      keysOf(Refund, JSON.parse(processed.body).data.refund),
    );
    expect(JSON.parse(processed.body).data.refund).toMatchObject({ status: 'processed', amount: 5000 });
  });

  it('emits payment.failed for a failed payment', async () => {
    const paymentId = await paidPayment({
      method: 'card',
      card: { ...VALID_CARD, number: '4000000000000002' },
    });
    await waitFor(() =>
      forResource(paymentId).some((r) => r.headers['x-webhook-event'] === 'payment.failed'),
    );
    const logs = await gw.request('GET', `/api/v1/webhooks?resource_id=${paymentId}`);
    expect(logs.body.data.map((l: { event: string }) => l.event)).toContain('payment.failed');
  });

  it('sends Standard Webhooks headers that the official library verifies once the secret is regenerated', async () => {
    const merchant = await createMerchant(gw.runtime.db, 'Standard');
    const auth = { key: merchant.key, secret: merchant.secret };
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url }, auth });
    const regenerated = await gw.request('POST', '/api/v1/merchant/webhook/secret', { auth });
    expect(regenerated.status).toBe(200);
    const secret = regenerated.body.webhook_secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secret).not.toBe(merchant.webhookSecret);

    const order = await createOrder(gw, 1500, auth);
    const created = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'a@b' },
      auth,
    });
    await waitFor(() => forResource(created.body.id).length === 3);
    for (const request of forResource(created.body.id)) {
      const verified = new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
      expect(verified).toEqual(JSON.parse(request.body));
      expect(request.headers['webhook-id']).toBe(request.headers['x-webhook-id']);
      expect(request.headers['x-webhook-signature']).toBe(hex(secret, request.body));
      expect(() =>
        new Webhook(merchant.webhookSecret).verify(request.body, request.headers as Record<string, string>),
      ).toThrow();
    }
  });

  it('writes no rows and still processes payments when no URL is configured', async () => {
    const merchant = await createMerchant(gw.runtime.db, 'Silent');
    const auth = { key: merchant.key, secret: merchant.secret };
    const order = await createOrder(gw, 1500, auth);
    const created = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'a@b' },
      auth,
    });
    await waitFor(
      async () =>
        (await gw.request('GET', `/api/v1/payments/${created.body.id}`, { auth })).body.status === 'success',
    );
    const rows = await gw.runtime.db.query(
      'SELECT count(*)::int AS n FROM webhook_logs WHERE merchant_id = $1',
      [merchant.id],
    );
    expect(rows.rows[0].n).toBe(0);
    const test = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
    expect(test.status).toBe(400);
  });
});

describe('webhook API', () => {
  it('lists logs newest first with totals, and shows one with its payload and attempts', async () => {
    const paymentId = await paidPayment();
    await waitFor(async () => {
      const res = await gw.request('GET', `/api/v1/webhooks?resource_id=${paymentId}`);
      return (
        res.body.data.length === 3 && res.body.data.every((l: { status: string }) => l.status === 'success')
      );
    });
    const list = await gw.request('GET', '/api/v1/webhooks?limit=2&offset=0');
    expect(list.status).toBe(200);
    expect(list.body.limit).toBe(2);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.total).toBeGreaterThanOrEqual(3);
    expect(Object.keys(list.body.data[0])).toEqual(keysOf(WebhookSummary, list.body.data[0]));
    const times = list.body.data.map((l: { created_at: string }) => l.created_at);
    expect([...times].sort().reverse()).toEqual(times);

    const own = await gw.request('GET', `/api/v1/webhooks?resource_id=${paymentId}&status=success`);
    const log = own.body.data[0];
    expect(log).toMatchObject({ status: 'success', attempts: 1, response_code: 200, next_retry_at: null });
    const detail = await gw.request('GET', `/api/v1/webhooks/${log.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.payload.data.payment.id).toBe(paymentId);
    expect(detail.body.response_body).toBe('ok');
    expect(detail.body.attempt_history).toHaveLength(1);
    expect(detail.body.attempt_history[0]).toMatchObject({
      attempt: 1,
      round: 1,
      response_code: 200,
      url: sink.url,
    });
  });

  it('retries a delivery by hand from attempt 1, with the same X-Webhook-Id', async () => {
    const paymentId = await paidPayment();
    await waitFor(
      async () =>
        (await gw.request('GET', `/api/v1/webhooks?resource_id=${paymentId}&status=success`)).body.total ===
        3,
    );
    const log = (await gw.request('GET', `/api/v1/webhooks?resource_id=${paymentId}&event=payment.success`))
      .body.data[0];
    const before = sink.requests.filter((r) => r.headers['x-webhook-id'] === log.id).length;

    const retried = await gw.request('POST', `/api/v1/webhooks/${log.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ id: log.id, status: 'pending', message: 'Webhook retry scheduled' });
    await waitFor(
      () => sink.requests.filter((r) => r.headers['x-webhook-id'] === log.id).length === before + 1,
    );
    const detail = await waitFor(async () => {
      const d = await gw.request('GET', `/api/v1/webhooks/${log.id}`);
      return d.body.status === 'success' && d.body.attempt_history.length === 2 && d.body;
    });
    expect(detail.attempts).toBe(1);
    expect(
      detail.attempt_history.map((a: { round: number; attempt: number }) => [a.round, a.attempt]),
    ).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('answers 404 for unknown, malformed and foreign webhook ids', async () => {
    const paymentId = await paidPayment();
    const log = await waitFor(
      async () => (await gw.request('GET', `/api/v1/webhooks?resource_id=${paymentId}`)).body.data[0],
    );
    const asOther = { key: other.key, secret: other.secret };
    for (const path of [
      `/api/v1/webhooks/${log.id}`,
      '/api/v1/webhooks/00000000-0000-4000-8000-000000000000',
      '/api/v1/webhooks/nope',
    ]) {
      expect(
        (await gw.request('GET', path, { auth: path.includes(log.id) ? asOther : undefined })).status,
        path,
      ).toBe(404);
      expect(
        (await gw.request('POST', `${path}/retry`, { auth: path.includes(log.id) ? asOther : undefined }))
          .status,
        path,
      ).toBe(404);
    }
    const theirs = await gw.request('GET', '/api/v1/webhooks', { auth: asOther });
    expect(theirs.body.total).toBe(0);
  });

  it('manages the URL and secret, and sends a test event', async () => {
    const merchant = await createMerchant(gw.runtime.db, 'Configurable');
    const auth = { key: merchant.key, secret: merchant.secret };
    expect((await gw.request('GET', '/api/v1/merchant/webhook', { auth })).body).toEqual({
      webhook_url: null,
      webhook_secret: merchant.webhookSecret,
    });
    for (const webhook_url of ['ftp://x.example/', 'not a url', `https://example.com/${'a'.repeat(2048)}`]) {
      const bad = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url }, auth });
      expect(bad.status, webhook_url.slice(0, 30)).toBe(400);
    }
    expect((await gw.request('PUT', '/api/v1/merchant/webhook', { body: {}, auth })).status).toBe(400);
    const saved = await gw.request('PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: sink.url },
      auth,
    });
    expect(saved.body.webhook_url).toBe(sink.url);

    const test = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
    expect(test.status).toBe(202);
    await waitFor(() => sink.requests.some((r) => r.headers['x-webhook-id'] === test.body.id));
    const delivered = sink.requests.find((r) => r.headers['x-webhook-id'] === test.body.id)!;
    expect(JSON.parse(delivered.body).event).toBe('webhook.test');
    expect(delivered.headers['x-webhook-signature']).toBe(hex(merchant.webhookSecret, delivered.body));

    const cleared = await gw.request('PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: null },
      auth,
    });
    expect(cleared.body.webhook_url).toBeNull();
  });
});
