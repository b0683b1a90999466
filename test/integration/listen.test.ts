import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexSignature } from '../../src/domain/signing.js';
import { CliProcess, runCli } from '../support/cli.js';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { type ReceivedRequest, WebhookSink } from '../support/webhook-sink.js';

/**
 * `gateway listen` end to end, with real processes: an API, a worker, the CLI without a terminal
 * and with standard input closed, and a local receiver that verifies what it gets with the printed
 * secret. Payments take a few seconds here, so one can be decided while the API is down.
 */
let gw: ProcessGateway;
let sink: WebhookSink;
let listen: CliProcess;
let secret: string;
const cliEnv = () => ({
  GATEWAY_API_URL: gw.url,
  GATEWAY_API_KEY: 'key_test_abc123',
  GATEWAY_API_SECRET: 'secret_test_xyz789',
});

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await ProcessGateway.start({ env: await testEnvironment({ TEST_PROCESSING_DELAY: '2500' }) });
  // A real endpoint too, to compare forwarded requests with the deliveries of the same events.
  const endpoint = await gw.request('POST', '/api/v1/webhook_endpoints', {
    body: { url: `${sink.url}/real` },
  });
  expect(endpoint.status).toBe(201);
  listen = new CliProcess(['listen', '--forward-to', `${sink.url}?a=1`], cliEnv());
  secret = (await listen.waitForLine(/^Ready\. Webhook signing secret: (whsec_\S+)$/))[1]!;
});
afterAll(async () => {
  await listen?.stop();
  await gw?.close();
  await sink?.close();
});

const forwarded = () => sink.requests.filter((r) => r.url.startsWith('/webhook?'));
const delivered = () => sink.requests.filter((r) => r.url === '/webhook/real');
const eventIdOf = (r: ReceivedRequest) => String(r.headers['x-event-id']);
const ofResource = (requests: ReceivedRequest[], id: string) => requests.filter((r) => r.body.includes(id));

function verify(request: ReceivedRequest, withSecret: string) {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
  new Webhook(withSecret).verify(request.body, headers);
  expect(request.headers['x-webhook-signature']).toBe(hexSignature(withSecret, request.body));
}

async function trigger(event: string) {
  const result = await runCli(['trigger', event], cliEnv());
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe('gateway listen', () => {
  it('prints the merchant’s listen secret, the same every time', async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const printed = await runCli(['listen', '--print-secret'], cliEnv());
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(`${secret}\n`);
    const api = await gw.request('GET', '/api/v1/events/stream/secret');
    expect(api.body).toEqual({ secret });
  });

  it('forwards a triggered payment’s events as deliveries are sent, signed with the listen secret, to the URL with its query', async () => {
    const output = await trigger('payment.success');
    const paymentId = /^payment\s+(pay_\S+)$/m.exec(output)![1]!;
    await waitFor(
      () =>
        ofResource(forwarded(), paymentId).length === 3 && ofResource(delivered(), paymentId).length === 3,
    );
    const mine = ofResource(forwarded(), paymentId);
    expect(mine.map((r) => r.headers['x-webhook-event'])).toEqual([
      'payment.created',
      'payment.pending',
      'payment.success',
    ]);
    for (const request of mine) {
      expect(request.url).toBe('/webhook?a=1');
      verify(request, secret);
      // The same bytes and the same headers as the delivery of that event to a real endpoint.
      const delivery = delivered().find((d) => eventIdOf(d) === eventIdOf(request))!;
      expect(request.body).toBe(delivery.body);
      expect(Object.keys(request.headers).sort()).toEqual(Object.keys(delivery.headers).sort());
      for (const name of [
        'content-type',
        'user-agent',
        'x-webhook-event',
        'x-webhook-attempt',
        'x-event-id',
      ]) {
        expect(request.headers[name]).toBe(delivery.headers[name]);
      }
    }
    const eventId = eventIdOf(mine[2]!);
    await listen.waitForLine(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  --> payment\\.success \\[${eventId}\\]$`),
    );
    await listen.waitForLine(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  <-- \\[200\\] POST ${sink.url.replace(/[.?]/g, '\\$&')}\\?a=1$`,
      ),
    );
  });

  it('forwards only the selected types with --events', async () => {
    const only = new CliProcess(
      ['listen', '--forward-to', `${sink.url}/only`, '--events', 'payment.failed'],
      cliEnv(),
    );
    try {
      await only.waitForLine(/^Ready\./);
      const output = await trigger('payment.failed');
      const paymentId = /^payment\s+(pay_\S+)$/m.exec(output)![1]!;
      await waitFor(() => ofResource(forwarded(), paymentId).length === 3);
      const selected = sink.requests.filter((r) => r.url === '/webhook/only');
      expect(selected.map((r) => r.headers['x-webhook-event'])).toEqual(['payment.failed']);
    } finally {
      await only.stop();
    }
  });

  it('survives an API restart: an event recorded while the API is down is still forwarded, once', async () => {
    const order = await gw.request('POST', '/api/v1/orders', { body: { amount: 20_000 } });
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.body.id, method: 'upi', vpa: 'gap@bank' },
    });
    expect(payment.status).toBe(201);
    const paymentId = payment.body.id as string;
    await waitFor(() => ofResource(forwarded(), paymentId).length === 2);
    const apiEnv = gw.api.env;
    await gw.api.kill();
    // The worker decides the payment while no API is running.
    await waitFor(async () => {
      const row = await gw.db.query('SELECT status FROM payments WHERE id = $1', [paymentId]);
      return row.rows[0]?.status === 'success';
    });
    expect(ofResource(forwarded(), paymentId)).toHaveLength(2);
    await gw.group.spawn('api', { env: apiEnv, name: 'api-restarted' });
    await waitFor(() => ofResource(forwarded(), paymentId).length === 3, 20_000);
    const mine = ofResource(forwarded(), paymentId);
    expect(mine.map((r) => r.headers['x-webhook-event'])).toEqual([
      'payment.created',
      'payment.pending',
      'payment.success',
    ]);
    verify(mine[2]!, secret);
    expect(listen.stderr.join('\n')).toMatch(/reconnect/i);
    // Nothing was forwarded twice over the whole run.
    const ids = forwarded()
      .filter((r) => r.url === '/webhook?a=1')
      .map(eventIdOf);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses wrong credentials and a missing --forward-to with a clear message', async () => {
    const wrong = await runCli(['listen', '--forward-to', sink.url], {
      ...cliEnv(),
      GATEWAY_API_SECRET: 'nope',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^gateway listen: .*401/);
    const missing = await runCli(['listen'], cliEnv());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--forward-to/);
  });
});
