import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';
import { metricValue, type Sample, scrape } from './prometheus.js';

let gw: TestGateway;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start();
  gw = await startTestGateway({ workers: true });
  const configured = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  expect(configured.status).toBe(200);
});
afterAll(async () => {
  await gw?.close();
  await sink?.close();
});

const SERIES = [
  'gateway_http_requests_total',
  'gateway_http_request_duration_seconds',
  'gateway_jobs_total',
  'gateway_job_duration_seconds',
  'gateway_queue_jobs',
  'gateway_webhook_delivery_attempts_total',
  'gateway_webhook_delivery_duration_seconds',
  'gateway_webhook_claims_total',
  'gateway_payment_outcomes_total',
  'process_cpu_user_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

async function pay(vpa: string): Promise<string> {
  const order = await createOrder(gw);
  const created = await gw.request('POST', '/api/v1/payments', {
    body: { order_id: order.id, method: 'upi', vpa },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('/metrics', () => {
  it('serves the Prometheus text format with every named series described', async () => {
    const response = await fetch(`${gw.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of SERIES) expect(text).toContain(`# TYPE ${name} `);
  });

  it('moves when traffic flows: requests, jobs, webhook deliveries, payment outcomes, queue depth', async () => {
    const before = await scrape(`${gw.url}/metrics`);
    const deliveredBefore = sink.requests.length;

    const ids = [await pay('user@paytm'), await pay('failure@test')];
    await waitFor(async () => {
      const states = await Promise.all(ids.map((id) => gw.request('GET', `/api/v1/payments/${id}`)));
      return states.every((s) => s.body.status !== 'pending');
    });
    // payment.created, payment.pending and the decision, for each payment.
    await waitFor(() => sink.requests.length - deliveredBefore >= 6);
    await gw.request('GET', '/no/such/route');

    const after = await scrape(`${gw.url}/metrics`);
    const delta = (name: string, where: Record<string, string> = {}) =>
      metricValue(after, name, where) - metricValue(before, name, where);

    const created = { method: 'POST', route: '/api/v1/payments', status: '201' };
    expect(delta('gateway_http_requests_total', created)).toBe(2);
    expect(delta('gateway_http_request_duration_seconds_count', created)).toBe(2);
    expect(delta('gateway_http_request_duration_seconds_sum', created)).toBeGreaterThan(0);
    // Raw URLs never become labels: an unknown path is counted as "unmatched".
    expect(delta('gateway_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(after.some((s) => s.labels.route?.includes('pay_'))).toBe(false);

    const completed = (queue: string) => delta('gateway_jobs_total', { queue, outcome: 'completed' });
    expect(completed('payments')).toBeGreaterThanOrEqual(2);
    expect(delta('gateway_job_duration_seconds_count', { queue: 'payments' })).toBeGreaterThanOrEqual(2);
    expect(delta('gateway_payment_outcomes_total', { outcome: 'success' })).toBe(1);
    expect(delta('gateway_payment_outcomes_total', { outcome: 'failed' })).toBe(1);

    const delivered = delta('gateway_webhook_delivery_attempts_total', { outcome: 'success' });
    expect(delivered).toBeGreaterThanOrEqual(6);
    expect(delta('gateway_webhook_delivery_duration_seconds_count')).toBeGreaterThanOrEqual(6);
    expect(delta('gateway_webhook_claims_total', { result: 'leased' })).toBeGreaterThanOrEqual(1);

    const depth = after.filter((s: Sample) => s.name === 'gateway_queue_jobs');
    // Webhook deliveries are not queue jobs: the delivery attempt series above count them.
    for (const queue of ['payments', 'refunds']) {
      for (const state of ['waiting', 'delayed', 'active', 'completed', 'failed']) {
        expect(depth.find((s) => s.labels.queue === queue && s.labels.state === state)).toBeDefined();
      }
    }
    const finished = metricValue(after, 'gateway_queue_jobs', { queue: 'payments', state: 'completed' });
    expect(finished).toBeGreaterThan(0);
  });

  it('counts failed webhook attempts by outcome', async () => {
    const before = await scrape(`${gw.url}/metrics`);
    sink.behaviour = () => ({ status: 500 });
    const response = await gw.request('POST', '/api/v1/merchant/webhook/test');
    expect(response.status).toBe(202);
    await waitFor(async () => {
      const after = await scrape(`${gw.url}/metrics`);
      return (
        metricValue(after, 'gateway_webhook_delivery_attempts_total', { outcome: 'http_error' }) >
        metricValue(before, 'gateway_webhook_delivery_attempts_total', { outcome: 'http_error' })
      );
    });
    sink.behaviour = () => ({ status: 200 });
  });
});
