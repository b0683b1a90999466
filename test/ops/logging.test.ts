import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createLogger } from '../../src/logger.js';
import {
  createOrder,
  LogCapture,
  startTestGateway,
  type TestGateway,
  VALID_CARD,
  waitFor,
} from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

const ADMIN_PASSWORD = 'admin-password-never-logged';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let gw: TestGateway;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await startTestGateway({ workers: true, logLevel: 'debug', env: { ADMIN_PASSWORD } });
  await waitFor(async () => (await gw.request('GET', '/health')).status === 200);
});
afterAll(async () => {
  await gw?.close();
  await sink?.close();
});

type Line = Record<string, unknown>;
const lines = (): Line[] =>
  gw.logs.lines.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Line);

describe('request ids', () => {
  it('answers every response with an X-Request-Id and logs the request under it', async () => {
    const responses = await Promise.all([
      gw.request('GET', '/health'),
      gw.request('POST', '/api/v1/orders', { body: { amount: 5000 } }),
      gw.request('POST', '/api/v1/orders', { body: { amount: 5 } }),
      gw.request('GET', '/api/v1/orders/order_0000000000000000'),
      gw.request('GET', '/api/v1/payments', { auth: { key: 'key_nobody', secret: 'nothing' } }),
      gw.request('GET', '/no/such/path'),
      gw.request('GET', '/admin/queues'),
      gw.request('GET', '/metrics'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 201, 400, 404, 401, 404, 401, 200]);
    const logged = lines();
    for (const response of responses) {
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      const line = logged.find((l) => l.request_id === id && l.msg === 'request completed');
      expect(line).toMatchObject({ status: response.status });
    }
    // Error bodies carry the same id, so a merchant's support ticket leads to the log line.
    expect(responses[2]?.body.error.request_id).toBe(responses[2]?.headers.get('x-request-id'));
  });

  it('keeps a sane caller-supplied id and replaces anything else', async () => {
    const kept = await gw.request('GET', '/health', { headers: { 'X-Request-Id': 'lb-7f3a.42:edge' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.42:edge');
    const replaced = await gw.request('GET', '/health', { headers: { 'X-Request-Id': 'x'.repeat(200) } });
    expect(replaced.headers.get('x-request-id')).toMatch(UUID);
    const injected = await gw.request('GET', '/health', { headers: { 'X-Request-Id': 'a"b{c}' } });
    expect(injected.headers.get('x-request-id')).toMatch(UUID);
  });

  it('puts the request id on every line logged while serving a request', () => {
    const requestLines = lines().filter((l) => 'url' in l || 'route' in l);
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.filter((l) => typeof l.request_id !== 'string')).toEqual([]);
  });
});

describe('secrets in logs', () => {
  it('never logs API secrets, webhook secrets, admin credentials or card data', async () => {
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
    const order = await createOrder(gw);
    const card = { ...VALID_CARD, number: '4111-1111-1111-1111', cvv: '987' };
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'card', card },
    });
    expect(payment.status).toBe(201);
    const declined = await createOrder(gw);
    const badCard = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: declined.id, method: 'card', card: { ...card, number: '4111111111111112' } },
    });
    expect(badCard.status).toBe(400);
    const regenerated = await gw.request('POST', '/api/v1/merchant/webhook/secret');
    expect(regenerated.status).toBe(200);
    const newSecret: string = regenerated.body.webhook_secret;
    await gw.request('GET', '/api/v1/merchant/webhook');
    await gw.request('GET', '/api/v1/orders', {
      auth: { key: TEST_MERCHANT.api_key, secret: 'wrong-secret-x' },
    });
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    expect((await gw.request('GET', '/admin/queues', { headers: { authorization: basic } })).status).toBe(
      200,
    );
    await waitFor(() => sink.byEvent('payment.success').length > 0);

    const text = gw.logs.text;
    expect(text).toContain('request completed');
    for (const secret of [
      TEST_MERCHANT.api_secret,
      'wrong-secret-x',
      TEST_MERCHANT.webhook_secret,
      newSecret,
      ADMIN_PASSWORD,
      basic.slice('Basic '.length),
      '4111111111111111',
      '4111-1111-1111-1111',
      '4111111111111112',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/"cvv":"(?!\[redacted\])/);
  });

  it('redacts secret fields even when code logs them by mistake', () => {
    const capture = new LogCapture();
    const log = createLogger('info', 'redaction', capture);
    log.info(
      {
        merchant: { api_secret: 'leak-1', webhook_secret: 'leak-2', password: 'leak-3' },
        payment: { card: { number: '4111111111111111', cvv: '123' } },
        req: { headers: { 'x-api-secret': 'leak-4', authorization: 'Basic leak-5', cookie: 'sid=leak-6' } },
      },
      'oops',
    );
    expect(capture.text).toContain('[redacted]');
    expect(capture.text).not.toMatch(/leak-\d|4111111111111111/);
  });
});
