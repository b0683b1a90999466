import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * The whole test-mode schedule against real endpoints: gaps of 5, 10, 15 and 20 s between attempts,
 * `failed` after the fifth, never a sixth. These tests take about a minute, in parallel.
 */
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ workers: true });
});
afterAll(() => gw.close());

async function merchantWithEndpoint(sink: WebhookSink) {
  const merchant = await createMerchant(gw.runtime.db);
  const auth = { key: merchant.key, secret: merchant.secret };
  await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url }, auth });
  return auth;
}

describe.concurrent('retry schedule (WEBHOOK_RETRY_INTERVALS_TEST=true)', () => {
  it('retries a 500 at +5, +10, +15, +20 s, then gives up as failed', { timeout: 120_000 }, async () => {
    const sink = await WebhookSink.start(() => ({ status: 500, body: 'boom' }));
    try {
      const auth = await merchantWithEndpoint(sink);
      const queued = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
      expect(queued.status).toBe(202);
      const id = queued.body.id;

      const afterFirst = await waitFor(async () => {
        const detail = await gw.request('GET', `/api/v1/webhooks/${id}`, { auth });
        return detail.body.attempts === 1 && detail.body;
      });
      expect(afterFirst).toMatchObject({ status: 'pending', response_code: 500, response_body: 'boom' });
      const scheduledIn =
        new Date(afterFirst.next_retry_at).getTime() - new Date(afterFirst.last_attempt_at).getTime();
      expect(scheduledIn).toBe(5000);

      const final = await waitFor(
        async () => {
          const detail = await gw.request('GET', `/api/v1/webhooks/${id}`, { auth });
          return detail.body.status === 'failed' && detail.body;
        },
        90_000,
        250,
      );
      expect(final).toMatchObject({ attempts: 5, response_code: 500, next_retry_at: null });
      expect(final.attempt_history.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4, 5]);

      const arrivals = sink.requests.map((r) => r.at);
      expect(sink.requests.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2', '3', '4', '5']);
      expect(new Set(sink.requests.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([id]));
      const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] as number));
      // Each gap is the scheduled delay plus a little processing time; never shorter than scheduled.
      [5000, 10_000, 15_000, 20_000].forEach((delay, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(delay - 50);
        expect(gaps[i]).toBeLessThan(delay + 5000);
      });

      // No sixth attempt, however long we wait past the last delay.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(sink.requests).toHaveLength(5);
      const logs = await gw.request('GET', '/api/v1/webhooks', { auth });
      expect(logs.body.data[0]).toMatchObject({ id, status: 'failed', attempts: 5 });
    } finally {
      await sink.close();
    }
  });

  it('counts an endpoint that never answers as a failed attempt after 5 s', { timeout: 60_000 }, async () => {
    const sink = await WebhookSink.start((index) => (index === 0 ? 'hang' : { status: 200 }));
    try {
      const auth = await merchantWithEndpoint(sink);
      const queued = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
      const afterFirst = await waitFor(async () => {
        const detail = await gw.request('GET', `/api/v1/webhooks/${queued.body.id}`, { auth });
        return detail.body.attempts === 1 && detail.body;
      }, 20_000);
      expect(afterFirst).toMatchObject({ status: 'pending', response_code: null });
      expect(afterFirst.attempt_history[0].error).toMatch(/timed out after 5000 ms/);
      expect(afterFirst.attempt_history[0].duration_ms).toBeGreaterThanOrEqual(4900);

      const done = await waitFor(async () => {
        const detail = await gw.request('GET', `/api/v1/webhooks/${queued.body.id}`, { auth });
        return detail.body.status === 'success' && detail.body;
      }, 30_000);
      expect(done).toMatchObject({ attempts: 2, response_code: 200 });
    } finally {
      await sink.close();
    }
  });

  it.each([
    ['a redirect', () => ({ status: 302 })],
    ['a reset connection', () => 'reset' as const],
    ['a huge body', () => ({ status: 500, body: 'x'.repeat(5_000_000) })],
    ['a body with NUL characters', () => ({ status: 500, body: 'nul\u0000inside' })],
  ])('records %s as a failed attempt', { timeout: 30_000 }, async (_label, behaviour) => {
    const sink = await WebhookSink.start(behaviour);
    try {
      const auth = await merchantWithEndpoint(sink);
      const order = await createOrder(gw, 1000, auth);
      await gw.request('POST', '/api/v1/payments', {
        body: { order_id: order.id, method: 'upi', vpa: 'a@b' },
        auth,
      });
      const log = await waitFor(async () => {
        const list = await gw.request('GET', '/api/v1/webhooks?event=payment.created', { auth });
        return list.body.data[0]?.attempts === 1 && list.body.data[0];
      });
      expect(log.status).toBe('pending');
      const detail = await gw.request('GET', `/api/v1/webhooks/${log.id}`, { auth });
      const attempt = detail.body.attempt_history[0];
      expect(attempt.response_code === null ? attempt.error : attempt.response_code).toBeTruthy();
      if (attempt.response_body) expect(attempt.response_body.length).toBeLessThanOrEqual(1024);
    } finally {
      await sink.close();
    }
  });
});
